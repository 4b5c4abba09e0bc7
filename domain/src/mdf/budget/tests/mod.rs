//! Given/when/then tests of the program budget; fixtures here.

mod allocations;
mod exemptions;

use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::*;
use crate::actor::Actor;
use crate::approval::Verdict;
use crate::authored::Authored;
use crate::fiscal::FiscalQuarter;
use crate::mdf::ids::AllocationId;
use crate::mdf::test_support::*;
use crate::money::Money;
use crate::partner::{PartnerFacts, Tier};

type BudgetTest = TestFramework<ProgramBudget>;

fn q2() -> FiscalQuarter {
    "FY26 Q2".parse().unwrap()
}

fn budget_set(dollars: i64) -> ProgramBudgetEvent {
    ProgramBudgetEvent::BudgetSet {
        quarter: q2(),
        amount: usd(dollars),
    }
}

fn allocated(p: &PartnerFacts) -> AllocatedPartner {
    AllocatedPartner {
        partner_id: p.partner_id,
        name: p.name.clone(),
        territory: p.territory.clone(),
        tier: p.tier,
    }
}

fn gold() -> PartnerFacts {
    partner("Ironclad MSP", Tier::Gold)
}

fn novatech() -> PartnerFacts {
    partner("NovaTech Inc.", Tier::Gold)
}

fn when(actor: Actor, command: ProgramBudgetCommand) -> Authored<ProgramBudgetCommand> {
    Authored::new(actor, at(), command)
}

fn allocate(id: AllocationId, p: PartnerFacts, dollars: i64) -> ProgramBudgetCommand {
    ProgramBudgetCommand::Allocate {
        allocation_id: id,
        partner: p,
        amount: usd(dollars),
    }
}

fn granted(id: AllocationId, p: &PartnerFacts, dollars: i64) -> ProgramBudgetEvent {
    ProgramBudgetEvent::AllocationGranted {
        allocation_id: id,
        partner: allocated(p),
        amount: usd(dollars),
    }
}

fn exemption_requested(id: AllocationId, by: &Actor) -> ProgramBudgetEvent {
    ProgramBudgetEvent::ExemptionRequested {
        allocation_id: id,
        partner: allocated(&novatech()),
        amount: usd(12_000),
        justification: reason("regional healthcare launch beyond Gold's cap"),
        requested_by: StaffRef::from(by),
        requested_at: t("2026-02-10T09:00:00Z"),
    }
}

fn approve(id: AllocationId) -> ProgramBudgetCommand {
    ProgramBudgetCommand::ApproveExemption {
        allocation_id: id,
        on_behalf_of: None,
        comment: None,
    }
}

fn manager_signed(id: AllocationId, manager: &Actor) -> ProgramBudgetEvent {
    ProgramBudgetEvent::ExemptionApprovedByManager {
        allocation_id: id,
        record: ApprovalRecord::new(
            ApprovalStep::Manager,
            Verdict::Approved,
            &crate::approval::Approver::new(manager.clone(), None),
            None,
            t("2026-02-10T09:00:00Z"),
            t("2026-02-11T09:00:00Z"),
        ),
    }
}

fn fold(events: Vec<ProgramBudgetEvent>) -> ProgramBudget {
    let mut budget = ProgramBudget::default();
    for e in events {
        budget.apply(e);
    }
    budget
}
