//! What happened in the staff directory.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use crate::actor::{Role, StaffId, Territory};
use crate::text::{Name, Reason};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffEvent {
    StaffJoined {
        staff_id: StaffId,
        name: Name,
        role: Role,
        territory: Option<Territory>,
    },
    StaffRoleChanged {
        from: Role,
        to: Role,
        territory: Option<Territory>,
    },
    StaffTerritoryMoved {
        from: Option<Territory>,
        to: Territory,
    },
    StaffLeft {
        reason: Reason,
    },
    ApprovalsDelegated {
        to: StaffId,
        from: DateTime<Utc>,
        until: DateTime<Utc>,
    },
    ApprovalDelegationEnded {
        to: StaffId,
        at: DateTime<Utc>,
    },
}

impl DomainEvent for StaffEvent {
    fn event_type(&self) -> String {
        match self {
            StaffEvent::StaffJoined { .. } => "StaffJoined",
            StaffEvent::StaffRoleChanged { .. } => "StaffRoleChanged",
            StaffEvent::StaffTerritoryMoved { .. } => "StaffTerritoryMoved",
            StaffEvent::StaffLeft { .. } => "StaffLeft",
            StaffEvent::ApprovalsDelegated { .. } => "ApprovalsDelegated",
            StaffEvent::ApprovalDelegationEnded { .. } => "ApprovalDelegationEnded",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
