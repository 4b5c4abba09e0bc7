//! Amending an Active RAP: the same two sign-offs, the approved terms in force meanwhile.

use super::*;

const PROPOSED_AT: &str = "2026-04-06T09:00:00Z";
const AMENDMENT_MANAGER_AT: &str = "2026-04-07T09:00:00Z";
const AMENDMENT_CXO_AT: &str = "2026-04-08T09:00:00Z";

fn amended_terms() -> RapTerms {
    let mut terms = ironclad_terms();
    terms
        .named_accounts
        .push(target("Tailspin Clinics", "tailspin.example"));
    terms.arr_target = usd(400_000);
    terms
}

fn propose(cast: &Cast, terms: RapTerms) -> RapCommand {
    RapCommand::ProposeAmendment {
        partner: cast.partner.clone(),
        terms,
        reason: reason("a fourth hospital group asked to join the pilot"),
    }
}

fn amendment_proposed(cast: &Cast) -> Vec<RapEvent> {
    let mut events = cast.active();
    let mut submission = cast.submission(PROPOSED_AT);
    submission.economics.isv_roi_bps = Some(166_666);
    events.push(RapEvent::RapAmendmentProposed {
        submission,
        terms: amended_terms(),
        reason: reason("a fourth hospital group asked to join the pilot"),
    });
    events
}

#[test]
fn a_pam_proposes_an_amendment_while_the_approved_terms_stay_in_force() {
    let cast = Cast::new();
    let expected = amendment_proposed(&cast).pop().unwrap();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.pam.clone(),
            t(PROPOSED_AT),
            propose(&cast, amended_terms()),
        ))
        .then_expect_events(vec![expected]);

    let rap = run(amendment_proposed(&cast), vec![]).unwrap();
    let plan = rap.plan.as_ref().unwrap();
    assert_eq!((plan.status, plan.version), (RapStatus::Active, 1));
    assert_eq!(plan.terms, ironclad_terms());
    let pending = rap.pending_approval().unwrap();
    assert_eq!(
        (pending.subject, pending.step),
        (PendingSubject::Amendment, ApprovalStep::Manager)
    );
}

#[test]
fn an_approved_amendment_replaces_the_terms_as_a_new_version_keeping_account_progress() {
    let cast = Cast::new();
    let mut history = amendment_proposed(&cast);
    history.insert(
        cast.active().len(),
        RapEvent::NamedAccountAdvanced {
            domain: domain("contoso.example"),
            from: NamedAccountStatus::Identified,
            to: NamedAccountStatus::Qualified,
        },
    );
    let manager = record(
        ApprovalStep::Manager,
        &cast.manager,
        PROPOSED_AT,
        AMENDMENT_MANAGER_AT,
    );
    RapTest::with(())
        .given(history.clone())
        .when(Authored::new(
            cast.manager.clone(),
            t(AMENDMENT_MANAGER_AT),
            approve(ApprovalStep::Manager),
        ))
        .then_expect_events(vec![RapEvent::RapAmendmentApprovedByManager {
            approval: manager.clone(),
            mdf_exemption_signed_off: true,
        }]);
    history.push(RapEvent::RapAmendmentApprovedByManager {
        approval: manager,
        mdf_exemption_signed_off: true,
    });
    let cxo = record(
        ApprovalStep::Cxo,
        &cast.cxo,
        AMENDMENT_MANAGER_AT,
        AMENDMENT_CXO_AT,
    );
    RapTest::with(())
        .given(history.clone())
        .when(Authored::new(
            cast.cxo.clone(),
            t(AMENDMENT_CXO_AT),
            approve(ApprovalStep::Cxo),
        ))
        .then_expect_events(vec![RapEvent::RapAmendmentApproved {
            approval: cxo,
            mdf_exemption_signed_off: true,
            version: 2,
        }]);

    let rap = run(
        history,
        vec![Authored::new(
            cast.cxo.clone(),
            t(AMENDMENT_CXO_AT),
            approve(ApprovalStep::Cxo),
        )],
    )
    .unwrap();
    let plan = rap.plan.unwrap();
    assert_eq!((plan.version, plan.terms.clone()), (2, amended_terms()));
    assert_eq!(plan.economics.unwrap().isv_roi_bps, Some(166_666));
    assert_eq!(plan.amendment, None);
    let statuses: Vec<_> = plan
        .accounts
        .iter()
        .map(|a| (a.domain.as_str(), a.status))
        .collect();
    assert_eq!(
        statuses[1],
        ("contoso.example", NamedAccountStatus::Qualified)
    );
    assert_eq!(
        statuses[3],
        ("tailspin.example", NamedAccountStatus::Identified)
    );
    assert_eq!(plan.approvals.len(), 4);
}

#[test]
fn a_rejected_amendment_leaves_the_approved_terms_in_force() {
    let cast = Cast::new();
    let why = reason("wait for the Q2 results");
    let approver = Approver::new(cast.manager.clone(), None);
    let rejection = ApprovalRecord::new(
        ApprovalStep::Manager,
        Verdict::Rejected,
        &approver,
        Some(why.clone()),
        t(PROPOSED_AT),
        t(AMENDMENT_MANAGER_AT),
    );
    let reject = RapCommand::Reject {
        step: ApprovalStep::Manager,
        on_behalf_of: None,
        reason: why,
    };
    RapTest::with(())
        .given(amendment_proposed(&cast))
        .when(Authored::new(
            cast.manager.clone(),
            t(AMENDMENT_MANAGER_AT),
            reject.clone(),
        ))
        .then_expect_events(vec![RapEvent::RapAmendmentRejected {
            approval: rejection,
        }]);
    let rap = run(
        amendment_proposed(&cast),
        vec![Authored::new(
            cast.manager.clone(),
            t(AMENDMENT_MANAGER_AT),
            reject,
        )],
    )
    .unwrap();
    let plan = rap.plan.unwrap();
    assert_eq!(
        (plan.status, plan.version, plan.terms),
        (RapStatus::Active, 1, ironclad_terms())
    );
}

#[test]
fn an_amendment_cannot_drop_an_agreed_named_account() {
    let cast = Cast::new();
    let mut terms = amended_terms();
    terms.named_accounts.remove(0);
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.pam.clone(),
            t(PROPOSED_AT),
            propose(&cast, terms),
        ))
        .then_expect_error(RapError::NamedAccountDropped(domain("northwind.example")));
}

#[test]
fn an_amendment_that_changes_nothing_is_refused() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.pam.clone(),
            t(PROPOSED_AT),
            propose(&cast, ironclad_terms()),
        ))
        .then_expect_error(RapError::AmendmentUnchanged);
}

#[test]
fn a_second_amendment_waits_for_the_first_to_be_decided() {
    let cast = Cast::new();
    RapTest::with(())
        .given(amendment_proposed(&cast))
        .when(Authored::new(
            cast.pam.clone(),
            t(AMENDMENT_MANAGER_AT),
            propose(&cast, amended_terms()),
        ))
        .then_expect_error(RapError::AmendmentPending);
}

#[test]
fn only_an_active_rap_is_amended() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.manager_approved())
        .when(Authored::new(
            cast.pam.clone(),
            t(PROPOSED_AT),
            propose(&cast, amended_terms()),
        ))
        .then_expect_error(RapError::NotActive {
            status: RapStatus::ManagerApproved,
        });
}

#[test]
fn no_amendment_for_a_partner_since_classified_zombie() {
    let cast = Cast::new();
    let history = cast.active();
    let cast = cast.with_partner(|p| p.classification = Some(Classification::Zombie));
    RapTest::with(())
        .given(history)
        .when(Authored::new(
            cast.pam.clone(),
            t(PROPOSED_AT),
            propose(&cast, amended_terms()),
        ))
        .then_expect_error(RapError::ZombiePartner);
}

#[test]
fn cxo_cannot_approve_an_amendment_before_the_manager() {
    let cast = Cast::new();
    RapTest::with(())
        .given(amendment_proposed(&cast))
        .when(Authored::new(
            cast.cxo.clone(),
            t(AMENDMENT_CXO_AT),
            approve(ApprovalStep::Cxo),
        ))
        .then_expect_error(RapError::CxoBeforeManager);
}

#[test]
fn the_proposer_of_an_amendment_cannot_approve_it_as_a_delegate() {
    let cast = Cast::new();
    RapTest::with(())
        .given(amendment_proposed(&cast))
        .when(Authored::new(
            cast.pam.clone(),
            t(AMENDMENT_MANAGER_AT),
            RapCommand::Approve {
                step: ApprovalStep::Manager,
                on_behalf_of: Some(delegation(
                    &cast.manager,
                    &cast.pam,
                    DRAFTED_AT,
                    "2026-12-31T00:00:00Z",
                )),
                comment: None,
            },
        ))
        .then_expect_error(RapError::SelfApproval);
}

#[test]
fn an_active_rap_without_an_amendment_has_nothing_to_approve() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.manager.clone(),
            t(PROPOSED_AT),
            approve(ApprovalStep::Manager),
        ))
        .then_expect_error(RapError::NothingToApprove);
}
