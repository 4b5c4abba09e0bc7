//! Given/when/then for every cohort strategy command and refusal, around the Farmer strategy:
//! drafted by Manager Marcus T., decided by CxO Dana R. or Manager Priya S.

mod approving;
mod drafting;
mod reviewing;

use chrono::{DateTime, Utc};
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::*;
use crate::actor::{Actor, Role, StaffId, Territory};
use crate::approval::{ApprovalRecord, ApprovalStep, Approver, StaffRef, Verdict};
use crate::text::{Name, Reason};

type CohortTest = TestFramework<CohortStrategy>;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Friday: five business days later is the next Friday.
fn drafted_at() -> DateTime<Utc> {
    t("2026-02-13T09:00:00Z")
}
fn decided_at() -> DateTime<Utc> {
    t("2026-02-16T10:00:00Z")
}

fn person(n: u128, name: &str, role: Role, territory: Option<&str>) -> Actor {
    Actor {
        staff_id: StaffId(uuid::Uuid::from_u128(n)),
        name: name.into(),
        role,
        territory: territory.map(|t| Territory::parse(t).unwrap()),
    }
}

fn marcus() -> Actor {
    person(1, "Marcus T.", Role::Manager, Some("Mid-Atlantic"))
}
fn priya() -> Actor {
    person(2, "Priya S.", Role::Manager, Some("Southeast"))
}
fn dana() -> Actor {
    person(3, "Dana R.", Role::Cxo, None)
}
fn sarah() -> Actor {
    person(4, "Sarah K.", Role::Pam, Some("Southeast"))
}

fn text(s: &str) -> StrategyText {
    StrategyText::parse(s).unwrap()
}

fn plays() -> Vec<Play> {
    vec![
        Play {
            title: Name::parse("Renewal health check").unwrap(),
            description: text("review every renewal due in the next two quarters"),
        },
        Play {
            title: Name::parse("Cross-sell workshop").unwrap(),
            description: text("one workshop per quarter on the add-on modules"),
        },
    ]
}

fn drafted() -> CohortEvent {
    CohortEvent::CohortStrategyDrafted {
        classification: Classification::Farmer,
        version: 1,
        intent: text("grow steady renewals into expansion revenue"),
        plays: plays(),
        drafted_by: StaffRef::from(&marcus()),
        drafted_at: drafted_at(),
    }
}

fn revised(version: u32, by: &Actor, at: &str) -> CohortEvent {
    CohortEvent::CohortStrategyRevised {
        version,
        intent: text("expansion first, renewals second"),
        plays: plays(),
        drafted_by: StaffRef::from(by),
        drafted_at: t(at),
    }
}

fn record(
    verdict: Verdict,
    by: &Actor,
    requested: DateTime<Utc>,
    comment: Option<&str>,
) -> ApprovalRecord {
    let step = if by.role == Role::Cxo {
        ApprovalStep::Cxo
    } else {
        ApprovalStep::Manager
    };
    ApprovalRecord::new(
        step,
        verdict,
        &Approver::new(by.clone(), None),
        comment.map(|c| Reason::parse(c).unwrap()),
        requested,
        decided_at(),
    )
}

/// Version 1 approved by the CxO.
fn v1_in_force() -> Vec<CohortEvent> {
    vec![
        drafted(),
        CohortEvent::CohortStrategyApproved {
            version: 1,
            record: record(Verdict::Approved, &dana(), drafted_at(), None),
            supersedes: None,
        },
    ]
}

fn by(actor: Actor, at: DateTime<Utc>, command: CohortCommand) -> Authored<CohortCommand> {
    Authored::new(actor, at, command)
}

fn fold(events: Vec<CohortEvent>) -> CohortStrategy {
    let mut strategy = CohortStrategy::default();
    for e in events {
        strategy.apply(e);
    }
    strategy
}
