//! QAR series: Ironclad's two completed QARs (under Tom, then Sarah) with a deferred commitment,
//! Bridgeline's first QAR open and 10 days overdue, NovaTech's 50 days and Cascade's 19 days
//! overdue, Harbor's not yet due.

use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::qar::{
    Commitment, CommitmentId, Discussion, Note, Outcome, OutcomeCounts, QarEvent as Q,
};
use channel_ledger_domain::Actor;

use super::super::builder::*;
use super::Program;
use crate::event::DomainEvent as D;

fn note(s: &str) -> Note {
    Note::parse(s).unwrap()
}

fn commitment(id: u32, what: &str, due: &str, deferred: u32) -> Commitment {
    Commitment {
        id: CommitmentId(id),
        description: note(what),
        owner: name("Sarah K. (ISV)"),
        due_at: t(due),
        times_deferred: deferred,
    }
}

pub fn discussion(concern: &str) -> Discussion {
    Discussion {
        discussed: note(concern),
        agreed: note("Hold the plan"),
        why: note("Budget freeze at the partner"),
    }
}

fn scheduled(p: &mut Program, partner: PartnerId, by: &Actor, assigned: &str, due: &str) {
    let e = Q::QarScheduled {
        partner_id: partner,
        first_assigned_at: t(assigned),
        number: 1,
        due_at: t(due),
    };
    p.log.emit(&partner.to_string(), by, assigned, D::Qar(e));
}

fn emit(p: &mut Program, partner: PartnerId, by: &Actor, at: &str, e: Q) {
    p.log.emit(&partner.to_string(), by, at, D::Qar(e));
}

pub fn write(p: &mut Program) {
    let c = &p.cast;
    let (tom, sarah, marcus, priya) = (
        c.tom.clone(),
        c.sarah.clone(),
        c.marcus.clone(),
        c.priya.clone(),
    );
    let ironclad = p.ironclad;
    scheduled(
        p,
        ironclad,
        &priya,
        "2025-01-15T09:00:00Z",
        "2025-04-15T09:00:00Z",
    );
    let at = "2025-10-01T09:00:00Z";
    emit(
        p,
        ironclad,
        &tom,
        at,
        Q::QarOpened {
            number: 1,
            opened_at: t(at),
        },
    );
    emit(
        p,
        ironclad,
        &tom,
        at,
        Q::QarDiscussionRecorded {
            number: 1,
            discussion: discussion("Slow start"),
        },
    );
    let plan = vec![
        commitment(
            1,
            "Joint webinar for the healthcare base",
            "2026-01-31T00:00:00Z",
            0,
        ),
        commitment(2, "Share the named-account list", "2025-12-15T00:00:00Z", 0),
    ];
    emit(
        p,
        ironclad,
        &tom,
        at,
        Q::QarPlanLocked {
            number: 1,
            commitments: plan,
        },
    );
    let counts = OutcomeCounts::default();
    let next = "2025-12-30T09:00:00Z";
    emit(
        p,
        ironclad,
        &tom,
        at,
        Q::QarCompleted {
            number: 1,
            completed_at: t(at),
            outcomes: counts,
            next_due_at: t(next),
        },
    );

    let at = "2026-04-01T09:00:00Z";
    emit(
        p,
        ironclad,
        &sarah,
        at,
        Q::QarOpened {
            number: 2,
            opened_at: t(at),
        },
    );
    let deferred = Outcome::Deferred {
        new_due_at: t("2026-05-31T00:00:00Z"),
    };
    emit(
        p,
        ironclad,
        &sarah,
        at,
        Q::CommitmentReviewed {
            number: 2,
            commitment_id: CommitmentId(1),
            outcome: deferred,
            note: note("Venue fell through"),
        },
    );
    emit(
        p,
        ironclad,
        &sarah,
        at,
        Q::CommitmentReviewed {
            number: 2,
            commitment_id: CommitmentId(2),
            outcome: Outcome::Delivered,
            note: note("Sent"),
        },
    );
    emit(
        p,
        ironclad,
        &sarah,
        at,
        Q::QarDiscussionRecorded {
            number: 2,
            discussion: discussion("Security review slowing Fortis"),
        },
    );
    let plan = vec![
        commitment(
            1,
            "Joint webinar for the healthcare base",
            "2026-05-31T00:00:00Z",
            1,
        ),
        commitment(
            3,
            "Exec sponsor call with Meridian",
            "2026-06-30T00:00:00Z",
            0,
        ),
    ];
    emit(
        p,
        ironclad,
        &sarah,
        at,
        Q::QarPlanLocked {
            number: 2,
            commitments: plan,
        },
    );
    let counts = OutcomeCounts {
        delivered: 1,
        deferred: 1,
        missed: 0,
    };
    let next = "2026-06-30T09:00:00Z";
    emit(
        p,
        ironclad,
        &sarah,
        at,
        Q::QarCompleted {
            number: 2,
            completed_at: t(at),
            outcomes: counts,
            next_due_at: t(next),
        },
    );

    let bridgeline = p.bridgeline;
    scheduled(
        p,
        bridgeline,
        &priya,
        "2026-03-12T09:00:00Z",
        "2026-06-10T09:00:00Z",
    );
    let at = "2026-06-05T09:00:00Z";
    emit(
        p,
        bridgeline,
        &sarah,
        at,
        Q::QarOpened {
            number: 1,
            opened_at: t(at),
        },
    );

    let (novatech, cascade, harbor) = (p.novatech, p.cascade, p.harbor);
    scheduled(
        p,
        novatech,
        &marcus,
        "2026-01-31T09:00:00Z",
        "2026-05-01T09:00:00Z",
    );
    scheduled(
        p,
        cascade,
        &marcus,
        "2026-03-03T16:00:00Z",
        "2026-06-01T16:00:00Z",
    );
    scheduled(
        p,
        harbor,
        &marcus,
        "2026-04-16T09:00:00Z",
        "2026-07-15T09:00:00Z",
    );
}
