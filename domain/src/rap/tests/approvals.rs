//! The two sign-offs, segregation of duties, delegation, rejection and due dates.

use super::*;
use crate::authored::Decision;
use crate::rejection::Forbidden;

#[test]
fn a_manager_of_the_territory_approves_and_signs_off_the_mdf_exemption() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            cast.manager.clone(),
            t(MANAGER_AT),
            approve(ApprovalStep::Manager),
        ))
        .then_expect_events(vec![RapEvent::RapApprovedByManager {
            approval: cast.manager_approval(),
            mdf_exemption_signed_off: true,
        }]);
}

#[test]
fn ironclad_rap_is_active_after_manager_and_cxo_approval() {
    let cast = Cast::new();
    let approval = record(ApprovalStep::Cxo, &cast.cxo, MANAGER_AT, CXO_AT);
    assert_eq!(approval.waited_seconds, 2 * 86_400 + 19 * 3_600);
    RapTest::with(())
        .given(cast.manager_approved())
        .when(Authored::new(
            cast.cxo.clone(),
            t(CXO_AT),
            approve(ApprovalStep::Cxo),
        ))
        .then_expect_events(vec![RapEvent::RapActivated {
            approval,
            mdf_exemption_signed_off: true,
            version: 1,
        }]);

    // The same story through `handle`, from the first draft.
    let rap = run(
        vec![],
        vec![
            Authored::new(
                cast.pam.clone(),
                t(DRAFTED_AT),
                cast.draft(ironclad_terms()),
            ),
            Authored::new(cast.pam.clone(), t(SUBMITTED_AT), cast.submit()),
            Authored::new(
                cast.manager.clone(),
                t(MANAGER_AT),
                approve(ApprovalStep::Manager),
            ),
            Authored::new(cast.cxo.clone(), t(CXO_AT), approve(ApprovalStep::Cxo)),
        ],
    )
    .unwrap();
    let plan = rap.plan.unwrap();
    assert_eq!(plan.status, RapStatus::Active);
    assert_eq!(plan.version, 1);
    assert_eq!(plan.economics, Some(ironclad_economics()));
    assert_eq!(plan.approvals.len(), 2);
    assert_eq!(plan.accounts.len(), 3);
    assert!(plan
        .accounts
        .iter()
        .all(|a| a.status == NamedAccountStatus::Identified));
}

#[test]
fn manager_cannot_approve_own_rap_submission() {
    let cast = Cast::new();
    // The PAM who submitted has since been promoted to Manager of the territory.
    let promoted = Actor {
        role: Role::Manager,
        ..cast.pam.clone()
    };
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            promoted,
            t(MANAGER_AT),
            approve(ApprovalStep::Manager),
        ))
        .then_expect_error(RapError::SelfApproval);
}

#[test]
fn a_submitter_cannot_approve_their_own_rap_as_a_delegate() {
    let cast = Cast::new();
    let on_behalf = delegation(&cast.manager, &cast.pam, DRAFTED_AT, LATER);
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            cast.pam.clone(),
            t(MANAGER_AT),
            RapCommand::Approve {
                step: ApprovalStep::Manager,
                on_behalf_of: Some(on_behalf),
                comment: None,
            },
        ))
        .then_expect_error(RapError::SelfApproval);
}

#[test]
fn a_manager_of_another_territory_cannot_approve() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(staff(Role::Manager, Some("Mid-Atlantic")), t(MANAGER_AT), approve(ApprovalStep::Manager)))
        .then_expect_error(RapError::Forbidden(Forbidden(
            "Manager of Mid-Atlantic may not rap.approve-as-manager in Southeast: it is outside their territory".into(),
        )));
}

#[test]
fn a_cxo_does_not_stand_in_for_the_manager() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            cast.cxo.clone(),
            t(MANAGER_AT),
            approve(ApprovalStep::Manager),
        ))
        .then_expect_error(RapError::Forbidden(Forbidden(
            "CxO may not rap.approve-as-manager".into(),
        )));
}

#[test]
fn cxo_cannot_approve_before_the_manager() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            cast.cxo.clone(),
            t(CXO_AT),
            approve(ApprovalStep::Cxo),
        ))
        .then_expect_error(RapError::CxoBeforeManager);
}

#[test]
fn the_manager_approver_cannot_also_sign_as_cxo() {
    let cast = Cast::new();
    let promoted = Actor {
        role: Role::Cxo,
        territory: None,
        ..cast.manager.clone()
    };
    RapTest::with(())
        .given(cast.manager_approved())
        .when(Authored::new(
            promoted,
            t(CXO_AT),
            approve(ApprovalStep::Cxo),
        ))
        .then_expect_error(RapError::SameApproverTwice);
}

#[test]
fn a_manager_cannot_approve_a_step_already_approved() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.manager_approved())
        .when(Authored::new(
            cast.manager.clone(),
            t(CXO_AT),
            approve(ApprovalStep::Manager),
        ))
        .then_expect_error(RapError::StepNotPending {
            step: ApprovalStep::Manager,
        });
}

#[test]
fn a_delegate_approves_with_the_principals_authority_and_both_are_recorded() {
    let cast = Cast::new();
    let deputy = staff(Role::Manager, Some("Mid-Atlantic"));
    let on_behalf = delegation(&cast.cxo, &deputy, DRAFTED_AT, LATER);
    let approver = Approver::new(deputy.clone(), Some(on_behalf.clone()));
    let approval = ApprovalRecord::new(
        ApprovalStep::Cxo,
        Verdict::Approved,
        &approver,
        None,
        t(MANAGER_AT),
        t(CXO_AT),
    );
    let command = RapCommand::Approve {
        step: ApprovalStep::Cxo,
        on_behalf_of: Some(on_behalf),
        comment: None,
    };
    assert_eq!(
        command.authority(&deputy),
        "rap.approve-as-cxo as Manager of Mid-Atlantic on behalf of CxO person (CxO)"
    );
    RapTest::with(())
        .given(cast.manager_approved())
        .when(Authored::new(deputy, t(CXO_AT), command))
        .then_expect_events(vec![RapEvent::RapActivated {
            approval,
            mdf_exemption_signed_off: true,
            version: 1,
        }]);
}

#[test]
fn an_expired_delegation_does_not_count() {
    let cast = Cast::new();
    let deputy = staff(Role::Manager, Some("Southeast"));
    RapTest::with(())
        .given(cast.manager_approved())
        .when(Authored::new(
            deputy.clone(),
            t(CXO_AT),
            RapCommand::Approve {
                step: ApprovalStep::Cxo,
                on_behalf_of: Some(delegation(&cast.cxo, &deputy, DRAFTED_AT, MANAGER_AT)),
                comment: None,
            },
        ))
        .then_expect_error(RapError::InvalidDelegation);
}

#[test]
fn an_approval_cannot_take_effect_before_the_submission() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            cast.manager.clone(),
            t(DRAFTED_AT),
            approve(ApprovalStep::Manager),
        ))
        .then_expect_error(RapError::DecidedBeforeRequested {
            requested_at: t(SUBMITTED_AT),
        });
}

#[test]
fn a_draft_has_nothing_to_approve() {
    let cast = Cast::new();
    RapTest::with(())
        .given(vec![cast.drafted()])
        .when(Authored::new(
            cast.manager.clone(),
            t(MANAGER_AT),
            approve(ApprovalStep::Manager),
        ))
        .then_expect_error(RapError::NothingToApprove);
}
