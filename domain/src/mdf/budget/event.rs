//! What happened to a quarter's program budget.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::actor::Territory;
use crate::approval::{ApprovalRecord, StaffRef};
use crate::fiscal::FiscalQuarter;
use crate::mdf::ids::AllocationId;
use crate::money::Money;
use crate::partner::{PartnerId, Tier};
use crate::text::{Name, Reason};

/// The partner as it stood when the allocation was decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocatedPartner {
    pub partner_id: PartnerId,
    pub name: Name,
    pub territory: Territory,
    pub tier: Tier,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ProgramBudgetEvent {
    BudgetSet {
        quarter: FiscalQuarter,
        amount: Money,
    },
    BudgetRaised {
        by: Money,
        to: Money,
        reason: Reason,
    },
    AllocationGranted {
        allocation_id: AllocationId,
        partner: AllocatedPartner,
        amount: Money,
    },
    ExemptionRequested {
        allocation_id: AllocationId,
        partner: AllocatedPartner,
        amount: Money,
        justification: Reason,
        requested_by: StaffRef,
        requested_at: DateTime<Utc>,
    },
    ExemptionApprovedByManager {
        allocation_id: AllocationId,
        record: ApprovalRecord,
    },
    /// The final sign-off: the allocation becomes available to the partner.
    ExemptionApprovedByCxo {
        allocation_id: AllocationId,
        partner_id: PartnerId,
        amount: Money,
        record: ApprovalRecord,
    },
    ExemptionRejected {
        allocation_id: AllocationId,
        record: ApprovalRecord,
    },
}

impl DomainEvent for ProgramBudgetEvent {
    fn event_type(&self) -> String {
        match self {
            ProgramBudgetEvent::BudgetSet { .. } => "MdfBudgetSet",
            ProgramBudgetEvent::BudgetRaised { .. } => "MdfBudgetRaised",
            ProgramBudgetEvent::AllocationGranted { .. } => "MdfAllocationGranted",
            ProgramBudgetEvent::ExemptionRequested { .. } => "MdfExemptionRequested",
            ProgramBudgetEvent::ExemptionApprovedByManager { .. } => {
                "MdfExemptionApprovedByManager"
            }
            ProgramBudgetEvent::ExemptionApprovedByCxo { .. } => "MdfExemptionApprovedByCxo",
            ProgramBudgetEvent::ExemptionRejected { .. } => "MdfExemptionRejected",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
