//! What staff ask of a quarter's program budget.

use serde::{Deserialize, Serialize};

use crate::approval::Delegation;
use crate::fiscal::FiscalQuarter;
use crate::mdf::ids::AllocationId;
use crate::money::Money;
use crate::partner::PartnerFacts;
use crate::text::Reason;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ProgramBudgetCommand {
    /// Opens the quarter with its MDF budget, in the program currency.
    SetBudget {
        quarter: FiscalQuarter,
        amount: Money,
    },
    RaiseBudget {
        by: Money,
        reason: Reason,
    },
    /// Allocates MDF to a partner within its tier's quarterly cap.
    Allocate {
        allocation_id: AllocationId,
        partner: PartnerFacts,
        amount: Money,
    },
    /// Asks for MDF above the cap, for a Registered partner, or outside the RAP framework.
    RequestExemption {
        allocation_id: AllocationId,
        partner: PartnerFacts,
        amount: Money,
        justification: Reason,
    },
    /// Signs the step the exemption is waiting for (Manager, then CxO).
    ApproveExemption {
        allocation_id: AllocationId,
        on_behalf_of: Option<Delegation>,
        comment: Option<Reason>,
    },
    RejectExemption {
        allocation_id: AllocationId,
        on_behalf_of: Option<Delegation>,
        reason: Reason,
    },
}
