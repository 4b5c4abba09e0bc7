//! Who may do what to a RAP (design.md §2, §3.4). Approvals are checked against the authority of
//! the approver — the principal when a delegate signs — and their permission depends on the step.

use super::command::RapCommand;
use crate::actor::Role;
use crate::approval::{ApprovalStep, Delegation, Verdict};
use crate::authored::{Decision, Permission};

/// PAMs draft RAPs for their partners; their Manager may shape a draft too.
const DRAFT: Permission = Permission {
    action: "rap.draft",
    anywhere: &[],
    in_territory: &[Role::Pam, Role::Manager],
};
const REVISE: Permission = Permission {
    action: "rap.revise",
    anywhere: &[],
    in_territory: &[Role::Pam, Role::Manager],
};
/// design.md §2: submitted by the PAM, so that a Manager is always left to approve it.
const SUBMIT: Permission = Permission {
    action: "rap.submit",
    anywhere: &[],
    in_territory: &[Role::Pam],
};
const PROPOSE_AMENDMENT: Permission = Permission {
    action: "rap.propose-amendment",
    anywhere: &[],
    in_territory: &[Role::Pam],
};
const APPROVE_AS_MANAGER: Permission = Permission {
    action: "rap.approve-as-manager",
    anywhere: &[],
    in_territory: &[Role::Manager],
};
const REJECT_AS_MANAGER: Permission = Permission {
    action: "rap.reject-as-manager",
    anywhere: &[],
    in_territory: &[Role::Manager],
};
const APPROVE_AS_CXO: Permission = Permission {
    action: "rap.approve-as-cxo",
    anywhere: &[Role::Cxo],
    in_territory: &[],
};
const REJECT_AS_CXO: Permission = Permission {
    action: "rap.reject-as-cxo",
    anywhere: &[Role::Cxo],
    in_territory: &[],
};
const TRACK_NAMED_ACCOUNT: Permission = Permission {
    action: "rap.track-named-account",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Pam, Role::Manager],
};
const CLOSE: Permission = Permission {
    action: "rap.close",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Manager],
};

/// The permission a decision on `step` needs.
pub fn decision_permission(step: ApprovalStep, verdict: Verdict) -> Permission {
    match (step, verdict) {
        (ApprovalStep::Manager, Verdict::Approved) => APPROVE_AS_MANAGER,
        (ApprovalStep::Manager, Verdict::Rejected) => REJECT_AS_MANAGER,
        (ApprovalStep::Cxo, Verdict::Approved) => APPROVE_AS_CXO,
        (ApprovalStep::Cxo, Verdict::Rejected) => REJECT_AS_CXO,
    }
}

/// The permission a command needs; its `authority` goes into the event's metadata.
pub fn permission_for(command: &RapCommand) -> Permission {
    match command {
        RapCommand::Draft { .. } => DRAFT,
        RapCommand::Revise { .. } => REVISE,
        RapCommand::Submit { .. } => SUBMIT,
        RapCommand::Approve { step, .. } => decision_permission(*step, Verdict::Approved),
        RapCommand::Reject { step, .. } => decision_permission(*step, Verdict::Rejected),
        RapCommand::ProposeAmendment { .. } => PROPOSE_AMENDMENT,
        RapCommand::AdvanceNamedAccount { .. }
        | RapCommand::WinNamedAccount { .. }
        | RapCommand::LoseNamedAccount { .. } => TRACK_NAMED_ACCOUNT,
        RapCommand::Close { .. } => CLOSE,
    }
}

impl Decision for RapCommand {
    fn permission(&self) -> Permission {
        permission_for(self)
    }

    fn delegation(&self) -> Option<&Delegation> {
        match self {
            RapCommand::Approve { on_behalf_of, .. } | RapCommand::Reject { on_behalf_of, .. } => {
                on_behalf_of.as_ref()
            }
            _ => None,
        }
    }
}
