//! Read-time questions: due dates, overdue against a given clock, the console and handover views,
//! and the authority and problem codes the edge reports.

use super::*;
use crate::fiscal::FiscalCalendar;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

#[test]
fn a_qar_past_its_due_date_and_not_completed_is_overdue() {
    let series = fold(vec![scheduled()]);
    assert_eq!(series.due_at(), Some(t("2026-04-05T09:00:00Z")));
    assert!(!series.is_overdue(t("2026-04-05T09:00:00Z")));
    assert!(series.is_overdue(t("2026-04-05T09:00:01Z")));
    assert!(
        fold(qar1_open()).is_overdue(t("2026-05-01T00:00:00Z")),
        "opening does not stop the clock"
    );
    let done = fold(qar1_done());
    assert!(
        !done.is_overdue(t("2026-05-01T00:00:00Z")),
        "completing schedules the next"
    );
    assert!(done.is_overdue(t("2026-07-02T00:00:00Z")));
}

#[test]
fn nothing_is_due_before_the_cadence_starts() {
    let series = QarSeries::default();
    assert_eq!(series.due_at(), None);
    assert!(!series.is_overdue(t("2030-01-01T00:00:00Z")));
    assert_eq!(series.pending(t("2030-01-01T00:00:00Z")), None);
}

#[test]
fn the_console_sees_how_far_the_pending_qar_has_got() {
    let mut events = qar2_open();
    events.push(reviewed(1, Outcome::Delivered));
    let view = fold(events).pending(t("2026-07-10T00:00:00Z")).unwrap();
    assert_eq!(
        view,
        PendingQar {
            partner_id: partner().partner_id,
            number: 2,
            due_at: t("2026-07-01T16:00:00Z"),
            opened: true,
            opened_at: Some(t("2026-06-25T14:00:00Z")),
            overdue: true,
            commitments_to_review: 3,
            commitments_reviewed: 1,
            discussion_recorded: false,
            plan_locked: false,
        }
    );
}

#[test]
fn the_handover_brief_lists_what_is_still_owed_and_the_history() {
    let mut events = qar2_open();
    events.extend([
        reviewed(1, Outcome::Delivered),
        reviewed(2, deferred_to("2026-08-01T00:00:00Z")),
    ]);
    let series = fold(events);
    let owed: Vec<_> = series
        .open_commitments()
        .into_iter()
        .map(|c| (c.id.0, c.due_at))
        .collect();
    assert_eq!(
        owed,
        vec![
            (2, t("2026-08-01T00:00:00Z")),
            (3, t("2026-06-15T00:00:00Z"))
        ]
    );
    let first = &series.history()[0];
    assert_eq!(
        first.quarter(&FiscalCalendar::default()).to_string(),
        "FY26 Q2"
    );
    assert_eq!(
        first.quarter(&FiscalCalendar::new(2).unwrap()).to_string(),
        "FY27 Q1"
    );
    assert!(!first.was_late());
}

#[test]
fn authority_names_the_policy_and_the_capacity() {
    let command = QarCommand::Open { partner: partner() };
    assert_eq!(
        permission_for(&command).authority(&sarah()),
        "qar.open as PAM of Southeast"
    );
}

#[test]
fn every_refusal_has_a_stable_code_and_kind() {
    let cases = [
        (
            QarError::Forbidden(Forbidden("no".into())),
            "forbidden",
            RejectionKind::Forbidden,
        ),
        (
            QarError::NotScheduled,
            "qar-not-scheduled",
            RejectionKind::NotFound,
        ),
        (
            QarError::UnknownCommitment(CommitmentId(1)),
            "unknown-commitment",
            RejectionKind::NotFound,
        ),
        (
            QarError::EmptyPlan,
            "empty-plan",
            RejectionKind::Invalid {
                field: "commitments",
            },
        ),
        (
            QarError::DueDateInPast {
                field: "new_due_at",
                due_at: assigned_at(),
            },
            "due-date-in-past",
            RejectionKind::Invalid {
                field: "new_due_at",
            },
        ),
        (
            QarError::UnreviewedCommitments(vec![CommitmentId(1), CommitmentId(3)]),
            "unreviewed-commitments",
            RejectionKind::Conflict,
        ),
    ];
    for (error, code, kind) in cases {
        assert_eq!((error.code(), error.kind()), (code, kind), "{error}");
    }
    assert_eq!(
        QarError::UnreviewedCommitments(vec![CommitmentId(1), CommitmentId(3)]).to_string(),
        "every commitment of the previous plan must be reviewed first; still unreviewed: 1, 3"
    );
}

#[test]
fn notes_are_bounded_text() {
    assert!(Note::parse("  ").is_err());
    assert!(Note::parse(&"x".repeat(Note::MAX_CHARS + 1)).is_err());
    assert!(serde_json::from_str::<Note>("\"\\u0000\"").is_err());
}
