//! Who may act on a fund request. Activity approvals are further checked against the
//! approver's authority (delegation-aware): a Manager of the partner's territory, not the submitter.

use super::command::FundRequestCommand;
use crate::actor::Role;
use crate::approval::Delegation;
use crate::authored::{Decision, Permission};

const PREPARE: &[Role] = &[Role::Pam, Role::Manager];

const DRAFT: Permission = Permission {
    action: "mdf.request.draft",
    anywhere: &[Role::Cxo],
    in_territory: PREPARE,
};
const EDIT: Permission = Permission {
    action: "mdf.request.edit",
    anywhere: &[Role::Cxo],
    in_territory: PREPARE,
};
const SUBMIT: Permission = Permission {
    action: "mdf.request.submit",
    anywhere: &[Role::Cxo],
    in_territory: PREPARE,
};
const WITHDRAW: Permission = Permission {
    action: "mdf.request.withdraw",
    anywhere: &[Role::Cxo],
    in_territory: PREPARE,
};
/// design.md §2: a Manager approves MDF; returning, rejecting and declining are the same call.
const DECIDE: Permission = Permission {
    action: "mdf.request.decide",
    anywhere: &[],
    in_territory: &[Role::Manager],
};
const CLAIM: Permission = Permission {
    action: "mdf.claim.submit",
    anywhere: &[Role::Cxo],
    in_territory: PREPARE,
};
/// Proof is reviewed by the territory's Manager or by Finance, who pays on it.
const REVIEW_PROOF: Permission = Permission {
    action: "mdf.proof.review",
    anywhere: &[Role::Finance],
    in_territory: &[Role::Manager],
};
const RECORD_PAYMENT: Permission = Permission {
    action: "mdf.payment.record",
    anywhere: &[Role::Finance],
    in_territory: &[],
};

/// The permission a command needs; its `authority` goes into the event's metadata.
pub fn permission_for(command: &FundRequestCommand) -> Permission {
    use FundRequestCommand as C;
    match command {
        C::Draft { .. } => DRAFT,
        C::AddActivity(_) | C::RemoveActivity { .. } => EDIT,
        C::Submit { .. } => SUBMIT,
        C::Withdraw { .. } => WITHDRAW,
        C::Return { .. }
        | C::ApproveActivity { .. }
        | C::RejectActivity { .. }
        | C::Reject { .. }
        | C::Decline { .. } => DECIDE,
        C::SubmitClaim { .. } | C::SubmitProof { .. } => CLAIM,
        C::AcceptProof { .. } | C::RejectProof { .. } => REVIEW_PROOF,
        C::RecordPayment { .. } => RECORD_PAYMENT,
    }
}

impl Decision for FundRequestCommand {
    fn permission(&self) -> Permission {
        permission_for(self)
    }

    fn delegation(&self) -> Option<&Delegation> {
        match self {
            FundRequestCommand::ApproveActivity { on_behalf_of, .. }
            | FundRequestCommand::RejectActivity { on_behalf_of, .. } => on_behalf_of.as_ref(),
            _ => None,
        }
    }
}
