//! The budget's decisions: every rule of setting, allocating and signing exemptions.

use super::event::AllocatedPartner;
use super::{permission_for, Allocation, ProgramBudget, ProgramBudgetCommand};
use super::{ProgramBudgetEvent as E, QuarterBudget};
use crate::approval::{ApprovalRecord, ApprovalStep, Approver, StaffRef, Verdict};
use crate::authored::Authored;
use crate::mdf::approver::check_approver;
use crate::mdf::error::MdfError;
use crate::mdf::ids::AllocationId;
use crate::mdf_policy::{tier_policy, PROGRAM_CURRENCY};
use crate::money::{Money, MoneyError};
use crate::partner::PartnerFacts;

/// Budgets and allocations are set in the program currency and must be positive.
fn program_amount(amount: Money) -> Result<Money, MdfError> {
    if amount.currency != PROGRAM_CURRENCY {
        return Err(MoneyError::CurrencyMismatch(amount.currency, PROGRAM_CURRENCY).into());
    }
    if amount.minor <= 0 {
        return Err(MdfError::NotPositive { field: "amount" });
    }
    Ok(amount)
}

fn allocated_partner(p: &PartnerFacts) -> Result<AllocatedPartner, MdfError> {
    if p.offboarded {
        return Err(MdfError::PartnerOffboarded);
    }
    Ok(AllocatedPartner {
        partner_id: p.partner_id,
        name: p.name.clone(),
        territory: p.territory.clone(),
        tier: p.tier,
    })
}

impl ProgramBudget {
    fn opened(&self) -> Result<&QuarterBudget, MdfError> {
        self.budget.as_ref().ok_or(MdfError::BudgetNotSet)
    }

    fn new_allocation(&self, id: AllocationId) -> Result<(), MdfError> {
        self.opened()?;
        match self.allocation(id) {
            Some(_) => Err(MdfError::AllocationExists),
            None => Ok(()),
        }
    }

    /// Budget left after approved allocations and pending holds must cover `amount`.
    fn within_budget(&self, amount: Money) -> Result<(), MdfError> {
        let available = self.unallocated();
        if amount.minor > available.minor {
            return Err(MdfError::OverBudget { available });
        }
        Ok(())
    }

    pub(super) fn decide(
        &self,
        Authored { actor, at, command }: Authored<ProgramBudgetCommand>,
    ) -> Result<E, MdfError> {
        let permission = permission_for(&command);
        match command {
            ProgramBudgetCommand::SetBudget { quarter, amount } => {
                permission.check_anywhere(&actor)?;
                if self.budget.is_some() {
                    return Err(MdfError::BudgetAlreadySet);
                }
                let amount = program_amount(amount)?;
                Ok(E::BudgetSet { quarter, amount })
            }
            ProgramBudgetCommand::RaiseBudget { by, reason } => {
                permission.check_anywhere(&actor)?;
                let current = self.opened()?.amount;
                let by = program_amount(by)?;
                let to = current.checked_add(by)?;
                Ok(E::BudgetRaised { by, to, reason })
            }
            ProgramBudgetCommand::Allocate {
                allocation_id,
                partner,
                amount,
            } => {
                self.new_allocation(allocation_id)?;
                permission.check(&actor, &partner.territory)?;
                let allocated = allocated_partner(&partner)?;
                let amount = program_amount(amount)?;
                let cap = tier_policy(partner.tier).quarterly_cap;
                let already = self.partner_approved_total(partner.partner_id);
                if already.checked_add(amount)?.minor > cap.minor {
                    return Err(MdfError::OverTierCap {
                        cap,
                        allocated: already,
                    });
                }
                self.within_budget(amount)?;
                Ok(E::AllocationGranted {
                    allocation_id,
                    partner: allocated,
                    amount,
                })
            }
            ProgramBudgetCommand::RequestExemption {
                allocation_id,
                partner,
                amount,
                justification,
            } => {
                self.new_allocation(allocation_id)?;
                permission.check(&actor, &partner.territory)?;
                let allocated = allocated_partner(&partner)?;
                let amount = program_amount(amount)?;
                self.within_budget(amount)?;
                Ok(E::ExemptionRequested {
                    allocation_id,
                    partner: allocated,
                    amount,
                    justification,
                    requested_by: StaffRef::from(&actor),
                    requested_at: at,
                })
            }
            ProgramBudgetCommand::ApproveExemption {
                allocation_id,
                on_behalf_of,
                comment,
            } => {
                let approver = Approver::new(actor, on_behalf_of);
                let (allocation, step, record) =
                    self.sign_off(allocation_id, &approver, at, Verdict::Approved, comment)?;
                Ok(match step {
                    ApprovalStep::Manager => E::ExemptionApprovedByManager {
                        allocation_id,
                        record,
                    },
                    ApprovalStep::Cxo => E::ExemptionApprovedByCxo {
                        allocation_id,
                        partner_id: allocation.partner.partner_id,
                        amount: allocation.amount,
                        record,
                    },
                })
            }
            ProgramBudgetCommand::RejectExemption {
                allocation_id,
                on_behalf_of,
                reason,
            } => {
                let approver = Approver::new(actor, on_behalf_of);
                let (_, _, record) = self.sign_off(
                    allocation_id,
                    &approver,
                    at,
                    Verdict::Rejected,
                    Some(reason),
                )?;
                Ok(E::ExemptionRejected {
                    allocation_id,
                    record,
                })
            }
        }
    }

    /// Checks `approver` against the step the exemption awaits and records the decision.
    fn sign_off(
        &self,
        id: AllocationId,
        approver: &Approver,
        at: chrono::DateTime<chrono::Utc>,
        verdict: Verdict,
        comment: Option<crate::text::Reason>,
    ) -> Result<(&Allocation, ApprovalStep, ApprovalRecord), MdfError> {
        self.opened()?;
        let allocation = self.allocation(id).ok_or(MdfError::AllocationNotFound)?;
        let (Some(step), Some(exemption)) = (allocation.awaiting(), &allocation.exemption) else {
            return Err(MdfError::ExemptionNotPending {
                status: allocation.status,
            });
        };
        let earlier: Vec<_> = exemption
            .approvals
            .iter()
            .flat_map(|r| std::iter::once(&r.approver).chain(&r.on_behalf_of))
            .map(|s| s.staff_id)
            .collect();
        check_approver(
            approver,
            at,
            step,
            &allocation.partner.territory,
            exemption.requested_by.staff_id,
            &earlier,
        )?;
        let record = ApprovalRecord::new(
            step,
            verdict,
            approver,
            comment,
            exemption.pending_since,
            at,
        );
        Ok((allocation, step, record))
    }
}
