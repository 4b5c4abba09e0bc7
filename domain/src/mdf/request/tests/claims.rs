use super::*;
use crate::mdf::error::MdfError;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

pub(super) fn after_activity() -> DateTime<Utc> {
    t("2026-04-02T10:00:00Z")
}

pub(super) fn claim(id: ActivityId, amount: Money) -> FundRequestCommand {
    FundRequestCommand::SubmitClaim {
        activity_id: id,
        amount,
        rate: None,
    }
}

pub(super) fn claimed(id: ActivityId, dollars: i64) -> FundRequestEvent {
    FundRequestEvent::ClaimSubmitted {
        activity_id: id,
        amount: usd(dollars),
        rate: None,
        amount_program: usd(dollars),
    }
}

pub(super) fn proof_submitted(id: ActivityId, by: &Actor) -> FundRequestEvent {
    FundRequestEvent::ProofSubmitted {
        activity_id: id,
        proof: reason("attendee list and invoices"),
        submitted_by: by.staff_id,
        submitted_at: after_activity(),
    }
}

pub(super) fn accepted(id: ActivityId, dollars: i64, by: &Actor) -> FundRequestEvent {
    FundRequestEvent::ProofAccepted {
        activity_id: id,
        amount: usd(dollars),
        reviewed_by: StaffRef::from(by),
        comment: None,
        reimbursement_due: after_activity() + chrono::Duration::days(30),
    }
}

/// Webinar claimed $2,000 and accepted; trade show claimed $2,170, proof not yet reviewed.
pub(super) fn claims_history() -> Vec<FundRequestEvent> {
    let sarah = pam();
    [
        approved_history(),
        vec![
            claimed(webinar(), 2_000),
            proof_submitted(webinar(), &sarah),
            accepted(webinar(), 2_000, &finance()),
            claimed(trade_show(), 2_170),
            proof_submitted(trade_show(), &sarah),
        ],
    ]
    .concat()
}

pub(super) fn pay(reference: &str, settlements: Vec<(ActivityId, i64)>) -> FundRequestCommand {
    FundRequestCommand::RecordPayment {
        payment_reference: Name::parse(reference).unwrap(),
        settlements: settlements
            .into_iter()
            .map(|(activity_id, dollars)| Settlement {
                activity_id,
                amount: usd(dollars),
            })
            .collect(),
        rate: None,
    }
}

pub(super) fn later(
    actor: Actor,
    command: FundRequestCommand,
) -> crate::authored::Authored<FundRequestCommand> {
    crate::authored::Authored::new(actor, after_activity(), command)
}

#[test]
fn a_pam_claims_an_approved_activity() {
    RequestTest::with(())
        .given(approved_history())
        .when(when(pam(), claim(webinar(), usd(2_000))))
        .then_expect_events(vec![claimed(webinar(), 2_000)]);
}

#[test]
fn a_claim_above_the_approved_amount_is_refused() {
    let err = RequestTest::with(())
        .given(approved_history())
        .when(when(pam(), claim(webinar(), usd(2_501))))
        .inspect_result()
        .unwrap_err();
    assert_eq!(
        err,
        MdfError::ClaimAboveApproved {
            approved: usd(2_500)
        }
    );
    assert_eq!(err.kind(), RejectionKind::Invalid { field: "amount" });
}

#[test]
fn a_foreign_claim_keeps_its_own_transaction_rate() {
    let mut rate = eur_rate();
    rate.rate_micros = 1_050_000;
    RequestTest::with(())
        .given(approved_history())
        .when(when(
            pam(),
            FundRequestCommand::SubmitClaim {
                activity_id: trade_show(),
                amount: eur(2_000),
                rate: Some(rate),
            },
        ))
        .then_expect_events(vec![FundRequestEvent::ClaimSubmitted {
            activity_id: trade_show(),
            amount: eur(2_000),
            rate: Some(rate),
            amount_program: usd(2_100),
        }]);
}

#[test]
fn a_foreign_claim_without_a_rate_is_refused() {
    RequestTest::with(())
        .given(approved_history())
        .when(when(pam(), claim(trade_show(), eur(1))))
        .then_expect_error(MdfError::MissingExchangeRate {
            currency: Currency::parse("EUR").unwrap(),
        });
}

#[test]
fn a_claim_on_a_rejected_activity_is_refused() {
    let priya = manager();
    let history = [
        submitted_history(&pam()),
        vec![
            activity_approved(webinar(), 3_000, &priya),
            FundRequestEvent::ActivityRejected {
                activity_id: trade_show(),
                record: record(&priya, Verdict::Rejected, Some(reason("no"))),
            },
            FundRequestEvent::FundRequestApproved {
                commitments: vec![Settlement {
                    activity_id: webinar(),
                    amount: usd(3_000),
                }],
                total: usd(3_000),
            },
        ],
    ]
    .concat();
    RequestTest::with(())
        .given(history)
        .when(when(pam(), claim(trade_show(), usd(1))))
        .then_expect_error(MdfError::ActivityNotApproved(trade_show()));
}

#[test]
fn a_claim_before_approval_is_refused() {
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(when(pam(), claim(webinar(), usd(1))))
        .then_expect_error(MdfError::RequestWrongStatus {
            action: "claim against",
            status: FundRequestStatus::Submitted,
        });
}

#[test]
fn an_activity_is_claimed_once() {
    RequestTest::with(())
        .given([approved_history(), vec![claimed(webinar(), 1)]].concat())
        .when(when(pam(), claim(webinar(), usd(1))))
        .then_expect_error(MdfError::ClaimExists(webinar()));
}

#[test]
fn proof_of_performance_is_submitted_after_the_activity() {
    let sarah = pam();
    RequestTest::with(())
        .given([approved_history(), vec![claimed(webinar(), 2_000)]].concat())
        .when(later(
            sarah.clone(),
            FundRequestCommand::SubmitProof {
                activity_id: webinar(),
                proof: reason("attendee list and invoices"),
            },
        ))
        .then_expect_events(vec![proof_submitted(webinar(), &sarah)]);
}

#[test]
fn proof_before_the_activity_is_refused() {
    RequestTest::with(())
        .given([approved_history(), vec![claimed(webinar(), 2_000)]].concat())
        .when(when(
            pam(),
            FundRequestCommand::SubmitProof {
                activity_id: webinar(),
                proof: reason("early"),
            },
        ))
        .then_expect_error(MdfError::ProofBeforeActivity {
            starts_on: day("2026-04-01"),
        });
}

#[test]
fn proof_without_a_claim_is_refused() {
    RequestTest::with(())
        .given(approved_history())
        .when(later(
            pam(),
            FundRequestCommand::SubmitProof {
                activity_id: webinar(),
                proof: reason("x"),
            },
        ))
        .then_expect_error(MdfError::ClaimNotFound(webinar()));
}

#[test]
fn finance_accepts_proof_and_reimbursement_is_due_in_30_days() {
    let money = finance();
    let mut history = claims_history();
    history.truncate(history.len() - 3);
    RequestTest::with(())
        .given(history.clone())
        .when(later(
            money.clone(),
            FundRequestCommand::AcceptProof {
                activity_id: webinar(),
                comment: None,
            },
        ))
        .then_expect_events(vec![accepted(webinar(), 2_000, &money)]);
    let r = fold(claims_history()).details.unwrap();
    let c = r.activity(webinar()).unwrap().claim.clone().unwrap();
    assert_eq!(c.reimbursement_due, Some(t("2026-05-02T10:00:00Z")));
    assert_eq!(r.accepted_total(), usd(2_000));
}

#[test]
fn whoever_submitted_the_proof_cannot_review_it() {
    let sarah = manager();
    RequestTest::with(())
        .given(
            [
                approved_history(),
                vec![
                    claimed(webinar(), 2_000),
                    proof_submitted(webinar(), &sarah),
                ],
            ]
            .concat(),
        )
        .when(later(
            sarah,
            FundRequestCommand::AcceptProof {
                activity_id: webinar(),
                comment: None,
            },
        ))
        .then_expect_error(MdfError::SelfApproval);
}

#[test]
fn rejected_proof_can_be_resubmitted() {
    let (sarah, money) = (pam(), finance());
    let why = reason("invoices missing");
    let history = [
        approved_history(),
        vec![
            claimed(webinar(), 2_000),
            proof_submitted(webinar(), &sarah),
        ],
    ]
    .concat();
    let rejected = FundRequestEvent::ProofRejected {
        activity_id: webinar(),
        reviewed_by: StaffRef::from(&money),
        reason: why.clone(),
    };
    RequestTest::with(())
        .given(history.clone())
        .when(later(
            money,
            FundRequestCommand::RejectProof {
                activity_id: webinar(),
                reason: why,
            },
        ))
        .then_expect_events(vec![rejected.clone()]);
    RequestTest::with(())
        .given([history, vec![rejected]].concat())
        .when(later(
            sarah.clone(),
            FundRequestCommand::SubmitProof {
                activity_id: webinar(),
                proof: reason("attendee list and invoices"),
            },
        ))
        .then_expect_events(vec![proof_submitted(webinar(), &sarah)]);
}

#[test]
fn a_claim_awaiting_proof_cannot_be_reviewed() {
    RequestTest::with(())
        .given([approved_history(), vec![claimed(webinar(), 2_000)]].concat())
        .when(later(
            finance(),
            FundRequestCommand::AcceptProof {
                activity_id: webinar(),
                comment: None,
            },
        ))
        .then_expect_error(MdfError::ClaimWrongStatus {
            action: "review proof for",
            status: ClaimStatus::AwaitingProof,
        });
}

#[test]
fn a_pam_cannot_review_proof() {
    RequestTest::with(())
        .given(claims_history())
        .when(later(
            pam(),
            FundRequestCommand::AcceptProof {
                activity_id: trade_show(),
                comment: None,
            },
        ))
        .then_expect_error(MdfError::Forbidden(Forbidden(
            "PAM of Southeast may not mdf.proof.review".into(),
        )));
}
