//! Properties of a cohort strategy over generated command sequences: replay is deterministic,
//! refusals change nothing, nobody decides a version they drafted (or that their principal
//! drafted), only Managers and CxOs decide, and at most one version is in force and at most one
//! awaits approval.

use channel_ledger_domain::approval::{Delegation, Verdict};
use channel_ledger_domain::cohort::{
    CohortCommand, CohortEvent, CohortStrategy, Play, StrategyText, VersionStatus,
};
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::partner::Classification;
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, Authored, Role, StaffId, Territory};
use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Step {
    Draft {
        plays: usize,
    },
    Revise {
        plays: usize,
    },
    /// `pending`: decide the pending version (else a stale number); `delegated`: 0 none, 1 a
    /// delegation in force from the CxO, 2 an expired one, 3 one from the pending version's drafter.
    Decide {
        approve: bool,
        pending: bool,
        delegated: u8,
    },
    Review {
        quarter: u8,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (0..3usize).prop_map(|plays| Step::Draft { plays }),
        3 => (0..3usize).prop_map(|plays| Step::Revise { plays }),
        6 => (prop::bool::weighted(0.7), prop::bool::weighted(0.9), 0..4u8)
            .prop_map(|(approve, pending, delegated)| Step::Decide { approve, pending, delegated }),
        2 => (0..3u8).prop_map(|quarter| Step::Review { quarter }),
    ]
}

fn person(who: u8) -> Actor {
    let (role, territory) = match who {
        0 => (Role::Manager, Some("Mid-Atlantic")),
        1 => (Role::Manager, Some("Southeast")),
        2 => (Role::Cxo, None),
        3 => (Role::Pam, Some("Southeast")),
        _ => (Role::Finance, None),
    };
    Actor {
        staff_id: StaffId(uuid::Uuid::from_u128(u128::from(who) + 1)),
        name: role.to_string(),
        role,
        territory: territory.map(|t| Territory::parse(t).unwrap()),
    }
}

fn text(s: &str) -> StrategyText {
    StrategyText::parse(s).unwrap()
}

fn plays(n: usize) -> Vec<Play> {
    (0..n)
        .map(|i| Play {
            title: Name::parse(&format!("play {i}")).unwrap(),
            description: text("do it"),
        })
        .collect()
}

fn command(
    strategy: &CohortStrategy,
    step: Step,
    actor: &Actor,
    at: DateTime<Utc>,
) -> CohortCommand {
    match step {
        Step::Draft { plays: n } => CohortCommand::Draft {
            classification: Classification::Farmer,
            intent: text("grow renewals"),
            plays: plays(n),
        },
        Step::Revise { plays: n } => CohortCommand::Revise {
            intent: text("grow expansion"),
            plays: plays(n),
        },
        Step::Decide {
            approve,
            pending,
            delegated,
        } => {
            let pending_version = strategy.pending_version();
            let version = match (pending, pending_version) {
                (true, Some(v)) => v.version,
                _ => strategy.versions.len() as u32 + 7,
            };
            let principal = match (delegated, pending_version) {
                (3, Some(v)) => Some(person(
                    (0..5u8)
                        .find(|w| person(*w).staff_id == v.drafted_by.staff_id)
                        .unwrap_or(2),
                )),
                (1 | 2, _) => Some(person(2)),
                _ => None,
            };
            let on_behalf_of = principal.map(|principal| Delegation {
                principal,
                delegate: actor.staff_id,
                from: at - Duration::days(10),
                until: if delegated == 2 {
                    at - Duration::days(1)
                } else {
                    at + Duration::days(1)
                },
            });
            if approve {
                CohortCommand::Approve {
                    version,
                    on_behalf_of,
                    comment: None,
                }
            } else {
                CohortCommand::Reject {
                    version,
                    on_behalf_of,
                    reason: Reason::parse("not yet").unwrap(),
                }
            }
        }
        Step::Review { quarter } => CohortCommand::RecordReview {
            quarter: FiscalQuarter::new(2026, quarter + 1).unwrap(),
            notes: text("on track"),
        },
    }
}

type Scenario = Vec<(Step, u8)>;

fn scenario() -> impl Strategy<Value = Scenario> {
    prop::collection::vec((step(), 0..5u8), 1..50)
}

fn run(scenario: Scenario) -> (CohortStrategy, Vec<CohortEvent>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut strategy = CohortStrategy::default();
    let mut events = Vec::new();
    let mut at: DateTime<Utc> = "2026-02-13T09:00:00Z".parse().unwrap();
    for (step, who) in scenario {
        at += Duration::days(1);
        let actor = person(who);
        let cmd = command(&strategy, step, &actor, at);
        let before = strategy.clone();
        let sink = EventSink::default();
        match rt.block_on(strategy.handle(Authored::new(actor, at, cmd), &(), &sink)) {
            Ok(()) => events.extend(rt.block_on(sink.collect())),
            Err(_) => assert_eq!(strategy, before, "a refused command changed the state"),
        }
        let count = |s| strategy.versions.iter().filter(|v| v.status == s).count();
        assert!(count(VersionStatus::Approved) <= 1, "two versions in force");
        assert!(
            count(VersionStatus::PendingApproval) <= 1,
            "two versions pending"
        );
    }
    (strategy, events)
}

fn replay(events: &[CohortEvent]) -> CohortStrategy {
    let mut strategy = CohortStrategy::default();
    for e in events {
        strategy.apply(e.clone());
    }
    strategy
}

proptest! {
    #[test]
    fn replaying_the_log_twice_gives_the_live_state((live, events) in scenario().prop_map(run)) {
        prop_assert_eq!(&replay(&events), &live);
        prop_assert_eq!(replay(&events), replay(&events));
    }

    #[test]
    fn nobody_decides_their_own_draft_and_only_management_decides(
        (live, _) in scenario().prop_map(run)
    ) {
        for v in &live.versions {
            let Some(record) = &v.decision else { continue };
            let drafter = v.drafted_by.staff_id;
            prop_assert_ne!(record.approver.staff_id, drafter);
            let authority = record.on_behalf_of.as_ref().unwrap_or(&record.approver);
            prop_assert_ne!(authority.staff_id, drafter);
            prop_assert!(matches!(authority.role, Role::Manager | Role::Cxo));
        }
    }

    #[test]
    fn the_version_in_force_is_the_last_approved((live, events) in scenario().prop_map(run)) {
        let last_approved = events.iter().rev().find_map(|e| match e {
            CohortEvent::CohortStrategyApproved { version, record, .. } => {
                assert_eq!(record.verdict, Verdict::Approved);
                Some(*version)
            }
            _ => None,
        });
        prop_assert_eq!(live.in_force().map(|v| v.version), last_approved);
    }
}

/// Guards the properties above against passing vacuously: sequences reach superseded versions,
/// rejections and delegated approvals.
#[test]
fn generated_sequences_reach_revisions_rejections_and_delegations() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut superseded, mut rejected, mut delegated) = (0, 0, 0);
    for _ in 0..200 {
        let (live, _) = run(scenario().new_tree(&mut runner).unwrap().current());
        for v in &live.versions {
            superseded += usize::from(v.status == VersionStatus::Superseded);
            rejected += usize::from(v.status == VersionStatus::Rejected);
            delegated += usize::from(
                v.decision
                    .as_ref()
                    .is_some_and(|d| d.on_behalf_of.is_some()),
            );
        }
    }
    assert!(
        superseded > 10 && rejected > 10 && delegated > 5,
        "superseded {superseded}, rejected {rejected}, delegated {delegated}"
    );
}
