//! Who may shape a cohort strategy: management, program-wide (a strategy is per classification,
//! not per territory), so Managers of any territory and CxOs.

use super::command::CohortCommand;
use crate::actor::Role;
use crate::approval::Delegation;
use crate::authored::{Decision, Permission};

macro_rules! management {
    ($name:ident, $action:literal) => {
        const $name: Permission = Permission {
            action: $action,
            anywhere: &[Role::Manager, Role::Cxo],
            in_territory: &[],
        };
    };
}

management!(DRAFT, "cohort.draft");
management!(REVISE, "cohort.revise");
management!(APPROVE, "cohort.approve");
management!(REJECT, "cohort.reject");
management!(REVIEW, "cohort.review");

/// The permission a command needs; its `authority` goes into the event's metadata. For approvals
/// and rejections it is checked against the approver's authority (the principal when delegated).
pub fn permission_for(command: &CohortCommand) -> Permission {
    match command {
        CohortCommand::Draft { .. } => DRAFT,
        CohortCommand::Revise { .. } => REVISE,
        CohortCommand::Approve { .. } => APPROVE,
        CohortCommand::Reject { .. } => REJECT,
        CohortCommand::RecordReview { .. } => REVIEW,
    }
}

impl Decision for CohortCommand {
    fn permission(&self) -> Permission {
        permission_for(self)
    }

    fn delegation(&self) -> Option<&Delegation> {
        match self {
            CohortCommand::Approve { on_behalf_of, .. }
            | CohortCommand::Reject { on_behalf_of, .. } => on_behalf_of.as_ref(),
            _ => None,
        }
    }
}
