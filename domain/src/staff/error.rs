//! Why the staff directory refused a command.

use crate::actor::Role;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such member of staff")]
    NotFound,
    #[error("this member of staff has already joined")]
    AlreadyJoined,
    #[error("this member of staff has left; people who left can neither act nor be changed")]
    HasLeft,
    #[error("a {role} works in a territory; give one")]
    TerritoryRequired { role: Role },
    #[error("a {role} is program-wide and has no territory")]
    TerritoryNotApplicable { role: Role },
    #[error("nothing would change: that is already their role and territory")]
    Unchanged,
    #[error("an Admin may not change their own role; ask another Admin")]
    OwnAdminRole,
    #[error("nobody records their own departure; ask another Admin")]
    OwnDeparture,
    #[error("only Managers and CxOs approve, so only they delegate approvals")]
    CannotDelegate,
    #[error("a delegation must end after it starts")]
    DelegationEndsBeforeStart,
    #[error("nobody delegates to themselves")]
    SelfDelegation,
    #[error("there is no delegation in force to that person")]
    NoSuchDelegation,
}

impl Rejection for StaffError {
    fn kind(&self) -> RejectionKind {
        match self {
            StaffError::Forbidden(_)
            | StaffError::OwnAdminRole
            | StaffError::OwnDeparture
            | StaffError::CannotDelegate => RejectionKind::Forbidden,
            StaffError::DelegationEndsBeforeStart => RejectionKind::Invalid { field: "until" },
            StaffError::SelfDelegation => RejectionKind::Invalid { field: "to" },
            StaffError::NoSuchDelegation => RejectionKind::NotFound,
            StaffError::NotFound => RejectionKind::NotFound,
            StaffError::AlreadyJoined | StaffError::HasLeft | StaffError::Unchanged => {
                RejectionKind::Conflict
            }
            StaffError::TerritoryRequired { .. } | StaffError::TerritoryNotApplicable { .. } => {
                RejectionKind::Invalid { field: "territory" }
            }
        }
    }

    fn code(&self) -> &'static str {
        match self {
            StaffError::Forbidden(_) => "forbidden",
            StaffError::NotFound => "staff-not-found",
            StaffError::AlreadyJoined => "staff-already-joined",
            StaffError::HasLeft => "staff-has-left",
            StaffError::TerritoryRequired { .. } => "territory-required",
            StaffError::TerritoryNotApplicable { .. } => "territory-not-applicable",
            StaffError::Unchanged => "staff-unchanged",
            StaffError::OwnAdminRole => "own-admin-role",
            StaffError::OwnDeparture => "own-departure",
            StaffError::CannotDelegate => "cannot-delegate",
            StaffError::DelegationEndsBeforeStart => "delegation-ends-before-start",
            StaffError::SelfDelegation => "self-delegation",
            StaffError::NoSuchDelegation => "no-such-delegation",
        }
    }
}
