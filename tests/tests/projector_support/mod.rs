//! Shared by the projector tests: generated scenarios of partner and staff commands, written
//! through the real command path (cqrs-es over the ledger's event store), and the model folded
//! straight from the log to compare projectors against.

#![allow(
    dead_code,
    reason = "each test file uses its own part of the support module"
)]

use channel_ledger_domain::partner::{
    permission_for, Classification, CompanySize, PamCandidate, Partner, PartnerCommand, PartnerId,
    PartnerType, Tier,
};
use channel_ledger_domain::staff::{Staff, StaffCommand};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{
    Actor, Authored, Decision, EffectiveTime, EventMetadata, Role, StaffId, Territory,
};
use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_store::{Ledger, LedgerRepository};
use chrono::Utc;
use cqrs_es::persist::PersistedEventStore;
use cqrs_es::{AggregateError, CqrsFramework};
use proptest::prelude::*;

pub const TERRITORIES: [&str; 2] = ["Southeast", "Northwest"];
pub const PARTNERS: usize = 4;
pub const PAMS: usize = 3;

/// One command of a scenario, naming partners and PAMs by index. Some are refused by the
/// aggregates (a tier it already has, a PAM of another territory): those append nothing.
#[derive(Debug, Clone)]
pub enum Step {
    Hire { pam: usize, territory: usize },
    MovePam { pam: usize, territory: usize },
    Register { partner: usize, territory: usize },
    ChangeTier { partner: usize, tier: usize },
    Reclassify { partner: usize, to: usize },
    AssignPam { partner: usize, pam: usize },
}

pub fn step() -> impl Strategy<Value = Step> {
    let t = 0..TERRITORIES.len();
    prop_oneof![
        1 => (0..PAMS, t.clone()).prop_map(|(pam, territory)| Step::Hire { pam, territory }),
        1 => (0..PAMS, t.clone()).prop_map(|(pam, territory)| Step::MovePam { pam, territory }),
        2 => (0..PARTNERS, t).prop_map(|(partner, territory)| Step::Register { partner, territory }),
        3 => (0..PARTNERS, 0..Tier::ALL.len()).prop_map(|(partner, tier)| Step::ChangeTier { partner, tier }),
        3 => (0..PARTNERS, 0..Classification::ALL.len())
            .prop_map(|(partner, to)| Step::Reclassify { partner, to }),
        2 => (0..PARTNERS, 0..PAMS).prop_map(|(partner, pam)| Step::AssignPam { partner, pam }),
    ]
}

/// Every kind of step, in an order where each is accepted: for hand-written scenarios.
pub fn fixed_scenario() -> Vec<Step> {
    let mut steps = vec![
        Step::Hire {
            pam: 0,
            territory: 0,
        },
        Step::Hire {
            pam: 1,
            territory: 1,
        },
        Step::Register {
            partner: 0,
            territory: 0,
        },
        Step::Register {
            partner: 1,
            territory: 1,
        },
        Step::AssignPam { partner: 0, pam: 0 },
        Step::AssignPam { partner: 1, pam: 1 },
    ];
    for round in 0..6 {
        steps.push(Step::ChangeTier {
            partner: round % 2,
            tier: 1 + round % 3,
        });
        steps.push(Step::Reclassify {
            partner: round % 2,
            to: round % Classification::ALL.len(),
        });
    }
    steps.push(Step::MovePam {
        pam: 1,
        territory: 0,
    });
    steps.push(Step::AssignPam { partner: 0, pam: 1 });
    steps
}

type Framework<A> = CqrsFramework<A, PersistedEventStore<LedgerRepository, A>>;

struct Pam {
    id: StaffId,
    name: String,
    territory: Option<Territory>,
    hired: bool,
}

/// Executes steps as a CxO (partners) and the system Admin (staff), like the API would.
pub struct Writer {
    partners: Framework<Partner>,
    staff: Framework<Staff>,
    partner_ids: Vec<PartnerId>,
    pams: Vec<Pam>,
    cxo: Actor,
}

impl Writer {
    pub fn new(ledger: &Ledger) -> Self {
        Self {
            partners: CqrsFramework::new(ledger.event_store::<Partner>(), vec![], ()),
            staff: CqrsFramework::new(ledger.event_store::<Staff>(), vec![], ()),
            partner_ids: (0..PARTNERS).map(|_| PartnerId::new()).collect(),
            pams: (0..PAMS)
                .map(|i| Pam {
                    id: StaffId::new(),
                    name: format!("PAM {i}"),
                    territory: None,
                    hired: false,
                })
                .collect(),
            cxo: Actor {
                staff_id: StaffId::new(),
                name: "Test CxO".into(),
                role: Role::Cxo,
                territory: None,
            },
        }
    }

    /// Runs one step; `true` when the aggregate accepted it.
    pub async fn run(&mut self, step: &Step) -> bool {
        match *step {
            Step::Hire { pam, territory } => {
                let command = StaffCommand::Join {
                    staff_id: self.pams[pam].id,
                    name: Name::parse(&self.pams[pam].name).unwrap(),
                    role: Role::Pam,
                    territory: Some(territory_at(territory)),
                };
                let accepted = self.staff_command(pam, command).await;
                if accepted {
                    self.pams[pam].hired = true;
                    self.pams[pam].territory = Some(territory_at(territory));
                }
                accepted
            }
            Step::MovePam { pam, territory } => {
                let command = StaffCommand::MoveTerritory {
                    territory: territory_at(territory),
                };
                let accepted = self.staff_command(pam, command).await;
                if accepted {
                    self.pams[pam].territory = Some(territory_at(territory));
                }
                accepted
            }
            Step::Register { partner, territory } => {
                let command = PartnerCommand::Register {
                    partner_id: self.partner_ids[partner],
                    name: Name::parse(&format!("Partner {partner}")).unwrap(),
                    partner_type: PartnerType::Msp,
                    territory: territory_at(territory),
                    headquarters: Name::parse("Atlanta, GA").unwrap(),
                    size: CompanySize::Small,
                    specialization: None,
                };
                self.partner_command(partner, command).await
            }
            Step::ChangeTier { partner, tier } => {
                let command = PartnerCommand::ChangeTier {
                    tier: Tier::ALL[tier],
                    evidence: Reason::parse("quarterly review").unwrap(),
                };
                self.partner_command(partner, command).await
            }
            Step::Reclassify { partner, to } => {
                let command = PartnerCommand::Reclassify {
                    to: Classification::ALL[to],
                    rationale: Reason::parse("pipeline changed").unwrap(),
                };
                self.partner_command(partner, command).await
            }
            Step::AssignPam { partner, pam } => {
                let p = &self.pams[pam];
                let command = PartnerCommand::AssignPam {
                    pam: PamCandidate {
                        staff_id: p.id,
                        name: p.name.clone(),
                        role: Role::Pam,
                        territory: p.territory.clone(),
                        active: p.hired,
                    },
                };
                self.partner_command(partner, command).await
            }
        }
    }

    pub async fn run_all(&mut self, steps: &[Step]) -> usize {
        let mut accepted = 0;
        for step in steps {
            accepted += usize::from(self.run(step).await);
        }
        accepted
    }

    async fn partner_command(&self, partner: usize, command: PartnerCommand) -> bool {
        let at = EffectiveTime::now(Utc::now());
        let meta = EventMetadata::new(
            &self.cxo,
            &at,
            permission_for(&command).authority(&self.cxo),
        );
        let result = self
            .partners
            .execute_with_metadata(
                &self.partner_ids[partner].to_string(),
                Authored::new(self.cxo.clone(), at.at(), command),
                meta.to_map(),
            )
            .await;
        accepted(result)
    }

    async fn staff_command(&self, pam: usize, command: StaffCommand) -> bool {
        let admin = Actor::system();
        let at = EffectiveTime::now(Utc::now());
        let meta = EventMetadata::new(&admin, &at, command.permission().authority(&admin));
        let result = self
            .staff
            .execute_with_metadata(
                &self.pams[pam].id.to_string(),
                Authored::new(admin.clone(), at.at(), command),
                meta.to_map(),
            )
            .await;
        accepted(result)
    }
}

fn territory_at(i: usize) -> Territory {
    Territory::parse(TERRITORIES[i]).unwrap()
}

/// A refusal by the aggregate is part of the scenario; anything else fails the test.
fn accepted<E: std::error::Error>(result: Result<(), AggregateError<E>>) -> bool {
    match result {
        Ok(()) => true,
        Err(AggregateError::UserError(_)) => false,
        Err(other) => panic!("command failed outside the domain: {other}"),
    }
}

/// The whole log folded in one go, with no projector involved.
pub async fn fold_of_log(ledger: &Ledger) -> ProgramModel {
    let mut events = Vec::new();
    let mut after = 0;
    loop {
        let page = ledger.read_global(after, 500).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.position;
        events.extend(page.iter().map(|r| LedgerEvent::try_from(r).unwrap()));
    }
    ProgramModel::fold(&events)
}

pub fn json(model: &ProgramModel) -> String {
    serde_json::to_string(model).unwrap()
}

/// A multi-threaded runtime for one proptest case (each case opens its own database).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}
