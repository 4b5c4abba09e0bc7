//! A small log writer for tests: events with metadata, positions and times, folded into a model.

use channel_ledger_domain::approval::{ApprovalRecord, ApprovalStep, Approver, StaffRef, Verdict};
use channel_ledger_domain::money::Money;
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, EventMetadata, Role, StaffId, Territory};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::event::{DomainEvent, LedgerEvent};
use crate::model::ProgramModel;
use crate::views::Scope;

pub fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

pub fn name(s: &str) -> Name {
    Name::parse(s).unwrap()
}

pub fn reason(s: &str) -> Reason {
    Reason::parse(s).unwrap()
}

pub fn usd(dollars: i64) -> Money {
    Money::usd(dollars * 100)
}

pub fn person(name: &str, role: Role, territory: Option<&str>) -> Actor {
    Actor {
        staff_id: StaffId(Uuid::new_v4()),
        name: name.to_owned(),
        role,
        territory: territory.map(|t| Territory::parse(t).unwrap()),
    }
}

pub fn scope_of(a: &Actor) -> Scope {
    Scope::new(a.staff_id, a.role, a.territory.clone())
}

/// `approver`'s verdict on `step`, pending since `requested`, decided at `decided`.
pub fn record(
    step: ApprovalStep,
    verdict: Verdict,
    approver: &Actor,
    requested: &str,
    decided: &str,
) -> ApprovalRecord {
    ApprovalRecord::new(
        step,
        verdict,
        &Approver::new(approver.clone(), None),
        None,
        t(requested),
        t(decided),
    )
}

pub fn staff_ref(a: &Actor) -> StaffRef {
    StaffRef::from(a)
}

#[derive(Default)]
pub struct Log {
    pub events: Vec<LedgerEvent>,
}

impl Log {
    /// Appends `event` to stream `stream`, decided by `who` effective at `at`, recorded then too.
    pub fn emit(&mut self, stream: &str, who: &Actor, at: &str, event: DomainEvent) -> &mut Self {
        self.emit_because(stream, who, at, None, event)
    }

    pub fn emit_because(
        &mut self,
        stream: &str,
        who: &Actor,
        at: &str,
        why: Option<&str>,
        event: DomainEvent,
    ) -> &mut Self {
        let position = i64::try_from(self.events.len()).unwrap() + 1;
        let command_id = Uuid::new_v4();
        let meta = EventMetadata {
            effective_at: t(at),
            backdate_reason: None,
            actor_id: who.staff_id,
            actor_name: who.name.clone(),
            actor_role: who.role,
            actor_territory: who.territory.clone(),
            authority: format!("test as {}", who.capacity()),
            reason: why.map(str::to_owned),
            command_id,
            correlation_id: command_id,
            causation_id: None,
            request_id: None,
        };
        let sequence = self
            .events
            .iter()
            .filter(|e| e.aggregate_id == stream)
            .count();
        self.events.push(LedgerEvent {
            position,
            event_id: Uuid::new_v4(),
            aggregate_id: stream.to_owned(),
            sequence: i64::try_from(sequence).unwrap() + 1,
            effective_at: t(at),
            recorded_at: t(at),
            meta,
            event,
        });
        self
    }

    pub fn model(&self) -> ProgramModel {
        ProgramModel::fold(&self.events)
    }
}
