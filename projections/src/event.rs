//! A log entry decoded into the domain's own types: what every projection folds.

use channel_ledger_domain::cohort::{CohortEvent, CohortStrategy};
use channel_ledger_domain::mdf::{
    FundRequest, FundRequestEvent, ProgramBudget, ProgramBudgetEvent,
};
use channel_ledger_domain::metadata::MetadataError;
use channel_ledger_domain::partner::{Partner, PartnerEvent};
use channel_ledger_domain::qar::{QarEvent, QarSeries};
use channel_ledger_domain::rap::{Rap, RapEvent};
use channel_ledger_domain::staff::{Staff, StaffEvent};
use channel_ledger_domain::{upcast, EventMetadata};
use channel_ledger_store::{RawEvent, RawEventRef, RecordedEvent};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Every kind of event the ledger holds, by aggregate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DomainEvent {
    Staff(StaffEvent),
    Partner(PartnerEvent),
    Rap(RapEvent),
    Qar(QarEvent),
    Cohort(CohortEvent),
    Budget(ProgramBudgetEvent),
    FundRequest(FundRequestEvent),
}

/// One event of the log, decoded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEvent {
    pub position: i64,
    pub event_id: Uuid,
    pub aggregate_id: String,
    pub sequence: i64,
    pub effective_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub meta: EventMetadata,
    pub event: DomainEvent,
}

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("event at position {position} belongs to unknown aggregate type `{aggregate_type}`")]
    UnknownAggregate {
        position: i64,
        aggregate_type: String,
    },
    #[error("event at position {position} ({event_type}) does not decode: {source}")]
    Payload {
        position: i64,
        event_type: String,
        source: serde_json::Error,
    },
    #[error("event at position {position} has unreadable metadata: {source}")]
    Metadata {
        position: i64,
        source: MetadataError,
    },
}

/// Decodes a payload into the event type of its aggregate, from either form the store reads,
/// in the current shape of its event whatever version it was written at.
fn domain_event(
    position: i64,
    aggregate_type: &str,
    (event_type, event_version): (&str, &str),
    payload: DomainEventOf<'_>,
) -> Result<DomainEvent, DecodeError> {
    let wrap = |source| DecodeError::Payload {
        position,
        event_type: event_type.to_owned(),
        source,
    };
    let kind = match aggregate_type {
        Staff::TYPE => Kind::Staff,
        Partner::TYPE => Kind::Partner,
        Rap::TYPE => Kind::Rap,
        QarSeries::TYPE => Kind::Qar,
        CohortStrategy::TYPE => Kind::Cohort,
        ProgramBudget::TYPE => Kind::Budget,
        FundRequest::TYPE => Kind::FundRequest,
        other => {
            return Err(DecodeError::UnknownAggregate {
                position,
                aggregate_type: other.to_owned(),
            })
        }
    };
    payload
        .current(event_type, event_version)
        .and_then(|payload| payload.into_event(kind))
        .map_err(wrap)
}

/// Which aggregate a payload belongs to.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Staff,
    Partner,
    Rap,
    Qar,
    Cohort,
    Budget,
    FundRequest,
}

/// A payload not yet typed: JSON text or an already parsed value, as stored, or a value
/// upcast from an older shape.
enum DomainEventOf<'a> {
    Text(&'a str),
    Value(&'a serde_json::Value),
    Upcast(serde_json::Value),
}

impl<'a> DomainEventOf<'a> {
    /// This payload in the current shape of its event: parsed and upcast only when it was
    /// written in an older one, so the common case keeps its single parse.
    fn current(self, event_type: &str, event_version: &str) -> Result<Self, serde_json::Error> {
        if !upcast::needs_upcast(event_type, event_version) {
            return Ok(self);
        }
        let stored = match self {
            DomainEventOf::Text(text) => serde_json::from_str(text)?,
            DomainEventOf::Value(value) => value.clone(),
            DomainEventOf::Upcast(value) => value,
        };
        let (_, payload) = upcast::upcast(event_type, event_version, stored);
        Ok(DomainEventOf::Upcast(payload))
    }

    fn typed<E: serde::de::DeserializeOwned>(&self) -> Result<E, serde_json::Error> {
        match self {
            DomainEventOf::Text(text) => serde_json::from_str(text),
            DomainEventOf::Value(value) => E::deserialize(*value),
            DomainEventOf::Upcast(value) => E::deserialize(value),
        }
    }

    fn into_event(self, kind: Kind) -> Result<DomainEvent, serde_json::Error> {
        Ok(match kind {
            Kind::Staff => DomainEvent::Staff(self.typed()?),
            Kind::Partner => DomainEvent::Partner(self.typed()?),
            Kind::Rap => DomainEvent::Rap(self.typed()?),
            Kind::Qar => DomainEvent::Qar(self.typed()?),
            Kind::Cohort => DomainEvent::Cohort(self.typed()?),
            Kind::Budget => DomainEvent::Budget(self.typed()?),
            Kind::FundRequest => DomainEvent::FundRequest(self.typed()?),
        })
    }
}

fn metadata(
    position: i64,
    map: Result<HashMap<String, String>, serde_json::Error>,
) -> Result<EventMetadata, DecodeError> {
    EventMetadata::from_map(&map.unwrap_or_default())
        .map_err(|source| DecodeError::Metadata { position, source })
}

impl LedgerEvent {
    /// `(effective_at, recorded_at)` travel as one pair: the two times of design.md §3.8.
    fn assemble(
        position: i64,
        event_id: Uuid,
        aggregate_id: &str,
        sequence: i64,
        (effective_at, recorded_at): (DateTime<Utc>, DateTime<Utc>),
        meta: EventMetadata,
        event: DomainEvent,
    ) -> Self {
        Self {
            position,
            event_id,
            aggregate_id: aggregate_id.to_owned(),
            sequence,
            effective_at,
            recorded_at,
            meta,
            event,
        }
    }
}

impl TryFrom<&RecordedEvent> for LedgerEvent {
    type Error = DecodeError;

    fn try_from(e: &RecordedEvent) -> Result<Self, Self::Error> {
        let payload = DomainEventOf::Value(&e.payload);
        let kind = (e.event_type.as_str(), e.event_version.as_str());
        let event = domain_event(e.position, &e.aggregate_type, kind, payload)?;
        let meta = metadata(e.position, HashMap::deserialize(&e.metadata))?;
        Ok(Self::assemble(
            e.position,
            e.event_id,
            &e.aggregate_id,
            e.sequence,
            (e.effective_at, e.recorded_at),
            meta,
            event,
        ))
    }
}

/// The fast path for folds over the whole log: one parse of the JSON text, straight into the
/// domain's types.
impl TryFrom<&RawEvent> for LedgerEvent {
    type Error = DecodeError;

    fn try_from(e: &RawEvent) -> Result<Self, Self::Error> {
        Self::try_from(e.borrowed())
    }
}

/// The same from text borrowed where a scan read it (`Ledger::scan_global_raw`).
impl TryFrom<RawEventRef<'_>> for LedgerEvent {
    type Error = DecodeError;

    fn try_from(e: RawEventRef<'_>) -> Result<Self, Self::Error> {
        let payload = DomainEventOf::Text(e.payload);
        let kind = (e.event_type, e.event_version);
        let event = domain_event(e.position, e.aggregate_type, kind, payload)?;
        let meta =
            EventMetadata::from_json(e.metadata).map_err(|source| DecodeError::Metadata {
                position: e.position,
                source,
            })?;
        Ok(Self::assemble(
            e.position,
            e.event_id,
            e.aggregate_id,
            e.sequence,
            (e.effective_at, e.recorded_at),
            meta,
            event,
        ))
    }
}
