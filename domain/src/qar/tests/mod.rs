//! Given/when/then for every QAR command and refusal, around one partner: Ironclad MSP in the
//! Southeast, PAM Sarah K., first assigned on 5 Jan 2026.

mod completing;
mod opening;
mod planning;
mod queries;
mod reviewing;

use chrono::{DateTime, Utc};
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::*;
use crate::actor::{Actor, Role, StaffId, Territory};
use crate::partner::{Classification, PartnerFacts, Tier};
use crate::text::Name;

type QarTest = TestFramework<QarSeries>;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// First PAM assignment.
fn assigned_at() -> DateTime<Utc> {
    t("2026-01-05T09:00:00Z")
}
fn qar1_completed_at() -> DateTime<Utc> {
    t("2026-04-02T16:00:00Z")
}
/// A moment during QAR 2, after it opened.
fn during_qar2() -> DateTime<Utc> {
    t("2026-06-26T10:00:00Z")
}

fn sarah_id() -> StaffId {
    StaffId(uuid::Uuid::from_u128(7))
}

fn partner() -> PartnerFacts {
    PartnerFacts {
        partner_id: PartnerId(uuid::Uuid::from_u128(42)),
        name: Name::parse("Ironclad MSP").unwrap(),
        territory: Territory::parse("Southeast").unwrap(),
        tier: Tier::Gold,
        classification: Some(Classification::Farmer),
        pam: Some(sarah_id()),
        offboarded: false,
    }
}

fn staff(role: Role, territory: Option<&str>) -> Actor {
    Actor {
        staff_id: StaffId::new(),
        name: format!("{role} person"),
        role,
        territory: territory.map(|t| Territory::parse(t).unwrap()),
    }
}

/// The partner's own PAM.
fn sarah() -> Actor {
    Actor {
        staff_id: sarah_id(),
        name: "Sarah K.".into(),
        role: Role::Pam,
        territory: Some(Territory::parse("Southeast").unwrap()),
    }
}

fn note(s: &str) -> Note {
    Note::parse(s).unwrap()
}

fn commitment(id: u32, description: &str, due_at: &str) -> Commitment {
    Commitment {
        id: CommitmentId(id),
        description: note(description),
        owner: Name::parse("J. Ruiz, Ironclad").unwrap(),
        due_at: t(due_at),
        times_deferred: 0,
    }
}

fn new_commitment(description: &str, due_at: &str) -> NewCommitment {
    NewCommitment {
        description: note(description),
        owner: Name::parse("Sarah K. (ISV)").unwrap(),
        due_at: t(due_at),
    }
}

fn discussion() -> Discussion {
    Discussion {
        discussed: note("pipeline in healthcare; two stalled renewals"),
        agreed: note("joint webinar in May; escalate the renewals"),
        why: note("healthcare logos are ICP-aligned"),
    }
}

/// The plan QAR 1 locked, which QAR 2 reviews.
fn first_plan() -> Vec<Commitment> {
    vec![
        commitment(1, "run a joint webinar", "2026-05-15T00:00:00Z"),
        commitment(2, "certify two engineers", "2026-06-01T00:00:00Z"),
        commitment(
            3,
            "introduce three healthcare accounts",
            "2026-06-15T00:00:00Z",
        ),
    ]
}

fn scheduled() -> QarEvent {
    QarEvent::QarScheduled {
        partner_id: partner().partner_id,
        first_assigned_at: assigned_at(),
        number: 1,
        due_at: t("2026-04-05T09:00:00Z"),
    }
}

fn opened(number: u32, at: &str) -> QarEvent {
    QarEvent::QarOpened {
        number,
        opened_at: t(at),
    }
}

/// QAR 1 scheduled and open: no previous plan to review.
fn qar1_open() -> Vec<QarEvent> {
    vec![scheduled(), opened(1, "2026-03-30T14:00:00Z")]
}

/// QAR 1 completed with `first_plan`; QAR 2 due 2 Jul 2026.
fn qar1_done() -> Vec<QarEvent> {
    let mut events = qar1_open();
    events.extend([
        QarEvent::QarDiscussionRecorded {
            number: 1,
            discussion: discussion(),
        },
        QarEvent::QarPlanLocked {
            number: 1,
            commitments: first_plan(),
        },
        QarEvent::QarCompleted {
            number: 1,
            completed_at: qar1_completed_at(),
            outcomes: OutcomeCounts::default(),
            next_due_at: t("2026-07-01T16:00:00Z"),
        },
    ]);
    events
}

/// QAR 2 open, nothing reviewed yet.
fn qar2_open() -> Vec<QarEvent> {
    let mut events = qar1_done();
    events.push(opened(2, "2026-06-25T14:00:00Z"));
    events
}

fn reviewed(id: u32, outcome: Outcome) -> QarEvent {
    QarEvent::CommitmentReviewed {
        number: 2,
        commitment_id: CommitmentId(id),
        outcome,
        note: note("as discussed"),
    }
}

fn deferred_to(at: &str) -> Outcome {
    Outcome::Deferred { new_due_at: t(at) }
}

/// QAR 2 with all three commitments reviewed: delivered, deferred, missed.
fn qar2_reviewed() -> Vec<QarEvent> {
    let mut events = qar2_open();
    events.extend([
        reviewed(1, Outcome::Delivered),
        reviewed(2, deferred_to("2026-08-01T00:00:00Z")),
        reviewed(3, Outcome::Missed),
    ]);
    events
}

fn by(actor: Actor, at: DateTime<Utc>, command: QarCommand) -> Authored<QarCommand> {
    Authored::new(actor, at, command)
}

fn fold(events: Vec<QarEvent>) -> QarSeries {
    let mut series = QarSeries::default();
    for e in events {
        series.apply(e);
    }
    series
}
