//! Properties of the MDF ledger over generated command sequences (issue 3, tests b and c):
//! for every fund request, paid ≤ accepted claims ≤ approved ≤ requested and the ledger entries
//! sum to zero and agree with the state; for a program budget, approved allocations ≤ budget,
//! tier caps hold without an exemption, and every exemption carries two proper sign-offs;
//! replaying the events twice from scratch gives the live state; refused commands change nothing.

use channel_ledger_domain::approval::ApprovalStep;
use channel_ledger_domain::mdf::*;
use channel_ledger_domain::mdf_policy::tier_policy;
use channel_ledger_domain::money::{Currency, ExchangeRate, Money};
use channel_ledger_domain::partner::{PartnerFacts, PartnerId, Tier};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, Authored, Role, StaffId, Territory};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;
use uuid::Uuid;

fn base() -> DateTime<Utc> {
    "2026-02-13T15:00:00Z".parse().unwrap()
}

/// A small cast with stable ids, so segregation of duties can actually bite.
fn cast() -> Vec<Actor> {
    let person = |n: u128, role: Role, territory: Option<&str>| Actor {
        staff_id: StaffId(Uuid::from_u128(n)),
        name: format!("{role} {n}"),
        role,
        territory: territory.map(|t| Territory::parse(t).unwrap()),
    };
    vec![
        person(1, Role::Pam, Some("Southeast")),
        person(2, Role::Manager, Some("Southeast")),
        person(3, Role::Manager, Some("Southeast")),
        person(4, Role::Manager, Some("Mid-Atlantic")),
        person(5, Role::Cxo, None),
        person(6, Role::Cxo, None),
        person(7, Role::Finance, None),
    ]
}

fn actor() -> impl Strategy<Value = Actor> {
    prop::sample::select(cast())
}

/// Mostly someone plausible for the command (indexes into the cast), sometimes anyone.
fn actor_among(plausible: &[usize]) -> BoxedStrategy<Actor> {
    let people = cast();
    let likely: Vec<Actor> = plausible.iter().map(|i| people[*i].clone()).collect();
    prop_oneof![3 => prop::sample::select(likely), 1 => actor()].boxed()
}

fn reason() -> Reason {
    Reason::parse("generated").unwrap()
}

fn partner(i: usize) -> PartnerFacts {
    let tiers = [Tier::Gold, Tier::Silver, Tier::Registered];
    PartnerFacts {
        partner_id: PartnerId(Uuid::from_u128(100 + i as u128)),
        name: Name::parse("Generated Partner").unwrap(),
        territory: Territory::parse("Southeast").unwrap(),
        tier: tiers[i % 3],
        classification: None,
        pam: None,
        offboarded: false,
    }
}

fn usd(dollars: i64) -> Money {
    Money::usd(dollars * 100)
}

fn eur_rate() -> ExchangeRate {
    ExchangeRate {
        from: Currency::parse("EUR").unwrap(),
        to: Currency::USD,
        rate_micros: 1_085_000,
        on: NaiveDate::from_ymd_opt(2026, 2, 13).unwrap(),
    }
}

/// Runs each command against the live aggregate two days apart, keeping the events accepted
/// and checking that a refusal changes nothing.
fn run<A>(steps: Vec<(Actor, A::Command)>) -> (A, Vec<A::Event>)
where
    A: Aggregate<Services = ()> + Clone + PartialEq,
{
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut live = A::default();
    let mut accepted = Vec::new();
    for (_, command) in steps {
        let sink = EventSink::default();
        let before = live.clone();
        match rt.block_on(live.handle(command, &(), &sink)) {
            Ok(()) => accepted.extend(rt.block_on(sink.collect())),
            Err(_) => assert!(live == before, "a refused command changed the state"),
        }
    }
    (live, accepted)
}

fn replay<A: Aggregate>(events: &[A::Event]) -> A {
    let mut a = A::default();
    for e in events {
        a.apply(e.clone());
    }
    a
}

fn timed<C>(steps: Vec<(Actor, C)>) -> Vec<(Actor, Authored<C>)> {
    steps
        .into_iter()
        .enumerate()
        .map(|(i, (actor, c))| {
            let at = base() + Duration::days(2 * i as i64);
            (actor.clone(), Authored::new(actor, at, c))
        })
        .collect()
}

#[path = "mdf_properties/budget.rs"]
mod budget_props;
#[path = "mdf_properties/request.rs"]
mod request_props;
