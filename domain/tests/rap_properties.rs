//! Properties of the RAP aggregate over generated command sequences, with a small cast of people
//! whose roles, territories and delegations change from one command to the next: no RAP (or
//! amendment) takes effect without a Manager of the partner's territory and then a CxO, two
//! different people neither of whom submitted it; replay is deterministic; refusals change nothing.

mod rap_generators;

use channel_ledger_domain::rap::{Rap, RapCommand, RapEvent};
use channel_ledger_domain::{Actor, Authored, Role, StaffId};
use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use rap_generators::{concrete, scenario, Gen};

/// A command the aggregate accepted and the events it produced.
#[derive(Debug)]
struct Accepted {
    command: Authored<RapCommand>,
    events: Vec<RapEvent>,
}

/// Runs each command against the live aggregate, one hour apart, keeping those accepted.
fn run(scenario: Vec<(Actor, Gen)>) -> (Rap, Vec<Accepted>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let start: DateTime<Utc> = "2026-02-09T09:00:00Z".parse().unwrap();
    let mut rap = Rap::default();
    let mut accepted = Vec::new();
    for (i, (actor, gen)) in scenario.into_iter().enumerate() {
        let at = start + Duration::hours(i as i64);
        let command = Authored::new(actor.clone(), at, concrete(&actor, at, gen));
        let before = rap.clone();
        let sink = EventSink::default();
        match rt.block_on(rap.handle(command.clone(), &(), &sink)) {
            Ok(()) => accepted.push(Accepted {
                command,
                events: rt.block_on(sink.collect()),
            }),
            Err(_) => assert_eq!(rap, before, "a refused command changed the state"),
        }
    }
    (rap, accepted)
}

fn replay(accepted: &[Accepted]) -> Rap {
    let mut rap = Rap::default();
    for event in accepted.iter().flat_map(|a| a.events.iter()) {
        rap.apply(event.clone());
    }
    rap
}

/// The person whose role and territory counted for a decision, if the decision was properly
/// made in person or under a delegation to the actor in force at the time.
fn authority_of(command: &Authored<RapCommand>) -> Option<(&Actor, Vec<StaffId>)> {
    let on_behalf_of = match &command.command {
        RapCommand::Approve { on_behalf_of, .. } | RapCommand::Reject { on_behalf_of, .. } => {
            on_behalf_of
        }
        _ => return None,
    };
    match on_behalf_of {
        None => Some((&command.actor, vec![command.actor.staff_id])),
        Some(d) => {
            let in_force = d.from <= command.at && command.at < d.until;
            (d.delegate == command.actor.staff_id && in_force).then(|| {
                (
                    &d.principal,
                    vec![command.actor.staff_id, d.principal.staff_id],
                )
            })
        }
    }
}

/// Checks, from the accepted commands alone, every activation and approved amendment.
fn check_sign_offs(accepted: &[Accepted]) -> Result<usize, TestCaseError> {
    let mut partner_territory = None;
    let mut submitter = None;
    let mut manager: Option<(StaffId, Vec<StaffId>)> = None;
    let mut took_effect = 0;
    for a in accepted {
        for event in &a.events {
            match event {
                RapEvent::RapDrafted { territory, .. } => {
                    partner_territory = Some(territory.clone())
                }
                RapEvent::RapSubmitted { .. } | RapEvent::RapAmendmentProposed { .. } => {
                    submitter = Some(a.command.actor.staff_id);
                    manager = None;
                }
                RapEvent::RapApprovedByManager { .. }
                | RapEvent::RapAmendmentApprovedByManager { .. } => {
                    let (authority, people) = authority_of(&a.command).ok_or_else(|| {
                        TestCaseError::fail("manager step without a valid delegation")
                    })?;
                    prop_assert_eq!(authority.role, Role::Manager);
                    prop_assert_eq!(&authority.territory, &partner_territory);
                    let submitter =
                        submitter.ok_or_else(|| TestCaseError::fail("approved unsubmitted"))?;
                    prop_assert!(
                        !people.contains(&submitter),
                        "the submitter approved as Manager"
                    );
                    manager = Some((submitter, people));
                }
                RapEvent::RapActivated { .. } | RapEvent::RapAmendmentApproved { .. } => {
                    let (authority, people) = authority_of(&a.command).ok_or_else(|| {
                        TestCaseError::fail("CxO step without a valid delegation")
                    })?;
                    prop_assert_eq!(authority.role, Role::Cxo);
                    let (submitter, manager_people) = manager.take().ok_or_else(|| {
                        TestCaseError::fail("took effect without a Manager approval")
                    })?;
                    prop_assert!(
                        !people.contains(&submitter),
                        "the submitter approved as CxO"
                    );
                    prop_assert!(
                        people.iter().all(|p| !manager_people.contains(p)),
                        "the Manager approver also signed as CxO"
                    );
                    took_effect += 1;
                }
                RapEvent::RapRejected { .. } | RapEvent::RapAmendmentRejected { .. } => {
                    manager = None;
                }
                _ => {}
            }
        }
    }
    Ok(took_effect)
}

proptest! {
    #![proptest_config(Config::with_cases(512))]

    #[test]
    fn nothing_takes_effect_without_a_territory_manager_then_a_distinct_cxo(
        (_, accepted) in scenario().prop_map(run)
    ) {
        check_sign_offs(&accepted)?;
    }

    #[test]
    fn replaying_the_events_twice_from_scratch_gives_the_live_state(
        (live, accepted) in scenario().prop_map(run)
    ) {
        prop_assert_eq!(&replay(&accepted), &live);
        prop_assert_eq!(replay(&accepted), replay(&accepted));
    }
}

/// Guards the property above from passing vacuously: the generator does reach activations.
#[test]
fn generated_scenarios_do_activate_raps() {
    let mut runner = TestRunner::deterministic();
    let mut activations = 0;
    for _ in 0..300 {
        let scenario = scenario().new_tree(&mut runner).unwrap().current();
        let (_, accepted) = run(scenario);
        activations += check_sign_offs(&accepted).unwrap();
    }
    assert!(
        activations >= 10,
        "only {activations} generated scenarios activated a RAP"
    );
}
