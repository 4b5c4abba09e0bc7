use super::*;
use crate::mdf::error::MdfError;
use crate::mdf::facts::ExemptionFacts;
use crate::mdf::ids::AllocationId;
use crate::rejection::{Rejection, RejectionKind};

fn submit_with(source: SourceFacts, available: Money) -> FundRequestCommand {
    FundRequestCommand::Submit {
        source,
        available,
        late_reason: None,
    }
}

fn with_rap(change: impl FnOnce(&mut RapFacts)) -> FundRequestCommand {
    let mut facts = rap();
    change(&mut facts);
    submit_with(SourceFacts::Rap(facts), usd(10_000))
}

#[test]
fn a_pam_submits_the_plan_and_approval_is_due_in_five_business_days() {
    let sarah = pam();
    RequestTest::with(())
        .given(drafted_history())
        .when(when(sarah.clone(), submit_command(None)))
        .then_expect_events(vec![submitted(&sarah)]);
    let state = fold(submitted_history(&sarah));
    let r = state.details.unwrap();
    assert_eq!(r.status, FundRequestStatus::Submitted);
    // Friday 13 Feb + 5 business days = Friday 20 Feb.
    assert_eq!(r.approval_due, Some(t("2026-02-20T15:00:00Z")));
}

#[test]
fn an_activity_less_than_30_days_ahead_needs_a_late_reason() {
    let mut soon = webinar_added();
    if let FundRequestEvent::ActivityAdded { starts_on, .. } = &mut soon {
        *starts_on = day("2026-03-01");
    }
    let err = RequestTest::with(())
        .given(vec![drafted(), soon])
        .when(when(pam(), submit_command(None)))
        .inspect_result()
        .unwrap_err();
    assert_eq!(
        err,
        MdfError::LatePlan {
            activity_id: webinar(),
            starts_on: day("2026-03-01"),
            earliest: day("2026-03-15"),
        }
    );
    assert_eq!(
        err.kind(),
        RejectionKind::Invalid {
            field: "late_reason"
        }
    );
}

#[test]
fn a_late_plan_with_a_reason_is_accepted() {
    let mut soon = webinar_added();
    if let FundRequestEvent::ActivityAdded { starts_on, .. } = &mut soon {
        *starts_on = day("2026-03-01");
    }
    let events = RequestTest::with(())
        .given(vec![drafted(), soon])
        .when(when(
            pam(),
            submit_command(Some(reason("event date moved up by the venue"))),
        ))
        .inspect_result()
        .unwrap();
    assert!(matches!(
        &events[..],
        [FundRequestEvent::FundRequestSubmitted {
            late_reason: Some(_),
            ..
        }]
    ));
}

#[test]
fn a_request_without_activities_cannot_be_submitted() {
    RequestTest::with(())
        .given(vec![drafted()])
        .when(when(pam(), submit_command(None)))
        .then_expect_error(MdfError::NoActivities);
}

#[test]
fn a_request_on_an_inactive_rap_is_refused() {
    RequestTest::with(())
        .given(drafted_history())
        .when(when(pam(), with_rap(|r| r.active = false)))
        .then_expect_error(MdfError::RapNotActive);
}

#[test]
fn a_rap_of_another_partner_is_refused() {
    RequestTest::with(())
        .given(drafted_history())
        .when(when(
            pam(),
            with_rap(|r| r.partner_id = crate::partner::PartnerId(Uuid::nil())),
        ))
        .then_expect_error(MdfError::SourceOfAnotherPartner);
}

#[test]
fn named_accounts_outside_the_rap_are_refused() {
    RequestTest::with(())
        .given(drafted_history())
        .when(when(
            pam(),
            with_rap(|r| r.named_account_domains = vec!["acme.com".into()]),
        ))
        .then_expect_error(MdfError::NamedAccountNotInRap {
            domain: "globex.com".into(),
        });
}

#[test]
fn a_rap_request_without_named_accounts_is_refused() {
    let mut bare = drafted();
    if let FundRequestEvent::FundRequestDrafted { named_accounts, .. } = &mut bare {
        named_accounts.clear();
    }
    RequestTest::with(())
        .given(vec![bare, webinar_added()])
        .when(when(pam(), submit_command(None)))
        .then_expect_error(MdfError::NoNamedAccounts);
}

#[test]
fn a_request_above_the_rap_mdf_is_refused() {
    RequestTest::with(())
        .given(drafted_history())
        .when(when(pam(), with_rap(|r| r.mdf = usd(5_000))))
        .then_expect_error(MdfError::OverRapMdf { mdf: usd(5_000) });
}

#[test]
fn a_request_above_the_available_allocation_is_refused() {
    let err = RequestTest::with(())
        .given(drafted_history())
        .when(when(
            pam(),
            submit_with(SourceFacts::Rap(rap()), usd(5_000)),
        ))
        .inspect_result()
        .unwrap_err();
    assert_eq!(
        err,
        MdfError::OverAvailableAllocation {
            available: usd(5_000)
        }
    );
    assert_eq!(err.code(), "over-available-allocation");
}

#[test]
fn facts_of_another_rap_are_refused() {
    RequestTest::with(())
        .given(drafted_history())
        .when(when(pam(), with_rap(|r| r.rap_id = Uuid::from_u128(99))))
        .then_expect_error(MdfError::SourceMismatch);
}

fn exemption_request(approved: bool) -> (Vec<FundRequestEvent>, FundRequestCommand) {
    let allocation_id = AllocationId(Uuid::from_u128(12));
    let mut draft = drafted();
    if let FundRequestEvent::FundRequestDrafted {
        link,
        named_accounts,
        ..
    } = &mut draft
    {
        *link = FundingLink::Exemption { allocation_id };
        named_accounts.clear();
    }
    let facts = ExemptionFacts {
        allocation_id,
        partner_id: ironclad().partner_id,
        quarter: q2(),
        approved,
        amount: usd(12_000),
    };
    (
        vec![draft, webinar_added()],
        submit_with(SourceFacts::Exemption(facts), usd(12_000)),
    )
}

#[test]
fn a_request_on_an_exemption_awaiting_the_cxo_is_refused() {
    let (history, command) = exemption_request(false);
    RequestTest::with(())
        .given(history)
        .when(when(pam(), command))
        .then_expect_error(MdfError::ExemptionNotApproved);
}

#[test]
fn a_request_on_an_approved_exemption_needs_no_named_accounts() {
    let (history, command) = exemption_request(true);
    let events = RequestTest::with(())
        .given(history)
        .when(when(pam(), command))
        .inspect_result()
        .unwrap();
    assert!(matches!(
        &events[..],
        [FundRequestEvent::FundRequestSubmitted { .. }]
    ));
}

#[test]
fn a_returned_request_is_resubmitted_and_decided_afresh() {
    let (sarah, priya) = (pam(), manager());
    let history = [
        submitted_history(&sarah),
        vec![
            activity_approved(webinar(), 1_000, &priya),
            FundRequestEvent::FundRequestReturned {
                reason: reason("which clinics attend?"),
            },
        ],
    ]
    .concat();
    RequestTest::with(())
        .given(history.clone())
        .when(when(sarah.clone(), submit_command(None)))
        .then_expect_events(vec![submitted(&sarah)]);
    let state = fold([history, vec![submitted(&sarah)]].concat())
        .details
        .unwrap();
    assert!(state
        .activities
        .iter()
        .all(|a| a.decision == ActivityDecision::Pending));
    assert_eq!(state.approvals.len(), 1, "earlier decisions stay on record");
}
