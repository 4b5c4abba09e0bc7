//! Approving and rejecting: segregation of duties, delegations, and what stays in force.

use super::*;
use crate::approval::Delegation;
use crate::rejection::Forbidden;

fn approve(version: u32, on_behalf_of: Option<Delegation>) -> CohortCommand {
    CohortCommand::Approve {
        version,
        on_behalf_of,
        comment: None,
    }
}

fn reject(version: u32) -> CohortCommand {
    CohortCommand::Reject {
        version,
        on_behalf_of: None,
        reason: Reason::parse("too vague").unwrap(),
    }
}

fn delegation(principal: Actor, delegate: &Actor, until: &str) -> Delegation {
    Delegation {
        principal,
        delegate: delegate.staff_id,
        from: t("2026-02-01T00:00:00Z"),
        until: t(until),
    }
}

#[test]
fn a_cxo_approves_a_managers_draft_and_it_comes_into_force() {
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(dana(), decided_at(), approve(1, None)))
        .then_expect_events(vec![v1_in_force()[1].clone()]);
    let strategy = fold(v1_in_force());
    let in_force = strategy.in_force().unwrap();
    assert_eq!(
        (in_force.version, in_force.status),
        (1, VersionStatus::Approved)
    );
    assert_eq!(
        in_force.decision.as_ref().unwrap().waited_seconds,
        3 * 86_400 + 3600
    );
}

#[test]
fn another_manager_may_approve() {
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(priya(), decided_at(), approve(1, None)))
        .then_expect_events(vec![CohortEvent::CohortStrategyApproved {
            version: 1,
            record: record(Verdict::Approved, &priya(), drafted_at(), None),
            supersedes: None,
        }]);
}

#[test]
fn while_a_revision_awaits_approval_the_approved_version_stays_in_force() {
    let mut events = v1_in_force();
    events.push(revised(2, &dana(), "2026-02-16T09:00:00Z"));
    let strategy = fold(events.clone());
    assert_eq!(strategy.in_force().unwrap().version, 1);
    assert_eq!(strategy.pending_version().unwrap().version, 2);

    let requested = t("2026-02-16T09:00:00Z");
    let approved = CohortEvent::CohortStrategyApproved {
        version: 2,
        record: record(Verdict::Approved, &priya(), requested, None),
        supersedes: Some(1),
    };
    CohortTest::with(())
        .given(events.clone())
        .when(by(priya(), decided_at(), approve(2, None)))
        .then_expect_events(vec![approved.clone()]);
    events.push(approved);
    let strategy = fold(events);
    assert_eq!(strategy.in_force().unwrap().version, 2);
    assert_eq!(
        strategy.version(1).unwrap().status,
        VersionStatus::Superseded
    );
}

#[test]
fn a_rejection_records_its_reason_and_leaves_the_version_in_force() {
    let mut events = v1_in_force();
    events.push(revised(2, &dana(), "2026-02-16T09:00:00Z"));
    let rejected = CohortEvent::CohortStrategyRejected {
        version: 2,
        record: record(
            Verdict::Rejected,
            &marcus(),
            t("2026-02-16T09:00:00Z"),
            Some("too vague"),
        ),
    };
    CohortTest::with(())
        .given(events.clone())
        .when(by(marcus(), decided_at(), reject(2)))
        .then_expect_events(vec![rejected.clone()]);
    events.push(rejected);
    let strategy = fold(events);
    assert_eq!(strategy.in_force().unwrap().version, 1);
    assert_eq!(strategy.version(2).unwrap().status, VersionStatus::Rejected);
    assert_eq!(strategy.pending_approval(), None);
}

#[test]
fn the_drafter_cannot_approve_or_reject_their_own_draft() {
    for command in [approve(1, None), reject(1)] {
        CohortTest::with(())
            .given(vec![drafted()])
            .when(by(marcus(), decided_at(), command))
            .then_expect_error(CohortError::OwnDraft);
    }
}

#[test]
fn a_delegate_of_the_drafter_cannot_approve_in_their_name() {
    let deputy = priya();
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(
            deputy.clone(),
            decided_at(),
            approve(
                1,
                Some(delegation(marcus(), &deputy, "2026-03-01T00:00:00Z")),
            ),
        ))
        .then_expect_error(CohortError::OwnDraft);
}

#[test]
fn a_delegate_approves_with_the_principals_authority_and_both_are_recorded() {
    let deputy = sarah();
    let grant = delegation(dana(), &deputy, "2026-03-01T00:00:00Z");
    let record = ApprovalRecord::new(
        ApprovalStep::Cxo,
        Verdict::Approved,
        &Approver::new(deputy.clone(), Some(grant.clone())),
        None,
        drafted_at(),
        decided_at(),
    );
    assert_eq!(
        record.on_behalf_of.as_ref().unwrap().staff_id,
        dana().staff_id
    );
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(deputy, decided_at(), approve(1, Some(grant))))
        .then_expect_events(vec![CohortEvent::CohortStrategyApproved {
            version: 1,
            record,
            supersedes: None,
        }]);
}

#[test]
fn an_expired_delegation_does_not_count() {
    let deputy = priya();
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(
            deputy.clone(),
            decided_at(),
            approve(1, Some(delegation(dana(), &deputy, "2026-02-15T00:00:00Z"))),
        ))
        .then_expect_error(CohortError::InvalidDelegation);
}

#[test]
fn a_pam_cannot_approve_a_cohort_strategy() {
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(sarah(), decided_at(), approve(1, None)))
        .then_expect_error(CohortError::Forbidden(Forbidden(
            "PAM of Southeast may not cohort.approve".into(),
        )));
}

#[test]
fn only_the_pending_version_can_be_decided() {
    CohortTest::with(())
        .given(v1_in_force())
        .when(by(priya(), decided_at(), approve(1, None)))
        .then_expect_error(CohortError::NotPendingApproval { version: 1 });
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(priya(), decided_at(), reject(2)))
        .then_expect_error(CohortError::NotPendingApproval { version: 2 });
    CohortTest::with(())
        .given_no_previous_events()
        .when(by(priya(), decided_at(), approve(1, None)))
        .then_expect_error(CohortError::NotDrafted);
}
