//! Turning a proposal down, sending it round again, and when each step is due.

use super::*;

#[test]
fn a_manager_rejects_with_a_reason() {
    let cast = Cast::new();
    let why = reason("named accounts overlap the direct team's pipeline");
    let approver = Approver::new(cast.manager.clone(), None);
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            cast.manager.clone(),
            t(MANAGER_AT),
            RapCommand::Reject {
                step: ApprovalStep::Manager,
                on_behalf_of: None,
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![RapEvent::RapRejected {
            approval: ApprovalRecord::new(
                ApprovalStep::Manager,
                Verdict::Rejected,
                &approver,
                Some(why),
                t(SUBMITTED_AT),
                t(MANAGER_AT),
            ),
        }]);
}

#[test]
fn the_cxo_rejects_after_the_manager_approved() {
    let cast = Cast::new();
    let why = reason("ROI model assumes a 100% win rate");
    let approver = Approver::new(cast.cxo.clone(), None);
    RapTest::with(())
        .given(cast.manager_approved())
        .when(Authored::new(
            cast.cxo.clone(),
            t(CXO_AT),
            RapCommand::Reject {
                step: ApprovalStep::Cxo,
                on_behalf_of: None,
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![RapEvent::RapRejected {
            approval: ApprovalRecord::new(
                ApprovalStep::Cxo,
                Verdict::Rejected,
                &approver,
                Some(why),
                t(MANAGER_AT),
                t(CXO_AT),
            ),
        }]);
}

#[test]
fn a_rejected_rap_is_revised_back_to_draft_and_submitted_again() {
    let cast = Cast::new();
    let reject = RapCommand::Reject {
        step: ApprovalStep::Manager,
        on_behalf_of: None,
        reason: reason("add a fourth account"),
    };
    let mut terms = ironclad_terms();
    terms
        .named_accounts
        .push(target("Tailspin Clinics", "tailspin.example"));
    let rap = run(
        cast.submitted(),
        vec![
            Authored::new(cast.manager.clone(), t(MANAGER_AT), reject),
            Authored::new(cast.pam.clone(), t(CXO_AT), RapCommand::Revise { terms }),
        ],
    )
    .unwrap();
    assert_eq!(rap.plan.as_ref().unwrap().status, RapStatus::Draft);
    assert_eq!(rap.pending_approval(), None);
    let mut events = cast.submitted();
    events.push(RapEvent::RapRejected {
        approval: rap.plan.unwrap().approvals[0].clone(),
    });
    RapTest::with(())
        .given(events)
        .when(Authored::new(cast.pam.clone(), t(LATER), cast.submit()))
        .then_expect_events(vec![RapEvent::RapSubmitted {
            submission: cast.submission(LATER),
        }]);
}

#[test]
fn each_pending_step_is_due_five_business_days_after_it_started_waiting() {
    let cast = Cast::new();
    let submitted = run(cast.submitted(), vec![]).unwrap();
    let pending = submitted.pending_approval().unwrap();
    assert_eq!(pending.subject, PendingSubject::Proposal);
    assert_eq!(pending.step, ApprovalStep::Manager);
    assert_eq!(pending.requested_at, t(SUBMITTED_AT));
    assert_eq!(pending.due_at, t("2026-02-16T09:00:00Z"));
    assert_eq!(pending.submitted_by, StaffRef::from(&cast.pam));
    assert!(pending.mdf_exemption);
    assert!(!pending.is_overdue(t("2026-02-16T09:00:00Z")));
    assert!(pending.is_overdue(t("2026-02-16T09:00:01Z")));

    let waiting_for_cxo = run(cast.manager_approved(), vec![])
        .unwrap()
        .pending_approval()
        .unwrap();
    assert_eq!(waiting_for_cxo.step, ApprovalStep::Cxo);
    // Wednesday 16:00 plus five business days skips the weekend.
    assert_eq!(waiting_for_cxo.due_at, t("2026-02-18T16:00:00Z"));

    assert_eq!(run(cast.active(), vec![]).unwrap().pending_approval(), None);
}
