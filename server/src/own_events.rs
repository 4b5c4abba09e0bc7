//! A partner's own events, decoded, for the live timeline: read once, then kept while the
//! partner does not move.
//!
//! Own events are those of the partner's `Partner` and `QarSeries` streams and of the RAPs and
//! fund requests the live model lists for it. The live model names them; unlike
//! [`channel_ledger_replay::partner_events`] no context stream (PAMs' staff streams, cohort
//! strategies) is read: the live timeline takes its names from the live model.
//!
//! **Validity.** An entry is stamped with the naming model's `last_activity.position`, the last
//! own event that model had folded, taken before the streams were read: every own event up to it
//! was named and read. A later model whose `last_activity` is no further has folded no own event
//! beyond the stamp, so the entry holds every own event that model has folded. The entry may
//! also hold events appended after the naming; [`OwnEventsCache::get`]'s callers keep only those
//! up to their model's position.

use std::sync::Arc;

use channel_ledger_domain::mdf::FundRequest;
use channel_ledger_domain::partner::Partner;
use channel_ledger_domain::qar::QarSeries;
use channel_ledger_domain::rap::Rap;
use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_replay::ReplayError;
use channel_ledger_store::Ledger;
use cqrs_es::Aggregate;

use crate::stamped_cache::StampedCache;

/// How many partners' events are kept: a PAM's whole book several times over. A partner of the
/// realistic benchmark log holds about 130 events.
pub const CAPACITY: usize = 256;

/// Partners' own events by partner id, in log order.
#[derive(Debug)]
pub struct OwnEventsCache(StampedCache<Arc<[LedgerEvent]>, i64>);

impl Default for OwnEventsCache {
    fn default() -> Self {
        Self(StampedCache::new(CAPACITY))
    }
}

impl OwnEventsCache {
    /// The own events of `partner_id`, as `names` (the live model, or its entry for the partner)
    /// names its streams, in log order; they may run past `names.position`.
    #[tracing::instrument(skip_all, fields(partner.id = %partner_id, cache.hit), err)]
    pub async fn get(
        &self,
        ledger: &Ledger,
        names: &ProgramModel,
        partner_id: &str,
    ) -> Result<Arc<[LedgerEvent]>, ReplayError> {
        let entry = names
            .partners
            .get(partner_id)
            .ok_or_else(|| ReplayError::UnknownPartner(partner_id.to_owned()))?;
        let stamp = entry.last_activity.as_ref().map_or(0, |t| t.position);
        let load = async {
            let mut streams = vec![(Partner::TYPE, partner_id), (QarSeries::TYPE, partner_id)];
            streams.extend(entry.raps.iter().map(|r| (Rap::TYPE, r.as_str())));
            let requests = entry.fund_requests.iter();
            streams.extend(requests.map(|r| (FundRequest::TYPE, r.as_str())));
            let mut events = ledger
                .read_streams_raw(&streams)
                .await?
                .iter()
                .map(LedgerEvent::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            events.sort_by_key(|e| e.position);
            Ok::<_, ReplayError>(Arc::from(events))
        };
        let (events, hit) = self.0.get_or_load(partner_id, stamp, load).await?;
        tracing::Span::current().record("cache.hit", hit);
        Ok(events)
    }

    /// How many partners' events are kept.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
