use super::claims::{accepted, after_activity, claims_history, later, pay};
use super::*;
use crate::mdf::error::MdfError;
use crate::rejection::{Forbidden, Rejection};

#[test]
fn one_payment_settles_several_accepted_claims() {
    let money = finance();
    let history = [
        claims_history(),
        vec![accepted(trade_show(), 2_170, &money)],
    ]
    .concat();
    let command = pay(
        "ACH-2026-0412",
        vec![(webinar(), 2_000), (trade_show(), 2_170)],
    );
    let FundRequestCommand::RecordPayment {
        payment_reference,
        settlements,
        ..
    } = command.clone()
    else {
        unreachable!()
    };
    let paid = FundRequestEvent::PaymentRecorded {
        payment_reference,
        settlements: settlements.clone(),
        rate: None,
        settled: settlements,
        paid_at: after_activity(),
    };
    RequestTest::with(())
        .given(history.clone())
        .when(later(money, command))
        .then_expect_events(vec![paid.clone()]);
    let r = fold([history, vec![paid]].concat()).details.unwrap();
    assert_eq!(r.paid_total(), usd(4_170));
    assert!(r
        .claims()
        .all(|(_, c)| c.status == ClaimStatus::Paid && c.reimbursement_due.is_none()));
}

#[test]
fn reimbursing_an_unaccepted_claim_is_refused() {
    let err = RequestTest::with(())
        .given(claims_history())
        .when(later(
            finance(),
            pay("ACH-1", vec![(webinar(), 100), (trade_show(), 100)]),
        ))
        .inspect_result()
        .unwrap_err();
    assert_eq!(err, MdfError::ClaimNotAccepted(trade_show()));
    assert_eq!(err.code(), "claim-not-accepted");
}

#[test]
fn reimbursing_an_activity_never_claimed_is_refused() {
    RequestTest::with(())
        .given(approved_history())
        .when(later(finance(), pay("ACH-1", vec![(webinar(), 100)])))
        .then_expect_error(MdfError::ClaimNotAccepted(webinar()));
}

#[test]
fn a_payment_above_the_accepted_claim_is_refused() {
    RequestTest::with(())
        .given(claims_history())
        .when(later(
            finance(),
            pay("ACH-1", vec![(webinar(), 1_500), (webinar(), 600)]),
        ))
        .then_expect_error(MdfError::PaymentAboveAccepted {
            activity_id: webinar(),
            outstanding: usd(2_000),
        });
}

#[test]
fn a_partial_payment_leaves_the_rest_outstanding() {
    let first = FundRequestEvent::PaymentRecorded {
        payment_reference: Name::parse("ACH-1").unwrap(),
        settlements: vec![Settlement {
            activity_id: webinar(),
            amount: usd(1_500),
        }],
        rate: None,
        settled: vec![Settlement {
            activity_id: webinar(),
            amount: usd(1_500),
        }],
        paid_at: after_activity(),
    };
    RequestTest::with(())
        .given([claims_history(), vec![first]].concat())
        .when(later(finance(), pay("ACH-2", vec![(webinar(), 501)])))
        .then_expect_error(MdfError::PaymentAboveAccepted {
            activity_id: webinar(),
            outstanding: usd(500),
        });
}

#[test]
fn a_payment_reference_is_recorded_once() {
    let first = FundRequestEvent::PaymentRecorded {
        payment_reference: Name::parse("ACH-1").unwrap(),
        settlements: vec![Settlement {
            activity_id: webinar(),
            amount: usd(100),
        }],
        rate: None,
        settled: vec![Settlement {
            activity_id: webinar(),
            amount: usd(100),
        }],
        paid_at: after_activity(),
    };
    RequestTest::with(())
        .given([claims_history(), vec![first]].concat())
        .when(later(finance(), pay("ACH-1", vec![(webinar(), 100)])))
        .then_expect_error(MdfError::DuplicatePaymentReference);
}

#[test]
fn a_payment_settles_at_least_one_claim() {
    RequestTest::with(())
        .given(claims_history())
        .when(later(finance(), pay("ACH-1", vec![])))
        .then_expect_error(MdfError::NoSettlements);
}

#[test]
fn only_finance_records_payments() {
    RequestTest::with(())
        .given(claims_history())
        .when(later(manager(), pay("ACH-1", vec![(webinar(), 1)])))
        .then_expect_error(MdfError::Forbidden(Forbidden(
            "Manager of Southeast may not mdf.payment.record".into(),
        )));
}
