//! One partner as of a moment, from its own streams only (indexed reads, never the global log).
//!
//! A partner's history is its `Partner` stream, its `QarSeries` (same id), its RAPs and fund
//! requests. Its views also need context that is not its own: the `Staff` streams of every PAM it
//! had, and the `CohortStrategy` streams. Program budgets are left out: no partner view reads them.

use channel_ledger_domain::cohort::CohortStrategy;
use channel_ledger_domain::mdf::FundRequest;
use channel_ledger_domain::partner::Partner;
use channel_ledger_domain::qar::QarSeries;
use channel_ledger_domain::rap::Rap;
use channel_ledger_domain::staff::Staff;
use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use serde::Serialize;

use crate::fold::{fold_ordered, select};
use crate::{Axis, ReplayError};

/// A partner as of a moment on an axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerHistory {
    pub partner_id: String,
    pub axis: Axis,
    pub as_of: DateTime<Utc>,
    /// The program model restricted to the partner: its entry, RAPs, QAR series and fund
    /// requests, plus its PAMs' staff entries and the cohort strategies.
    pub model: ProgramModel,
    /// The partner's own events that count at `as_of`, in fold order: the timeline.
    pub events: Vec<LedgerEvent>,
}

/// Every event of one partner's streams, decoded: its own, and the context its views need.
#[derive(Debug, Clone, Default)]
pub struct PartnerEvents {
    pub own: Vec<LedgerEvent>,
    pub context: Vec<LedgerEvent>,
}

/// Reads the partner's streams. `model_now` names them (its RAP and fund-request indices, PAM
/// history and cohorts): pass a model at least as fresh as the log you want to see, or a RAP
/// opened since will be missing.
#[tracing::instrument(skip_all, fields(partner.id = %partner_id, replay.streams), err)]
pub async fn partner_events(
    ledger: &Ledger,
    model_now: &ProgramModel,
    partner_id: &str,
) -> Result<PartnerEvents, ReplayError> {
    let entry = model_now.partners.get(partner_id);
    let own_streams = own_streams(model_now, partner_id);
    let mut context_streams = Vec::new();
    if let Some(entry) = entry {
        let mut pams: Vec<String> = entry
            .pam_history
            .iter()
            .map(|t| t.pam_id.to_string())
            .collect();
        pams.sort();
        pams.dedup();
        context_streams.extend(pams.into_iter().map(|id| (Staff::TYPE, id)));
    }
    context_streams.extend(
        model_now
            .cohorts
            .keys()
            .map(|id| (CohortStrategy::TYPE, id.clone())),
    );
    tracing::Span::current().record("replay.streams", own_streams.len() + context_streams.len());

    let events = PartnerEvents {
        own: read_streams(ledger, own_streams).await?,
        context: read_streams(ledger, context_streams).await?,
    };
    if events.own.is_empty() {
        return Err(ReplayError::UnknownPartner(partner_id.to_owned()));
    }
    Ok(events)
}

/// The streams that are the partner's own: its `Partner` stream, its `QarSeries` (same id), and
/// the RAPs and fund requests `model` knows it has.
pub(crate) fn own_streams(model: &ProgramModel, partner_id: &str) -> Vec<(&'static str, String)> {
    let mut streams = vec![
        (Partner::TYPE, partner_id.to_owned()),
        (QarSeries::TYPE, partner_id.to_owned()),
    ];
    if let Some(entry) = model.partners.get(partner_id) {
        streams.extend(entry.raps.iter().map(|id| (Rap::TYPE, id.clone())));
        streams.extend(
            entry
                .fund_requests
                .iter()
                .map(|id| (FundRequest::TYPE, id.clone())),
        );
    }
    streams
}

/// Every event of `streams`, decoded, stream after stream.
pub(crate) async fn read_streams(
    ledger: &Ledger,
    streams: Vec<(&'static str, String)>,
) -> Result<Vec<LedgerEvent>, ReplayError> {
    let mut events = Vec::new();
    for (aggregate_type, id) in streams {
        for record in ledger.read_stream(aggregate_type, &id).await? {
            events.push(LedgerEvent::try_from(&record)?);
        }
    }
    Ok(events)
}

impl PartnerEvents {
    /// The partner as of `t` on `axis`, folded from these events.
    pub fn as_of(&self, partner_id: &str, axis: Axis, t: DateTime<Utc>) -> PartnerHistory {
        let all: Vec<LedgerEvent> = self.own.iter().chain(&self.context).cloned().collect();
        let model = fold_ordered(&select(all, axis, t));
        let events = select(self.own.clone(), axis, t);
        PartnerHistory {
            partner_id: partner_id.to_owned(),
            axis,
            as_of: t,
            model,
            events,
        }
    }
}

/// One partner as of `t` on `axis`: reads its streams (see [`partner_events`]) and folds them.
#[tracing::instrument(skip_all, fields(partner.id = %partner_id, replay.axis = %axis, replay.as_of = %t), err)]
pub async fn partner_as_of(
    ledger: &Ledger,
    model_now: &ProgramModel,
    partner_id: &str,
    axis: Axis,
    t: DateTime<Utc>,
) -> Result<PartnerHistory, ReplayError> {
    let events = partner_events(ledger, model_now, partner_id).await?;
    Ok(events.as_of(partner_id, axis, t))
}
