//! A small LRU cache of [`PartnerSnapshots`], so partner views as of a moment cost microseconds
//! instead of re-reading and re-folding the partner's streams (ADR 0005).
//!
//! **Validity.** An entry records a [`Stamp`] taken *before* its streams were read:
//! - `own`: the live model's `PartnerEntry::last_activity.position` — the last event of the
//!   partner's own streams (Partner, QarSeries, its RAPs and fund requests) the model had folded.
//!   The same model named the streams that were read, so every own event up to it is held.
//! - `context`: the highest position in the snapshots' context streams — the `Staff` streams of
//!   the partner's PAMs and every `CohortStrategy` stream — read from the log (one indexed
//!   query each). These change without touching the partner, so `last_activity` cannot see them.
//!
//! The entry answers while the current stamp is componentwise `<=` the stored one; otherwise it
//! is rebuilt with [`PartnerSnapshots::load`] over the current live model. A new PAM, RAP or fund
//! request is a partner event (it moves `last_activity`), and a new cohort strategy moves the
//! type-wide `CohortStrategy` maximum, so new streams are noticed too. `own` is the live model's
//! position rather than [`PartnerSnapshots::position`]: events appended between naming and
//! reading the streams (a RAP opened meanwhile) may be partly held, and only the model's
//! `last_activity` passing the stamp proves every one of them was named and read.
//!
//! The cache itself is a [`StampedCache`].

use std::sync::Arc;

use channel_ledger_domain::cohort::CohortStrategy;
use channel_ledger_domain::staff::Staff;
use channel_ledger_projections::ProgramModel;
use channel_ledger_replay::{PartnerSnapshots, ReplayError};
use channel_ledger_store::Ledger;
use cqrs_es::Aggregate;

use crate::stamped_cache::{self, StampedCache};

/// How many partners the cache holds before evicting the least recently used.
pub const CAPACITY: usize = 256;

/// Events between two snapshots of the model (ADR 0005: K = 64 answers in well under 1 ms).
pub const EVERY: usize = 64;

/// What an entry was built over; see the module docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    own: i64,
    context: i64,
}

impl stamped_cache::Stamp for Stamp {
    fn covers(self, now: Stamp) -> bool {
        now.own <= self.own && now.context <= self.context
    }
}

/// Partner snapshots by partner id.
#[derive(Debug)]
pub struct SnapshotCache(StampedCache<Arc<PartnerSnapshots>, Stamp>);

impl Default for SnapshotCache {
    fn default() -> Self {
        Self(StampedCache::new(CAPACITY))
    }
}

impl SnapshotCache {
    /// The partner's snapshots, valid for `live` (the live model, or the part of it that names
    /// the partner's streams: its entry and the cohorts): cached, or loaded and cached.
    #[tracing::instrument(skip_all, fields(partner.id = %partner_id, cache.hit), err)]
    pub async fn get(
        &self,
        ledger: &Ledger,
        live: &ProgramModel,
        partner_id: &str,
    ) -> Result<Arc<PartnerSnapshots>, ReplayError> {
        let stamp = stamp(ledger, live, partner_id).await?;
        let load = async {
            let snapshots = PartnerSnapshots::load(ledger, live, partner_id, EVERY).await?;
            Ok::<_, ReplayError>(Arc::new(snapshots))
        };
        let (snapshots, hit) = self.0.get_or_load(partner_id, stamp, load).await?;
        tracing::Span::current().record("cache.hit", hit);
        Ok(snapshots)
    }

    /// How many partners are cached.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The partner's stamp now: `last_activity` from `live`, context positions from the log.
async fn stamp(
    ledger: &Ledger,
    live: &ProgramModel,
    partner_id: &str,
) -> Result<Stamp, ReplayError> {
    let entry = live.partners.get(partner_id);
    let own = entry
        .and_then(|e| e.last_activity.as_ref())
        .map_or(0, |t| t.position);
    let mut context = ledger.last_position(CohortStrategy::TYPE, None).await?;
    let mut pams: Vec<String> = entry
        .map(|e| e.pam_history.iter().map(|t| t.pam_id.to_string()).collect())
        .unwrap_or_default();
    pams.sort();
    pams.dedup();
    for pam in pams {
        context = context.max(ledger.last_position(Staff::TYPE, Some(&pam)).await?);
    }
    Ok(Stamp { own, context })
}
