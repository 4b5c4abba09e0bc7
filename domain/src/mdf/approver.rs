//! The sign-off rule shared by exemptions and fund requests: the right role (and, for a Manager,
//! the partner's territory) held by the approver or by the principal they act for, a delegation
//! in force, and segregation of duties.

use chrono::{DateTime, Utc};

use super::error::MdfError;
use crate::actor::{Role, StaffId, Territory};
use crate::approval::{ApprovalStep, Approver};

/// Checks that `approver` may sign `step` for a partner of `territory` at `at`.
/// `submitter` is whoever asked for the decision; `earlier` are those who signed earlier steps.
pub(crate) fn check_approver(
    approver: &Approver,
    at: DateTime<Utc>,
    step: ApprovalStep,
    territory: &Territory,
    submitter: StaffId,
    earlier: &[StaffId],
) -> Result<(), MdfError> {
    if approver.involves(submitter) {
        return Err(MdfError::SelfApproval);
    }
    if earlier.iter().any(|s| approver.involves(*s)) {
        return Err(MdfError::SameApproverTwice);
    }
    approver
        .check_delegation(at)
        .map_err(|_| MdfError::InvalidDelegation)?;
    let authority = approver.authority();
    let needed = match step {
        ApprovalStep::Manager => Role::Manager,
        ApprovalStep::Cxo => Role::Cxo,
    };
    if authority.role != needed {
        return Err(MdfError::WrongApproverRole {
            step,
            needed,
            role: authority.role,
        });
    }
    if needed == Role::Manager && !authority.works_in(territory) {
        return Err(MdfError::ApproverOutsideTerritory {
            territory: territory.clone(),
        });
    }
    Ok(())
}
