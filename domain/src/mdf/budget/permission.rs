//! Who may act on a quarter's program budget. Exemption sign-offs are further checked step by
//! step (Manager of the territory, then CxO) against the approver's authority, delegation-aware.

use super::command::ProgramBudgetCommand;
use crate::actor::Role;
use crate::approval::Delegation;
use crate::authored::{Decision, Permission};

/// The CxO sets the program's budget; Finance, who reconciles it, may too.
const SET_BUDGET: Permission = Permission {
    action: "mdf.budget.set",
    anywhere: &[Role::Cxo, Role::Finance],
    in_territory: &[],
};
const RAISE_BUDGET: Permission = Permission {
    action: "mdf.budget.raise",
    anywhere: &[Role::Cxo, Role::Finance],
    in_territory: &[],
};
const ALLOCATE: Permission = Permission {
    action: "mdf.allocate",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Manager],
};
const REQUEST_EXEMPTION: Permission = Permission {
    action: "mdf.exemption.request",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Pam, Role::Manager],
};
const APPROVE_EXEMPTION: Permission = Permission {
    action: "mdf.exemption.approve",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Manager],
};
const REJECT_EXEMPTION: Permission = Permission {
    action: "mdf.exemption.reject",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Manager],
};

/// The permission a command needs; its `authority` goes into the event's metadata.
pub fn permission_for(command: &ProgramBudgetCommand) -> Permission {
    match command {
        ProgramBudgetCommand::SetBudget { .. } => SET_BUDGET,
        ProgramBudgetCommand::RaiseBudget { .. } => RAISE_BUDGET,
        ProgramBudgetCommand::Allocate { .. } => ALLOCATE,
        ProgramBudgetCommand::RequestExemption { .. } => REQUEST_EXEMPTION,
        ProgramBudgetCommand::ApproveExemption { .. } => APPROVE_EXEMPTION,
        ProgramBudgetCommand::RejectExemption { .. } => REJECT_EXEMPTION,
    }
}

impl Decision for ProgramBudgetCommand {
    fn permission(&self) -> Permission {
        permission_for(self)
    }

    fn delegation(&self) -> Option<&Delegation> {
        match self {
            ProgramBudgetCommand::ApproveExemption { on_behalf_of, .. }
            | ProgramBudgetCommand::RejectExemption { on_behalf_of, .. } => on_behalf_of.as_ref(),
            _ => None,
        }
    }
}
