//! Quarterly reviews of the version in force, the approval queue's view, and the codes the edge
//! reports.

use super::*;
use crate::fiscal::FiscalQuarter;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

fn q(label: &str) -> FiscalQuarter {
    label.parse().unwrap()
}

fn review(quarter: &str) -> CohortCommand {
    CohortCommand::RecordReview {
        quarter: q(quarter),
        notes: text("renewal checks done for 14 of 17 partners"),
    }
}

fn reviewed(version: u32, quarter: &str, by: &Actor) -> CohortEvent {
    CohortEvent::CohortStrategyReviewed {
        version,
        quarter: q(quarter),
        notes: text("renewal checks done for 14 of 17 partners"),
        reviewed_by: StaffRef::from(by),
        reviewed_at: decided_at(),
    }
}

#[test]
fn a_manager_records_the_quarterly_review_of_the_version_in_force() {
    CohortTest::with(())
        .given(v1_in_force())
        .when(by(marcus(), decided_at(), review("FY26 Q1")))
        .then_expect_events(vec![reviewed(1, "FY26 Q1", &marcus())]);
}

#[test]
fn a_version_is_reviewed_once_a_quarter() {
    let mut events = v1_in_force();
    events.push(reviewed(1, "FY26 Q1", &marcus()));
    CohortTest::with(())
        .given(events.clone())
        .when(by(dana(), decided_at(), review("FY26 Q1")))
        .then_expect_error(CohortError::QuarterAlreadyReviewed {
            version: 1,
            quarter: q("FY26 Q1"),
        });
    events.extend([
        revised(2, &dana(), "2026-02-16T09:00:00Z"),
        CohortEvent::CohortStrategyApproved {
            version: 2,
            record: record(Verdict::Approved, &priya(), t("2026-02-16T09:00:00Z"), None),
            supersedes: Some(1),
        },
    ]);
    CohortTest::with(())
        .given(events)
        .when(by(dana(), decided_at(), review("FY26 Q1")))
        .then_expect_events(vec![reviewed(2, "FY26 Q1", &dana())]);
}

#[test]
fn nothing_in_force_nothing_to_review() {
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(marcus(), decided_at(), review("FY26 Q1")))
        .then_expect_error(CohortError::NothingInForce);
    CohortTest::with(())
        .given_no_previous_events()
        .when(by(marcus(), decided_at(), review("FY26 Q1")))
        .then_expect_error(CohortError::NotDrafted);
}

#[test]
fn finance_cannot_review_a_cohort_strategy() {
    CohortTest::with(())
        .given(v1_in_force())
        .when(by(
            person(9, "Finn", Role::Finance, None),
            decided_at(),
            review("FY26 Q1"),
        ))
        .then_expect_error(CohortError::Forbidden(Forbidden(
            "Finance may not cohort.review".into(),
        )));
}

#[test]
fn a_pending_version_is_due_for_approval_within_five_business_days() {
    let pending = fold(vec![drafted()]).pending_approval().unwrap();
    assert_eq!(pending.classification, Classification::Farmer);
    assert_eq!((pending.version, pending.requested_at), (1, drafted_at()));
    assert_eq!(pending.due_at, t("2026-02-20T09:00:00Z"));
    assert_eq!(pending.drafted_by.staff_id, marcus().staff_id);
    assert!(!pending.is_overdue(t("2026-02-20T09:00:00Z")));
    assert!(pending.is_overdue(t("2026-02-20T09:00:01Z")));
    assert_eq!(fold(v1_in_force()).pending_approval(), None);
    assert_eq!(CohortStrategy::default().in_force(), None);
}

#[test]
fn authority_names_the_policy_and_the_capacity() {
    assert_eq!(
        permission_for(&review("FY26 Q1")).authority(&priya()),
        "cohort.review as Manager of Southeast"
    );
}

#[test]
fn every_refusal_has_a_stable_code_and_kind() {
    let cases = [
        (CohortError::OwnDraft, "own-draft", RejectionKind::Forbidden),
        (
            CohortError::InvalidDelegation,
            "invalid-delegation",
            RejectionKind::Forbidden,
        ),
        (
            CohortError::NotDrafted,
            "strategy-not-found",
            RejectionKind::NotFound,
        ),
        (
            CohortError::NoPlays,
            "no-plays",
            RejectionKind::Invalid { field: "plays" },
        ),
        (
            CohortError::VersionPending { version: 2 },
            "version-pending-approval",
            RejectionKind::Conflict,
        ),
        (
            CohortError::NothingInForce,
            "no-strategy-in-force",
            RejectionKind::Conflict,
        ),
    ];
    for (error, code, kind) in cases {
        assert_eq!((error.code(), error.kind()), (code, kind), "{error}");
    }
}
