use super::*;
use crate::actor::Role;
use crate::mdf::error::MdfError;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

fn approve(id: ActivityId, amount: Money) -> FundRequestCommand {
    FundRequestCommand::ApproveActivity {
        activity_id: id,
        amount,
        on_behalf_of: None,
        comment: None,
    }
}

fn decide(
    actor: Actor,
    command: FundRequestCommand,
) -> crate::authored::Authored<FundRequestCommand> {
    crate::authored::Authored::new(actor, decided_at(), command)
}

#[test]
fn a_manager_approves_an_activity_for_less_than_requested() {
    let priya = manager();
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(priya.clone(), approve(webinar(), usd(2_500))))
        .then_expect_events(vec![activity_approved(webinar(), 2_500, &priya)]);
}

#[test]
fn the_request_is_approved_when_every_activity_is_decided() {
    let priya = manager();
    let mut expected = approved_history();
    let tail = expected.split_off(expected.len() - 3);
    RequestTest::with(())
        .given([expected, vec![tail[0].clone()]].concat())
        .when(decide(priya.clone(), approve(trade_show(), usd(2_170))))
        .then_expect_events(vec![
            activity_approved(trade_show(), 2_170, &priya),
            tail[2].clone(),
        ]);
    let r = fold(approved_history()).details.unwrap();
    assert_eq!(r.status, FundRequestStatus::Approved);
    assert_eq!(r.approval_due, None);
    assert_eq!(
        (r.requested_total(), r.approved_total()),
        (usd(5_170), usd(4_670))
    );
}

#[test]
fn an_approval_in_the_activitys_currency_converts_at_its_recorded_rate() {
    let priya = manager();
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(priya.clone(), approve(trade_show(), eur(1_000))))
        .then_expect_events(vec![activity_approved(trade_show(), 1_085, &priya)]);
}

#[test]
fn rejecting_every_activity_rejects_the_request() {
    let priya = manager();
    let why = reason("no named account attends");
    RequestTest::with(())
        .given(
            [
                submitted_history(&pam()),
                vec![FundRequestEvent::ActivityRejected {
                    activity_id: webinar(),
                    record: record(&priya, Verdict::Rejected, Some(why.clone())),
                }],
            ]
            .concat(),
        )
        .when(decide(
            priya.clone(),
            FundRequestCommand::RejectActivity {
                activity_id: trade_show(),
                on_behalf_of: None,
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![
            FundRequestEvent::ActivityRejected {
                activity_id: trade_show(),
                record: record(&priya, Verdict::Rejected, Some(why.clone())),
            },
            FundRequestEvent::FundRequestRejected { reason: why },
        ]);
}

#[test]
fn an_activity_cannot_be_approved_above_what_was_requested() {
    let err = RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(manager(), approve(webinar(), usd(3_001))))
        .inspect_result()
        .unwrap_err();
    assert_eq!(
        err,
        MdfError::ApprovedAboveRequested {
            requested: usd(3_000)
        }
    );
    assert_eq!(err.kind(), RejectionKind::Invalid { field: "amount" });
}

#[test]
fn the_submitter_cannot_approve_their_own_request() {
    let priya = manager();
    let err = RequestTest::with(())
        .given(submitted_history(&priya))
        .when(decide(priya, approve(webinar(), usd(1))))
        .inspect_result()
        .unwrap_err();
    assert_eq!(err, MdfError::SelfApproval);
    assert_eq!(
        (err.kind(), err.code()),
        (RejectionKind::Forbidden, "self-approval")
    );
}

#[test]
fn a_pam_cannot_approve_an_activity() {
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(pam(), approve(webinar(), usd(1))))
        .then_expect_error(MdfError::WrongApproverRole {
            step: ApprovalStep::Manager,
            needed: Role::Manager,
            role: Role::Pam,
        });
}

#[test]
fn a_manager_of_another_territory_cannot_approve_an_activity() {
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(other_manager(), approve(webinar(), usd(1))))
        .then_expect_error(MdfError::ApproverOutsideTerritory {
            territory: territory("Southeast"),
        });
}

#[test]
fn a_delegate_approves_for_the_manager_and_both_are_recorded() {
    let (priya, deputy) = (manager(), staff(Role::Pam, Some("Southeast")));
    let events = RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(
            deputy.clone(),
            FundRequestCommand::ApproveActivity {
                activity_id: webinar(),
                amount: usd(3_000),
                on_behalf_of: Some(delegation(&priya, &deputy)),
                comment: Some(reason("as discussed at the QBR")),
            },
        ))
        .inspect_result()
        .unwrap();
    let [FundRequestEvent::ActivityApproved { record, .. }] = &events[..] else {
        panic!("{events:?}")
    };
    assert_eq!(
        record.on_behalf_of.as_ref().map(|s| s.staff_id),
        Some(priya.staff_id)
    );
    assert_eq!(record.waited_seconds, (decided_at() - at()).num_seconds());
}

#[test]
fn an_activity_is_decided_once() {
    let priya = manager();
    RequestTest::with(())
        .given(
            [
                submitted_history(&pam()),
                vec![activity_approved(webinar(), 10, &priya)],
            ]
            .concat(),
        )
        .when(decide(priya, approve(webinar(), usd(1))))
        .then_expect_error(MdfError::ActivityAlreadyDecided(webinar()));
}

#[test]
fn a_draft_cannot_be_approved() {
    RequestTest::with(())
        .given(drafted_history())
        .when(decide(manager(), approve(webinar(), usd(1))))
        .then_expect_error(MdfError::RequestWrongStatus {
            action: "decide an activity of",
            status: FundRequestStatus::Draft,
        });
}

#[test]
fn a_manager_returns_the_request_for_more_information() {
    let why = reason("which clinics attend?");
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(
            manager(),
            FundRequestCommand::Return {
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![FundRequestEvent::FundRequestReturned { reason: why }]);
}

#[test]
fn a_pam_cannot_return_a_request() {
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(
            pam(),
            FundRequestCommand::Return {
                reason: reason("?"),
            },
        ))
        .then_expect_error(MdfError::Forbidden(Forbidden(
            "PAM of Southeast may not mdf.request.decide".into(),
        )));
}

#[test]
fn a_manager_rejects_the_request_and_it_becomes_editable_again() {
    let why = reason("rework the plan around Acme");
    let history = submitted_history(&pam());
    RequestTest::with(())
        .given(history.clone())
        .when(decide(
            manager(),
            FundRequestCommand::Reject {
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![FundRequestEvent::FundRequestRejected {
            reason: why.clone(),
        }]);
    let r = fold(
        [
            history,
            vec![FundRequestEvent::FundRequestRejected { reason: why }],
        ]
        .concat(),
    );
    assert!(r.details.unwrap().status.is_editable());
}

#[test]
fn a_declined_request_is_final() {
    let why = reason("outside the program's focus");
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(decide(
            manager(),
            FundRequestCommand::Decline {
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![FundRequestEvent::FundRequestDeclined {
            reason: why.clone(),
        }]);
    RequestTest::with(())
        .given(
            [
                submitted_history(&pam()),
                vec![FundRequestEvent::FundRequestDeclined { reason: why }],
            ]
            .concat(),
        )
        .when(when(pam(), submit_command(None)))
        .then_expect_error(MdfError::RequestWrongStatus {
            action: "submit",
            status: FundRequestStatus::Declined,
        });
}

#[test]
fn a_draft_cannot_be_declined() {
    RequestTest::with(())
        .given(drafted_history())
        .when(decide(
            manager(),
            FundRequestCommand::Decline {
                reason: reason("no"),
            },
        ))
        .then_expect_error(MdfError::RequestWrongStatus {
            action: "decline",
            status: FundRequestStatus::Draft,
        });
}
