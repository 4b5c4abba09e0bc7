use super::*;
use crate::actor::Role;
use crate::approval::{ApprovalRecord, ApprovalStep, Verdict};
use crate::mdf::error::MdfError;
use crate::mdf::test_support::*;
use crate::rejection::{Rejection, RejectionKind};

#[test]
fn a_pam_requests_an_exemption_with_a_justification() {
    let id = AllocationId::new();
    let sarah = pam();
    BudgetTest::with(())
        .given(vec![budget_set(100_000)])
        .when(Authored::new(
            sarah.clone(),
            t("2026-02-10T09:00:00Z"),
            ProgramBudgetCommand::RequestExemption {
                allocation_id: id,
                partner: novatech(),
                amount: usd(12_000),
                justification: reason("regional healthcare launch beyond Gold's cap"),
            },
        ))
        .then_expect_events(vec![exemption_requested(id, &sarah)]);
}

#[test]
fn pending_exemptions_hold_budget() {
    let request = |id| ProgramBudgetCommand::RequestExemption {
        allocation_id: id,
        partner: novatech(),
        amount: usd(12_000),
        justification: reason("again"),
    };
    BudgetTest::with(())
        .given(vec![
            budget_set(20_000),
            exemption_requested(AllocationId::new(), &pam()),
        ])
        .when(when(pam(), request(AllocationId::new())))
        .then_expect_error(MdfError::OverBudget {
            available: usd(8_000),
        });
}

#[test]
fn novatech_exemption_waits_for_the_cxo_after_manager_approval() {
    let id = AllocationId::new();
    let priya = manager();
    let history = vec![budget_set(100_000), exemption_requested(id, &pam())];
    BudgetTest::with(())
        .given(history.clone())
        .when(Authored::new(
            priya.clone(),
            t("2026-02-11T09:00:00Z"),
            approve(id),
        ))
        .then_expect_events(vec![manager_signed(id, &priya)]);

    let state = fold([history, vec![manager_signed(id, &priya)]].concat());
    let novatech = state.allocation(id).unwrap();
    assert_eq!(novatech.status, AllocationStatus::AwaitingCxo);
    assert_eq!(novatech.awaiting(), Some(ApprovalStep::Cxo));
    // Wed 11 Feb + 5 business days.
    assert_eq!(novatech.approval_due(), Some(t("2026-02-18T09:00:00Z")));
    assert_eq!(state.approved_total(), usd(0));
    assert_eq!(state.pending_total(), usd(12_000));
    assert!(!state.exemption_facts(id).unwrap().approved);
    assert_eq!(state.pending_exemptions().count(), 1);
}

#[test]
fn a_cxo_signs_after_the_manager_and_the_exemption_becomes_available() {
    let id = AllocationId::new();
    let (priya, chief) = (manager(), cxo());
    let history = vec![
        budget_set(100_000),
        exemption_requested(id, &pam()),
        manager_signed(id, &priya),
    ];
    let signed = ProgramBudgetEvent::ExemptionApprovedByCxo {
        allocation_id: id,
        partner_id: novatech().partner_id,
        amount: usd(12_000),
        record: ApprovalRecord::new(
            ApprovalStep::Cxo,
            Verdict::Approved,
            &crate::approval::Approver::new(chief.clone(), None),
            Some(reason("strategic")),
            t("2026-02-11T09:00:00Z"),
            at(),
        ),
    };
    BudgetTest::with(())
        .given(history.clone())
        .when(when(
            chief,
            ProgramBudgetCommand::ApproveExemption {
                allocation_id: id,
                on_behalf_of: None,
                comment: Some(reason("strategic")),
            },
        ))
        .then_expect_events(vec![signed.clone()]);
    let state = fold([history, vec![signed]].concat());
    assert_eq!(
        state.partner_approved_total(novatech().partner_id),
        usd(12_000)
    );
    assert_eq!(
        state
            .allocation(id)
            .unwrap()
            .exemption
            .as_ref()
            .unwrap()
            .approvals
            .len(),
        2
    );
    assert!(state.exemption_facts(id).unwrap().approved);
    assert_eq!(state.allocation(id).unwrap().approval_due(), None);
}

#[test]
fn the_cxo_cannot_sign_before_the_manager() {
    let id = AllocationId::new();
    BudgetTest::with(())
        .given(vec![budget_set(100_000), exemption_requested(id, &pam())])
        .when(when(cxo(), approve(id)))
        .then_expect_error(MdfError::WrongApproverRole {
            step: ApprovalStep::Manager,
            needed: Role::Manager,
            role: Role::Cxo,
        });
}

#[test]
fn a_manager_cannot_sign_the_cxo_step() {
    let id = AllocationId::new();
    let priya = manager();
    BudgetTest::with(())
        .given(vec![
            budget_set(100_000),
            exemption_requested(id, &pam()),
            manager_signed(id, &priya),
        ])
        .when(when(manager(), approve(id)))
        .then_expect_error(MdfError::WrongApproverRole {
            step: ApprovalStep::Cxo,
            needed: Role::Cxo,
            role: Role::Manager,
        });
}

#[test]
fn a_manager_of_another_territory_cannot_approve_the_exemption() {
    let id = AllocationId::new();
    let err = BudgetTest::with(())
        .given(vec![budget_set(100_000), exemption_requested(id, &pam())])
        .when(when(other_manager(), approve(id)))
        .inspect_result()
        .unwrap_err();
    assert_eq!(
        err,
        MdfError::ApproverOutsideTerritory {
            territory: territory("Southeast")
        }
    );
    assert_eq!(err.kind(), RejectionKind::Forbidden);
}

#[test]
fn the_requester_cannot_approve_their_own_exemption() {
    let id = AllocationId::new();
    let priya = manager();
    BudgetTest::with(())
        .given(vec![budget_set(100_000), exemption_requested(id, &priya)])
        .when(when(priya, approve(id)))
        .then_expect_error(MdfError::SelfApproval);
}

#[test]
fn the_manager_who_signed_cannot_sign_again_as_the_cxos_delegate() {
    let id = AllocationId::new();
    let priya = manager();
    BudgetTest::with(())
        .given(vec![
            budget_set(100_000),
            exemption_requested(id, &pam()),
            manager_signed(id, &priya),
        ])
        .when(when(
            priya.clone(),
            ProgramBudgetCommand::ApproveExemption {
                allocation_id: id,
                on_behalf_of: Some(delegation(&cxo(), &priya)),
                comment: None,
            },
        ))
        .then_expect_error(MdfError::SameApproverTwice);
}

#[test]
fn a_delegate_signs_for_the_manager_and_the_record_keeps_both() {
    let id = AllocationId::new();
    let (priya, deputy) = (manager(), pam());
    let command = ProgramBudgetCommand::ApproveExemption {
        allocation_id: id,
        on_behalf_of: Some(delegation(&priya, &deputy)),
        comment: None,
    };
    let events = BudgetTest::with(())
        .given(vec![budget_set(100_000), exemption_requested(id, &pam())])
        .when(when(deputy.clone(), command))
        .inspect_result()
        .unwrap();
    let [ProgramBudgetEvent::ExemptionApprovedByManager { record, .. }] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(record.approver.staff_id, deputy.staff_id);
    assert_eq!(
        record.on_behalf_of.as_ref().unwrap().staff_id,
        priya.staff_id
    );
    assert_eq!(record.waited_seconds, 3 * 24 * 3600 + 6 * 3600);
}

#[test]
fn an_expired_delegation_does_not_count() {
    let id = AllocationId::new();
    let (priya, deputy) = (manager(), pam());
    let mut expired = delegation(&priya, &deputy);
    expired.until = t("2026-02-12T00:00:00Z");
    BudgetTest::with(())
        .given(vec![budget_set(100_000), exemption_requested(id, &pam())])
        .when(when(
            deputy,
            ProgramBudgetCommand::ApproveExemption {
                allocation_id: id,
                on_behalf_of: Some(expired),
                comment: None,
            },
        ))
        .then_expect_error(MdfError::InvalidDelegation);
}

#[test]
fn a_cxo_rejects_the_exemption_with_a_reason() {
    let id = AllocationId::new();
    let (priya, chief) = (manager(), cxo());
    let history = vec![
        budget_set(100_000),
        exemption_requested(id, &pam()),
        manager_signed(id, &priya),
    ];
    let rejected = ProgramBudgetEvent::ExemptionRejected {
        allocation_id: id,
        record: ApprovalRecord::new(
            ApprovalStep::Cxo,
            Verdict::Rejected,
            &crate::approval::Approver::new(chief.clone(), None),
            Some(reason("no named accounts")),
            t("2026-02-11T09:00:00Z"),
            at(),
        ),
    };
    BudgetTest::with(())
        .given(history.clone())
        .when(when(
            chief,
            ProgramBudgetCommand::RejectExemption {
                allocation_id: id,
                on_behalf_of: None,
                reason: reason("no named accounts"),
            },
        ))
        .then_expect_events(vec![rejected.clone()]);
    let state = fold([history, vec![rejected]].concat());
    assert_eq!(state.pending_total(), usd(0));
    assert_eq!(state.unallocated(), usd(100_000));
}

#[test]
fn a_decided_exemption_cannot_be_signed_again() {
    let id = AllocationId::new();
    BudgetTest::with(())
        .given(vec![budget_set(100_000), granted(id, &gold(), 1)])
        .when(when(manager(), approve(id)))
        .then_expect_error(MdfError::ExemptionNotPending {
            status: AllocationStatus::Approved,
        });
}

#[test]
fn signing_an_unknown_allocation_is_refused() {
    BudgetTest::with(())
        .given(vec![budget_set(100_000)])
        .when(when(manager(), approve(AllocationId::new())))
        .then_expect_error(MdfError::AllocationNotFound);
}

#[test]
fn authority_names_the_policy_and_the_capacity() {
    assert_eq!(
        permission_for(&approve(AllocationId::new())).authority(&manager()),
        "mdf.exemption.approve as Manager of Southeast"
    );
}

#[test]
fn the_budget_ledger_counts_only_signed_off_allocations() {
    use crate::mdf::ledger::{balances, budget_ledger, Account};
    let id = AllocationId::new();
    let events = vec![
        budget_set(100_000),
        granted(AllocationId::new(), &gold(), 5_000),
        exemption_requested(id, &pam()),
        manager_signed(id, &manager()),
    ];
    let b = balances(&budget_ledger(q2(), &events));
    let allocated = |p: &PartnerFacts| Account::Allocated {
        partner_id: p.partner_id,
        quarter: q2(),
    };
    assert_eq!(b[&Account::ProgramFunding { quarter: q2() }], usd(-100_000));
    assert_eq!(b[&Account::Unallocated { quarter: q2() }], usd(95_000));
    assert_eq!(b[&allocated(&gold())], usd(5_000));
    assert!(
        !b.contains_key(&allocated(&novatech())),
        "pending until the CxO signs"
    );
}
