//! Program budget properties.

use super::*;
use channel_ledger_domain::approval::Verdict;

type Step = (Actor, ProgramBudgetCommand);

fn allocation(i: u8) -> AllocationId {
    AllocationId(Uuid::from_u128(200 + u128::from(i)))
}

fn command() -> impl Strategy<Value = ProgramBudgetCommand> {
    prop_oneof![
        (1..30_000i64).prop_map(|d| ProgramBudgetCommand::SetBudget {
            quarter: "FY26 Q2".parse().unwrap(),
            amount: usd(d),
        }),
        (1..10_000i64).prop_map(|d| ProgramBudgetCommand::RaiseBudget {
            by: usd(d),
            reason: reason(),
        }),
        (0..6u8, 0..3usize, 1..8_000i64).prop_map(|(a, p, d)| ProgramBudgetCommand::Allocate {
            allocation_id: allocation(a),
            partner: partner(p),
            amount: usd(d),
        }),
        (0..6u8, 0..3usize, 1..15_000i64).prop_map(|(a, p, d)| {
            ProgramBudgetCommand::RequestExemption {
                allocation_id: allocation(a),
                partner: partner(p),
                amount: usd(d),
                justification: reason(),
            }
        }),
        (0..6u8).prop_map(|a| ProgramBudgetCommand::ApproveExemption {
            allocation_id: allocation(a),
            on_behalf_of: None,
            comment: None,
        }),
        (0..6u8).prop_map(|a| ProgramBudgetCommand::RejectExemption {
            allocation_id: allocation(a),
            on_behalf_of: None,
            reason: reason(),
        }),
    ]
}

fn plausible(command: &ProgramBudgetCommand) -> &'static [usize] {
    match command {
        ProgramBudgetCommand::RequestExemption { .. } => &[0],
        ProgramBudgetCommand::Allocate { .. } => &[1, 2],
        ProgramBudgetCommand::ApproveExemption { .. }
        | ProgramBudgetCommand::RejectExemption { .. } => &[1, 2, 4, 5],
        _ => &[4, 6],
    }
}

fn scenario() -> impl Strategy<Value = Vec<(Actor, Authored<ProgramBudgetCommand>)>> {
    (
        Just(cast()[4].clone()),
        prop::collection::vec(
            command().prop_flat_map(|c| (actor_among(plausible(&c)), Just(c))),
            1..50,
        ),
    )
        .prop_map(|(cxo, steps): (Actor, Vec<Step>)| {
            let open = ProgramBudgetCommand::SetBudget {
                quarter: "FY26 Q2".parse().unwrap(),
                amount: usd(20_000),
            };
            timed([vec![(cxo, open)], steps].concat())
        })
}

proptest! {
    #[test]
    fn replaying_a_budget_twice_gives_the_live_state(steps in scenario()) {
        let (live, events) = run::<ProgramBudget>(steps);
        prop_assert_eq!(&replay::<ProgramBudget>(&events), &live);
        prop_assert_eq!(replay::<ProgramBudget>(&events), replay::<ProgramBudget>(&events));
    }

    #[test]
    fn approved_allocations_never_exceed_the_budget_and_the_ledger_agrees(steps in scenario()) {
        let (live, events) = run::<ProgramBudget>(steps);
        let budget = live.budget.clone().unwrap();
        prop_assert!(live.approved_total().minor + live.pending_total().minor <= budget.amount.minor);
        let entries = budget_ledger(budget.quarter, &events);
        let b = balances(&entries);
        prop_assert_eq!(b.values().map(|m| m.minor).sum::<i64>(), 0);
        prop_assert_eq!(b[&Account::ProgramFunding { quarter: budget.quarter }].minor, -budget.amount.minor);
        let unallocated = b[&Account::Unallocated { quarter: budget.quarter }];
        prop_assert_eq!(unallocated.minor, budget.amount.minor - live.approved_total().minor);
        prop_assert!(unallocated.minor >= 0);
    }

    #[test]
    fn allocations_without_an_exemption_stay_within_the_tier_cap(steps in scenario()) {
        let (live, _) = run::<ProgramBudget>(steps);
        for i in 0..3 {
            let p = partner(i);
            let granted: i64 = live.allocations.iter()
                .filter(|a| a.partner.partner_id == p.partner_id && a.exemption.is_none())
                .map(|a| a.amount.minor)
                .sum();
            prop_assert!(granted <= tier_policy(p.tier).quarterly_cap.minor);
        }
    }

    #[test]
    fn every_approved_exemption_has_a_territory_manager_then_a_different_cxo(steps in scenario()) {
        let (live, _) = run::<ProgramBudget>(steps);
        for a in live.allocations.iter().filter(|a| a.status == AllocationStatus::Approved) {
            let Some(e) = &a.exemption else { continue };
            let [m, c] = &e.approvals[..] else { panic!("{:?}", e.approvals) };
            prop_assert_eq!((m.step, m.verdict, c.step, c.verdict),
                (ApprovalStep::Manager, Verdict::Approved, ApprovalStep::Cxo, Verdict::Approved));
            prop_assert_eq!(m.approver.role, Role::Manager);
            prop_assert_eq!(m.approver.territory.as_ref(), Some(&a.partner.territory));
            prop_assert_eq!(c.approver.role, Role::Cxo);
            let requester = e.requested_by.staff_id;
            prop_assert!(m.approver.staff_id != requester && c.approver.staff_id != requester);
            prop_assert!(m.approver.staff_id != c.approver.staff_id);
        }
    }
}
