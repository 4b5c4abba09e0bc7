//! A fiscal quarter's MDF program budget and every allocation of it to partners, in one stream
//! so "approved allocations ≤ budget" and "a partner's allocations ≤ its tier cap" cannot race.

mod command;
mod decide;
mod event;
mod permission;
#[cfg(test)]
mod tests;

pub use command::ProgramBudgetCommand;
pub use event::{AllocatedPartner, ProgramBudgetEvent};
pub use permission::permission_for;

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use super::error::MdfError;
use super::facts::ExemptionFacts;
use super::ids::AllocationId;
use crate::approval::{ApprovalRecord, ApprovalStep, StaffRef};
use crate::authored::Authored;
use crate::fiscal::{add_business_days, FiscalQuarter};
use crate::mdf_policy::PROGRAM_CURRENCY;
use crate::money::Money;
use crate::partner::PartnerId;
use crate::text::Reason;

/// Business days an approval step may wait before it is late (design.md §2).
pub const APPROVAL_SLA_BUSINESS_DAYS: u32 = 5;

/// The default value is "no budget set for the quarter yet".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramBudget {
    pub budget: Option<QuarterBudget>,
    /// In the order requested.
    pub allocations: Vec<Allocation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterBudget {
    pub quarter: FiscalQuarter,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Allocation {
    pub allocation_id: AllocationId,
    pub partner: AllocatedPartner,
    pub amount: Money,
    pub status: AllocationStatus,
    /// Present when allocated as an exemption.
    pub exemption: Option<Exemption>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AllocationStatus {
    AwaitingManager,
    #[serde(rename = "AwaitingCxO")]
    AwaitingCxo,
    Approved,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exemption {
    pub justification: Reason,
    pub requested_by: StaffRef,
    pub requested_at: DateTime<Utc>,
    /// When the step now awaited became pending: the start of its wait.
    pub pending_since: DateTime<Utc>,
    pub approvals: Vec<ApprovalRecord>,
}

impl Allocation {
    /// The sign-off the allocation waits for, if any.
    pub fn awaiting(&self) -> Option<ApprovalStep> {
        match self.status {
            AllocationStatus::AwaitingManager => Some(ApprovalStep::Manager),
            AllocationStatus::AwaitingCxo => Some(ApprovalStep::Cxo),
            AllocationStatus::Approved | AllocationStatus::Rejected => None,
        }
    }

    /// When the pending step is due: 5 business days after it became pending.
    pub fn approval_due(&self) -> Option<DateTime<Utc>> {
        let exemption = self.exemption.as_ref()?;
        self.awaiting()
            .map(|_| add_business_days(exemption.pending_since, APPROVAL_SLA_BUSINESS_DAYS))
    }

    fn is_pending(&self) -> bool {
        self.awaiting().is_some()
    }
}

fn total<'a>(amounts: impl Iterator<Item = &'a Money>) -> Money {
    Money::new(
        amounts.fold(0i64, |sum, m| sum.saturating_add(m.minor)),
        PROGRAM_CURRENCY,
    )
}

impl ProgramBudget {
    pub fn quarter(&self) -> Option<FiscalQuarter> {
        self.budget.as_ref().map(|b| b.quarter)
    }

    /// Allocations signed off in full: the only ones available to partners.
    pub fn approved_total(&self) -> Money {
        total(
            self.allocations
                .iter()
                .filter(|a| a.status == AllocationStatus::Approved)
                .map(|a| &a.amount),
        )
    }

    /// Exemptions awaiting a sign-off: they hold budget but are not available yet.
    pub fn pending_total(&self) -> Money {
        total(
            self.allocations
                .iter()
                .filter(|a| a.is_pending())
                .map(|a| &a.amount),
        )
    }

    /// What is left to allocate: the budget less approved allocations and pending holds.
    pub fn unallocated(&self) -> Money {
        let budget = self.budget.as_ref().map_or(0, |b| b.amount.minor);
        Money::new(
            budget - self.approved_total().minor - self.pending_total().minor,
            PROGRAM_CURRENCY,
        )
    }

    /// A partner's approved allocations in the quarter, exemptions included.
    pub fn partner_approved_total(&self, partner_id: PartnerId) -> Money {
        total(
            self.allocations
                .iter()
                .filter(|a| {
                    a.partner.partner_id == partner_id && a.status == AllocationStatus::Approved
                })
                .map(|a| &a.amount),
        )
    }

    pub fn allocation(&self, id: AllocationId) -> Option<&Allocation> {
        self.allocations.iter().find(|a| a.allocation_id == id)
    }

    /// Exemptions waiting for a sign-off, for the approval queue.
    pub fn pending_exemptions(&self) -> impl Iterator<Item = &Allocation> {
        self.allocations.iter().filter(|a| a.is_pending())
    }

    /// What a fund request linked to this exemption needs to know.
    pub fn exemption_facts(&self, id: AllocationId) -> Option<ExemptionFacts> {
        let a = self.allocation(id).filter(|a| a.exemption.is_some())?;
        Some(ExemptionFacts {
            allocation_id: id,
            partner_id: a.partner.partner_id,
            quarter: self.quarter()?,
            approved: a.status == AllocationStatus::Approved,
            amount: a.amount,
        })
    }
}

impl Aggregate for ProgramBudget {
    const TYPE: &'static str = "MdfProgramBudget";
    type Command = Authored<ProgramBudgetCommand>;
    type Event = ProgramBudgetEvent;
    type Error = MdfError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = self.decide(command)?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        use ProgramBudgetEvent as E;
        match event {
            E::BudgetSet { quarter, amount } => {
                self.budget = Some(QuarterBudget { quarter, amount });
            }
            E::BudgetRaised { to, .. } => {
                if let Some(b) = &mut self.budget {
                    b.amount = to;
                }
            }
            E::AllocationGranted {
                allocation_id,
                partner,
                amount,
            } => self.allocations.push(Allocation {
                allocation_id,
                partner,
                amount,
                status: AllocationStatus::Approved,
                exemption: None,
            }),
            E::ExemptionRequested {
                allocation_id,
                partner,
                amount,
                justification,
                requested_by,
                requested_at,
            } => self.allocations.push(Allocation {
                allocation_id,
                partner,
                amount,
                status: AllocationStatus::AwaitingManager,
                exemption: Some(Exemption {
                    justification,
                    requested_by,
                    requested_at,
                    pending_since: requested_at,
                    approvals: Vec::new(),
                }),
            }),
            E::ExemptionApprovedByManager {
                allocation_id,
                record,
            } => self.sign(allocation_id, AllocationStatus::AwaitingCxo, record),
            E::ExemptionApprovedByCxo {
                allocation_id,
                record,
                ..
            } => self.sign(allocation_id, AllocationStatus::Approved, record),
            E::ExemptionRejected {
                allocation_id,
                record,
            } => self.sign(allocation_id, AllocationStatus::Rejected, record),
        }
    }
}

impl ProgramBudget {
    fn sign(&mut self, id: AllocationId, status: AllocationStatus, record: ApprovalRecord) {
        let Some(a) = self.allocations.iter_mut().find(|a| a.allocation_id == id) else {
            return;
        };
        a.status = status;
        if let Some(e) = &mut a.exemption {
            e.pending_since = record.decided_at;
            e.approvals.push(record);
        }
    }
}
