//! Properties of the partner aggregate over generated command sequences: replay is deterministic,
//! and no accepted decision ever escaped its permission.

use channel_ledger_domain::partner::{
    Classification, CompanySize, PamCandidate, Partner, PartnerCommand, PartnerEvent, PartnerId,
    PartnerType, Tier,
};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, Authored, Role, StaffId, Territory};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;

const TERRITORIES: [&str; 2] = ["Southeast", "Mid-Atlantic"];

fn territory(i: usize) -> Territory {
    Territory::parse(TERRITORIES[i % 2]).unwrap()
}

fn actor() -> impl Strategy<Value = Actor> {
    (prop::sample::select(Role::ALL.to_vec()), 0..2usize).prop_map(|(role, t)| Actor {
        staff_id: StaffId::new(),
        name: format!("{role}"),
        role,
        territory: role.needs_territory().then(|| territory(t)),
    })
}

fn command(id: PartnerId) -> impl Strategy<Value = PartnerCommand> {
    let reason = Reason::parse("generated reason").unwrap();
    prop_oneof![
        (0..2usize).prop_map(move |t| PartnerCommand::Register {
            partner_id: id,
            name: Name::parse("Generated Partner").unwrap(),
            partner_type: PartnerType::Msp,
            territory: territory(t),
            headquarters: Name::parse("Richmond, VA").unwrap(),
            size: CompanySize::Small,
            specialization: None,
        }),
        (
            prop::sample::select(Tier::ALL.to_vec()),
            Just(reason.clone())
        )
            .prop_map(|(tier, evidence)| PartnerCommand::ChangeTier { tier, evidence }),
        (
            prop::sample::select(Classification::ALL.to_vec()),
            Just(reason.clone())
        )
            .prop_map(|(to, rationale)| PartnerCommand::Reclassify { to, rationale }),
        (
            prop::sample::select(vec![Role::Pam, Role::Manager]),
            0..2usize,
            any::<bool>(),
            0..3u128
        )
            .prop_map(|(role, t, active, who)| PartnerCommand::AssignPam {
                pam: PamCandidate {
                    staff_id: StaffId(uuid::Uuid::from_u128(who + 1)),
                    name: "Candidate".into(),
                    role,
                    territory: Some(territory(t)),
                    active,
                },
            }),
        Just(reason).prop_map(|reason| PartnerCommand::Offboard { reason }),
    ]
}

fn scenario() -> impl Strategy<Value = Vec<(Actor, PartnerCommand)>> {
    let id = PartnerId::new();
    prop::collection::vec((actor(), command(id)), 1..40)
}

/// Runs each command against the live aggregate, keeping the events of those accepted.
fn run(scenario: Vec<(Actor, PartnerCommand)>) -> (Partner, Vec<(Actor, PartnerEvent)>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut partner = Partner::default();
    let mut accepted = Vec::new();
    for (actor, command) in scenario {
        let sink = EventSink::default();
        let before = partner.clone();
        match rt.block_on(partner.handle(
            Authored::new(actor.clone(), chrono::Utc::now(), command),
            &(),
            &sink,
        )) {
            Ok(()) => {
                for event in rt.block_on(sink.collect()) {
                    accepted.push((actor.clone(), event));
                }
            }
            Err(_) => assert_eq!(partner, before, "a refused command changed the state"),
        }
    }
    (partner, accepted)
}

fn replay(events: &[(Actor, PartnerEvent)]) -> Partner {
    let mut partner = Partner::default();
    for (_, event) in events {
        partner.apply(event.clone());
    }
    partner
}

proptest! {
    #[test]
    fn replaying_the_log_twice_gives_the_live_state((live, events) in scenario().prop_map(run)) {
        prop_assert_eq!(&replay(&events), &live);
        prop_assert_eq!(replay(&events), replay(&events));
    }

    #[test]
    fn only_a_manager_of_the_territory_or_a_cxo_ever_reclassified(
        (_, events) in scenario().prop_map(run)
    ) {
        let territory = events.iter().find_map(|(_, e)| match e {
            PartnerEvent::PartnerRegistered { territory, .. } => Some(territory.clone()),
            _ => None,
        });
        for (actor, event) in &events {
            if matches!(event, PartnerEvent::PartnerReclassified { .. }) {
                let allowed = actor.role == Role::Cxo
                    || (actor.role == Role::Manager && actor.territory == territory);
                prop_assert!(allowed, "{actor:?} reclassified a partner of {territory:?}");
            }
        }
    }

    #[test]
    fn nothing_follows_an_offboarding((_, events) in scenario().prop_map(run)) {
        if let Some(i) = events.iter().position(|(_, e)| matches!(e, PartnerEvent::PartnerOffboarded { .. })) {
            prop_assert_eq!(i, events.len() - 1);
        }
    }

    #[test]
    fn every_assigned_pam_was_an_active_pam_of_the_partner_territory(scenario in scenario()) {
        let (_, events) = run(scenario.clone());
        let territory = events.iter().find_map(|(_, e)| match e {
            PartnerEvent::PartnerRegistered { territory, .. } => Some(territory.clone()),
            _ => None,
        });
        let candidates: Vec<PamCandidate> = scenario
            .into_iter()
            .filter_map(|(_, c)| match c {
                PartnerCommand::AssignPam { pam } => Some(pam),
                _ => None,
            })
            .collect();
        for (_, event) in &events {
            if let PartnerEvent::PamAssigned { pam_id, .. } = event {
                let eligible = candidates.iter().any(|c| {
                    c.staff_id == *pam_id && c.active && c.role == Role::Pam && c.territory == territory
                });
                prop_assert!(eligible, "{pam_id} was assigned without being an eligible PAM");
            }
        }
    }
}
