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
//! The lock is held only to look up and insert, never while loading; two requests missing the
//! same partner at once both load it, and the later insert wins.

use std::collections::HashMap;
use std::sync::Arc;

use channel_ledger_domain::cohort::CohortStrategy;
use channel_ledger_domain::staff::Staff;
use channel_ledger_projections::ProgramModel;
use channel_ledger_replay::{PartnerSnapshots, ReplayError};
use channel_ledger_store::Ledger;
use cqrs_es::Aggregate;
use tokio::sync::Mutex;

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

impl Stamp {
    fn covers(self, now: Stamp) -> bool {
        now.own <= self.own && now.context <= self.context
    }
}

struct Entry {
    snapshots: Arc<PartnerSnapshots>,
    stamp: Stamp,
    used: u64,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<String, Entry>,
    tick: u64,
}

/// Partner snapshots by partner id, at most `capacity` of them.
pub struct SnapshotCache {
    capacity: usize,
    inner: Mutex<Inner>,
}

impl Default for SnapshotCache {
    fn default() -> Self {
        Self::new(CAPACITY)
    }
}

impl std::fmt::Debug for SnapshotCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SnapshotCache")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl SnapshotCache {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::default(),
        }
    }

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
        let cached = {
            let mut inner = self.inner.lock().await;
            inner.tick += 1;
            let tick = inner.tick;
            inner
                .entries
                .get_mut(partner_id)
                .filter(|e| e.stamp.covers(stamp))
                .map(|e| {
                    e.used = tick;
                    e.snapshots.clone()
                })
        };
        tracing::Span::current().record("cache.hit", cached.is_some());
        if let Some(snapshots) = cached {
            return Ok(snapshots);
        }
        let snapshots = Arc::new(PartnerSnapshots::load(ledger, live, partner_id, EVERY).await?);
        let mut inner = self.inner.lock().await;
        inner.tick += 1;
        let used = inner.tick;
        if !inner.entries.contains_key(partner_id) && inner.entries.len() >= self.capacity {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(id, _)| id.clone());
            if let Some(id) = oldest {
                inner.entries.remove(&id);
            }
        }
        inner.entries.insert(
            partner_id.to_owned(),
            Entry {
                snapshots: snapshots.clone(),
                stamp,
                used,
            },
        );
        Ok(snapshots)
    }

    /// How many partners are cached.
    pub async fn len(&self) -> usize {
        self.inner.lock().await.entries.len()
    }

    pub async fn is_empty(&self) -> bool {
        self.len().await == 0
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
