//! Given/when/then tests of the fund request, by stage; fixtures here.

mod claims;
mod drafting;
mod ledger;
mod payments;
mod review;
mod submission;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;
use uuid::Uuid;

use super::*;
use crate::actor::Actor;
use crate::approval::{ApprovalRecord, ApprovalStep, Approver, StaffRef, Verdict};
use crate::fiscal::add_business_days;
use crate::mdf::facts::{RapFacts, SourceFacts};
use crate::mdf::test_support::*;
use crate::money::{Currency, ExchangeRate};
use crate::partner::{PartnerFacts, Tier};

type RequestTest = TestFramework<FundRequest>;

fn ironclad() -> PartnerFacts {
    partner("Ironclad MSP", Tier::Gold)
}

fn rap_id() -> Uuid {
    Uuid::from_u128(42)
}

fn rap() -> RapFacts {
    RapFacts {
        rap_id: rap_id(),
        partner_id: ironclad().partner_id,
        active: true,
        named_account_domains: vec!["acme.com".into(), "Globex.com".into()],
        mdf: usd(24_000),
    }
}

fn request_id() -> FundRequestId {
    FundRequestId(Uuid::from_u128(7))
}
fn webinar() -> ActivityId {
    ActivityId(Uuid::from_u128(1))
}
fn trade_show() -> ActivityId {
    ActivityId(Uuid::from_u128(2))
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn eur(units: i64) -> Money {
    Money::new(units * 100, Currency::parse("EUR").unwrap())
}

fn eur_rate() -> ExchangeRate {
    ExchangeRate {
        from: Currency::parse("EUR").unwrap(),
        to: Currency::USD,
        rate_micros: 1_085_000,
        on: day("2026-02-13"),
    }
}

fn q2() -> crate::fiscal::FiscalQuarter {
    "FY26 Q2".parse().unwrap()
}

fn drafted() -> FundRequestEvent {
    FundRequestEvent::FundRequestDrafted {
        request_id: request_id(),
        partner_id: ironclad().partner_id,
        partner_name: ironclad().name,
        territory: territory("Southeast"),
        quarter: q2(),
        link: FundingLink::Rap { rap_id: rap_id() },
        title: Name::parse("Q2 healthcare demand generation").unwrap(),
        named_accounts: vec!["acme.com".into(), "globex.com".into()],
    }
}

fn webinar_added() -> FundRequestEvent {
    FundRequestEvent::ActivityAdded {
        activity_id: webinar(),
        description: reason("webinar for Acme's clinics"),
        starts_on: day("2026-04-01"),
        requested: usd(3_000),
        rate: None,
        requested_program: usd(3_000),
    }
}

fn trade_show_added() -> FundRequestEvent {
    FundRequestEvent::ActivityAdded {
        activity_id: trade_show(),
        description: reason("booth at MedTech Berlin"),
        starts_on: day("2026-04-20"),
        requested: eur(2_000),
        rate: Some(eur_rate()),
        requested_program: usd(2_170),
    }
}

fn drafted_history() -> Vec<FundRequestEvent> {
    vec![drafted(), webinar_added(), trade_show_added()]
}

fn submit_command(late_reason: Option<Reason>) -> FundRequestCommand {
    FundRequestCommand::Submit {
        source: SourceFacts::Rap(rap()),
        available: usd(10_000),
        late_reason,
    }
}

fn submitted(by: &Actor) -> FundRequestEvent {
    FundRequestEvent::FundRequestSubmitted {
        submitted_by: StaffRef::from(by),
        submitted_at: at(),
        approval_due: add_business_days(at(), 5),
        late_reason: None,
        requested_total: usd(5_170),
        source: SourceFacts::Rap(rap()),
        available: usd(10_000),
    }
}

fn submitted_history(by: &Actor) -> Vec<FundRequestEvent> {
    [drafted_history(), vec![submitted(by)]].concat()
}

fn decided_at() -> DateTime<Utc> {
    t("2026-02-16T10:00:00Z")
}

fn record(by: &Actor, verdict: Verdict, comment: Option<Reason>) -> ApprovalRecord {
    ApprovalRecord::new(
        ApprovalStep::Manager,
        verdict,
        &Approver::new(by.clone(), None),
        comment,
        at(),
        decided_at(),
    )
}

fn activity_approved(id: ActivityId, dollars: i64, by: &Actor) -> FundRequestEvent {
    FundRequestEvent::ActivityApproved {
        activity_id: id,
        amount: usd(dollars),
        record: record(by, Verdict::Approved, None),
    }
}

/// Webinar approved for $2,500 of $3,000, trade show in full ($2,170).
fn approved_history() -> Vec<FundRequestEvent> {
    let priya = manager();
    [
        submitted_history(&pam()),
        vec![
            activity_approved(webinar(), 2_500, &priya),
            activity_approved(trade_show(), 2_170, &priya),
            FundRequestEvent::FundRequestApproved {
                commitments: vec![
                    Settlement {
                        activity_id: webinar(),
                        amount: usd(2_500),
                    },
                    Settlement {
                        activity_id: trade_show(),
                        amount: usd(2_170),
                    },
                ],
                total: usd(4_670),
            },
        ],
    ]
    .concat()
}

fn fold(events: Vec<FundRequestEvent>) -> FundRequest {
    let mut request = FundRequest::default();
    for e in events {
        request.apply(e);
    }
    request
}

fn when(
    actor: Actor,
    command: FundRequestCommand,
) -> crate::authored::Authored<FundRequestCommand> {
    crate::authored::Authored::new(actor, at(), command)
}
