//! Generators for the RAP properties: a small cast of people whose roles, territories and
//! delegations change from one command to the next, and command sequences over one partner.

use channel_ledger_domain::approval::{ApprovalStep, Delegation};
use channel_ledger_domain::mdf_policy::PROGRAM_CURRENCY;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::{Classification, PartnerFacts, PartnerId, Tier};
use channel_ledger_domain::rap::{
    AccountDomain, NamedAccountStatus, NamedAccountTarget, RapCommand, RapId, RapOutcome, RapTerms,
};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, Role, StaffId, Territory};
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;

const TERRITORIES: [&str; 2] = ["Southeast", "Mid-Atlantic"];
const DOMAINS: [&str; 4] = ["a.example", "b.example", "c.example", "d.example"];
/// Few enough people that the same person often turns up at two steps.
const PEOPLE: u128 = 5;

fn territory(i: usize) -> Territory {
    Territory::parse(TERRITORIES[i % 2]).unwrap()
}

fn reason() -> Reason {
    Reason::parse("generated").unwrap()
}

fn person() -> impl Strategy<Value = Actor> {
    let role = prop_oneof![
        3 => Just(Role::Pam),
        3 => Just(Role::Manager),
        3 => Just(Role::Cxo),
        1 => Just(Role::Finance),
    ];
    // Mostly the partner's territory, so that sign-off chains complete often enough.
    let in_partner_territory = prop::bool::weighted(0.75);
    (0..PEOPLE, role, in_partner_territory).prop_map(|(i, role, home)| Actor {
        staff_id: StaffId(uuid::Uuid::from_u128(i + 1)),
        name: format!("person {i}"),
        role,
        territory: role
            .needs_territory()
            .then(|| territory(if home { 0 } else { 1 })),
    })
}

/// A delegation as generated; made concrete against the command's actor and time in `run`.
#[derive(Debug, Clone)]
pub struct DelegationSpec {
    principal: Actor,
    to_the_actor: bool,
    in_force: bool,
}

fn delegation() -> impl Strategy<Value = Option<DelegationSpec>> {
    prop::option::weighted(
        0.3,
        (
            person(),
            prop::bool::weighted(0.8),
            prop::bool::weighted(0.8),
        )
            .prop_map(|(principal, to_the_actor, in_force)| DelegationSpec {
                principal,
                to_the_actor,
                in_force,
            }),
    )
}

fn facts(id: PartnerId) -> impl Strategy<Value = PartnerFacts> {
    let tiers = vec![Tier::Platinum, Tier::Platinum, Tier::Gold, Tier::Silver];
    let classes = vec![
        None,
        Some(Classification::Champion),
        Some(Classification::Zombie),
    ];
    (
        prop::sample::select(tiers),
        prop::sample::select(classes),
        prop::bool::weighted(0.05),
        prop::bool::weighted(0.9),
    )
        .prop_map(
            move |(tier, classification, offboarded, same)| PartnerFacts {
                partner_id: if same {
                    id
                } else {
                    PartnerId(uuid::Uuid::nil())
                },
                name: Name::parse("Generated Partner").unwrap(),
                territory: territory(0),
                tier,
                classification,
                pam: None,
                offboarded,
            },
        )
}

fn dollars() -> impl Strategy<Value = Money> {
    prop::sample::select(vec![0i64, 2_000, 5_000, 15_000, 24_000])
        .prop_map(|d| Money::new(d * 100, PROGRAM_CURRENCY))
}

fn terms() -> impl Strategy<Value = RapTerms> {
    (
        prop::sample::subsequence(DOMAINS.to_vec(), 0..=DOMAINS.len()),
        prop::bool::weighted(0.1),
        dollars(),
        dollars(),
        dollars(),
        prop::bool::ANY,
    )
        .prop_map(
            |(mut domains, duplicate, mdf, contribution, arr, exemption)| {
                if duplicate {
                    domains.extend(domains.first().copied());
                }
                RapTerms {
                    named_accounts: domains
                        .into_iter()
                        .map(|d| NamedAccountTarget {
                            name: Name::parse("Customer").unwrap(),
                            domain: AccountDomain::parse(d).unwrap(),
                        })
                        .collect(),
                    mdf,
                    partner_contribution: contribution,
                    arr_target: arr,
                    partner_expected_revenue: arr,
                    mdf_exemption: exemption.then(reason),
                }
            },
        )
}

#[derive(Debug, Clone)]
pub enum Gen {
    Plain(RapCommand),
    Decide(ApprovalStep, bool, Option<DelegationSpec>),
}

fn command(id: PartnerId) -> impl Strategy<Value = Gen> {
    let step = prop::sample::select(vec![ApprovalStep::Manager, ApprovalStep::Cxo]);
    let domain =
        prop::sample::select(DOMAINS.to_vec()).prop_map(|d| AccountDomain::parse(d).unwrap());
    let status = prop::sample::select(vec![
        NamedAccountStatus::Qualified,
        NamedAccountStatus::InProgress,
        NamedAccountStatus::Won,
    ]);
    prop_oneof![
        2 => (facts(id), terms()).prop_map(|(partner, terms)| Gen::Plain(RapCommand::Draft {
            rap_id: RapId(uuid::Uuid::nil()),
            partner,
            period: "FY26 Q2".parse().unwrap(),
            terms,
        })),
        1 => terms().prop_map(|terms| Gen::Plain(RapCommand::Revise { terms })),
        2 => facts(id).prop_map(|partner| Gen::Plain(RapCommand::Submit { partner })),
        6 => (step.clone(), Just(true), delegation()).prop_map(|(s, ok, d)| Gen::Decide(s, ok, d)),
        1 => (step, Just(false), delegation()).prop_map(|(s, ok, d)| Gen::Decide(s, ok, d)),
        2 => (facts(id), terms()).prop_map(|(partner, terms)| Gen::Plain(
            RapCommand::ProposeAmendment { partner, terms, reason: reason() })),
        2 => (domain.clone(), status).prop_map(|(domain, to)| Gen::Plain(
            RapCommand::AdvanceNamedAccount { domain, to })),
        1 => domain.clone().prop_map(|domain| Gen::Plain(RapCommand::WinNamedAccount {
            domain, arr: Money::new(1_000_000, PROGRAM_CURRENCY) })),
        1 => domain.prop_map(|domain| Gen::Plain(RapCommand::LoseNamedAccount {
            domain, reason: reason() })),
        1 => Just(Gen::Plain(RapCommand::Close { outcome: RapOutcome::Achieved, note: reason() })),
    ]
}

/// Gives a person the role a command calls for (keeping who they are, so the same person still
/// turns up at two steps); for a delegated decision, the principal gets it.
fn fitted(mut actor: Actor, mut gen: Gen) -> (Actor, Gen) {
    let southeast = Some(territory(0));
    let (role, territory) = match &gen {
        Gen::Decide(ApprovalStep::Manager, ..) => (Role::Manager, southeast),
        Gen::Decide(ApprovalStep::Cxo, ..) => (Role::Cxo, None),
        Gen::Plain(RapCommand::Close { .. }) => (Role::Manager, southeast),
        Gen::Plain(_) => (Role::Pam, southeast),
    };
    let holder = match &mut gen {
        Gen::Decide(_, _, Some(spec)) => &mut spec.principal,
        _ => &mut actor,
    };
    holder.role = role;
    holder.territory = territory;
    (actor, gen)
}

pub fn scenario() -> impl Strategy<Value = Vec<(Actor, Gen)>> {
    let id = PartnerId(uuid::Uuid::from_u128(42));
    let step = (person(), command(id), prop::bool::weighted(0.6)).prop_map(|(actor, gen, fit)| {
        if fit {
            fitted(actor, gen)
        } else {
            (actor, gen)
        }
    });
    prop::collection::vec(step, 1..80)
}

pub fn concrete(actor: &Actor, at: DateTime<Utc>, gen: Gen) -> RapCommand {
    match gen {
        Gen::Plain(c) => c,
        Gen::Decide(step, approve, spec) => {
            let on_behalf_of = spec.map(|s| Delegation {
                principal: s.principal,
                delegate: if s.to_the_actor {
                    actor.staff_id
                } else {
                    StaffId(uuid::Uuid::nil())
                },
                from: at - Duration::days(1),
                until: if s.in_force {
                    at + Duration::days(1)
                } else {
                    at - Duration::hours(1)
                },
            });
            if approve {
                RapCommand::Approve {
                    step,
                    on_behalf_of,
                    comment: None,
                }
            } else {
                RapCommand::Reject {
                    step,
                    on_behalf_of,
                    reason: reason(),
                }
            }
        }
    }
}
