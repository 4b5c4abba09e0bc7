use super::*;
use crate::mdf::error::MdfError;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

fn draft_command(named_accounts: Vec<&str>) -> FundRequestCommand {
    FundRequestCommand::Draft {
        request_id: request_id(),
        partner: ironclad(),
        quarter: q2(),
        link: FundingLink::Rap { rap_id: rap_id() },
        title: Name::parse("Q2 healthcare demand generation").unwrap(),
        named_accounts: named_accounts.into_iter().map(String::from).collect(),
    }
}

fn add(input: ActivityInput) -> FundRequestCommand {
    FundRequestCommand::AddActivity(input)
}

fn trade_show_input(rate: Option<ExchangeRate>) -> ActivityInput {
    ActivityInput {
        activity_id: trade_show(),
        description: reason("booth at MedTech Berlin"),
        starts_on: day("2026-04-20"),
        requested: eur(2_000),
        rate,
    }
}

#[test]
fn a_pam_drafts_a_fund_request_linked_to_a_rap_and_its_named_accounts() {
    RequestTest::with(())
        .given_no_previous_events()
        .when(when(
            pam(),
            draft_command(vec![" Globex.com", "acme.com", "globex.com"]),
        ))
        .then_expect_events(vec![drafted()]);
}

#[test]
fn a_pam_of_another_territory_cannot_draft() {
    RequestTest::with(())
        .given_no_previous_events()
        .when(when(staff(crate::actor::Role::Pam, Some("Mid-Atlantic")), draft_command(vec![])))
        .then_expect_error(MdfError::Forbidden(Forbidden(
            "PAM of Mid-Atlantic may not mdf.request.draft in Southeast: it is outside their territory"
                .into(),
        )));
}

#[test]
fn a_request_is_drafted_once() {
    RequestTest::with(())
        .given(vec![drafted()])
        .when(when(pam(), draft_command(vec![])))
        .then_expect_error(MdfError::RequestExists);
}

#[test]
fn an_offboarded_partner_cannot_request_funds() {
    let FundRequestCommand::Draft {
        request_id,
        quarter,
        link,
        title,
        ..
    } = draft_command(vec![])
    else {
        unreachable!()
    };
    let mut gone = ironclad();
    gone.offboarded = true;
    RequestTest::with(())
        .given_no_previous_events()
        .when(when(
            cxo(),
            FundRequestCommand::Draft {
                request_id,
                partner: gone,
                quarter,
                link,
                title,
                named_accounts: vec![],
            },
        ))
        .then_expect_error(MdfError::PartnerOffboarded);
}

#[test]
fn acting_on_a_request_never_drafted_is_refused() {
    RequestTest::with(())
        .given_no_previous_events()
        .when(when(pam(), submit_command(None)))
        .then_expect_error(MdfError::RequestNotFound);
}

#[test]
fn an_activity_in_the_program_currency_is_added() {
    RequestTest::with(())
        .given(vec![drafted()])
        .when(when(
            pam(),
            add(ActivityInput {
                activity_id: webinar(),
                description: reason("webinar for Acme's clinics"),
                starts_on: day("2026-04-01"),
                requested: usd(3_000),
                rate: None,
            }),
        ))
        .then_expect_events(vec![webinar_added()]);
}

#[test]
fn an_activity_in_another_currency_keeps_its_rate_and_converted_amount() {
    RequestTest::with(())
        .given(vec![drafted()])
        .when(when(pam(), add(trade_show_input(Some(eur_rate())))))
        .then_expect_events(vec![trade_show_added()]);
}

#[test]
fn an_activity_in_another_currency_without_a_rate_is_refused() {
    let err = RequestTest::with(())
        .given(vec![drafted()])
        .when(when(pam(), add(trade_show_input(None))))
        .inspect_result()
        .unwrap_err();
    assert_eq!(
        err,
        MdfError::MissingExchangeRate {
            currency: Currency::parse("EUR").unwrap()
        }
    );
    assert_eq!(err.kind(), RejectionKind::Invalid { field: "rate" });
}

#[test]
fn a_rate_for_another_currency_pair_is_refused() {
    let mut gbp = eur_rate();
    gbp.from = Currency::parse("GBP").unwrap();
    RequestTest::with(())
        .given(vec![drafted()])
        .when(when(pam(), add(trade_show_input(Some(gbp)))))
        .then_expect_error(MdfError::ExchangeRateMismatch {
            currency: Currency::parse("EUR").unwrap(),
        });
}

#[test]
fn an_activity_id_is_used_once() {
    RequestTest::with(())
        .given(vec![drafted(), trade_show_added()])
        .when(when(pam(), add(trade_show_input(Some(eur_rate())))))
        .then_expect_error(MdfError::ActivityExists);
}

#[test]
fn an_activity_requesting_nothing_is_refused() {
    let mut input = trade_show_input(None);
    input.requested = usd(0);
    RequestTest::with(())
        .given(vec![drafted()])
        .when(when(pam(), add(input)))
        .then_expect_error(MdfError::NotPositive { field: "requested" });
}

#[test]
fn an_activity_is_removed_while_the_request_is_a_draft() {
    RequestTest::with(())
        .given(drafted_history())
        .when(when(
            pam(),
            FundRequestCommand::RemoveActivity {
                activity_id: webinar(),
            },
        ))
        .then_expect_events(vec![FundRequestEvent::ActivityRemoved {
            activity_id: webinar(),
        }]);
}

#[test]
fn removing_an_unknown_activity_is_refused() {
    RequestTest::with(())
        .given(vec![drafted()])
        .when(when(
            pam(),
            FundRequestCommand::RemoveActivity {
                activity_id: webinar(),
            },
        ))
        .then_expect_error(MdfError::ActivityNotFound(webinar()));
}

#[test]
fn a_submitted_request_cannot_be_edited() {
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(when(
            pam(),
            FundRequestCommand::RemoveActivity {
                activity_id: webinar(),
            },
        ))
        .then_expect_error(MdfError::RequestWrongStatus {
            action: "remove an activity from",
            status: FundRequestStatus::Submitted,
        });
}

#[test]
fn a_pam_withdraws_a_submitted_request() {
    let why = reason("partner postponed the campaign");
    RequestTest::with(())
        .given(submitted_history(&pam()))
        .when(when(
            pam(),
            FundRequestCommand::Withdraw {
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![FundRequestEvent::FundRequestWithdrawn { reason: why }]);
}

#[test]
fn an_approved_request_cannot_be_withdrawn() {
    RequestTest::with(())
        .given(approved_history())
        .when(when(
            pam(),
            FundRequestCommand::Withdraw {
                reason: reason("late"),
            },
        ))
        .then_expect_error(MdfError::RequestWrongStatus {
            action: "withdraw",
            status: FundRequestStatus::Approved,
        });
}
