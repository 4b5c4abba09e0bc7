//! What an Admin asks of the staff directory.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::{Role, StaffId, Territory};
use crate::authored::{Decision, Permission};
use crate::text::{Name, Reason};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StaffCommand {
    Join {
        staff_id: StaffId,
        name: Name,
        role: Role,
        territory: Option<Territory>,
    },
    ChangeRole {
        role: Role,
        territory: Option<Territory>,
    },
    MoveTerritory {
        territory: Territory,
    },
    Leave {
        reason: Reason,
    },
    /// A Manager or CxO lets `to` approve in their name until `until` (holidays, leave).
    DelegateApprovals {
        to: StaffId,
        until: DateTime<Utc>,
    },
    /// Ends a delegation to `to` early.
    EndDelegation {
        to: StaffId,
    },
}

impl Decision for StaffCommand {
    fn permission(&self) -> Permission {
        match self {
            StaffCommand::DelegateApprovals { .. } | StaffCommand::EndDelegation { .. } => {
                super::DELEGATE_APPROVALS
            }
            _ => super::MAINTAIN_DIRECTORY,
        }
    }
}
