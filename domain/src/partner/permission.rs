//! Who may do what to a partner.

use super::command::PartnerCommand;
use crate::actor::Role;
use crate::authored::{Decision, Permission};

const REGISTER: Permission = Permission {
    action: "partner.register",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Pam, Role::Manager],
};
const CHANGE_TIER: Permission = Permission {
    action: "partner.change-tier",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Pam, Role::Manager],
};
/// design.md §2: changing a classification is Manager-or-above.
const RECLASSIFY: Permission = Permission {
    action: "partner.reclassify",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Manager],
};
const ASSIGN_PAM: Permission = Permission {
    action: "partner.assign-pam",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Manager],
};
const OFFBOARD: Permission = Permission {
    action: "partner.offboard",
    anywhere: &[Role::Cxo],
    in_territory: &[Role::Manager],
};

/// The permission a command needs; its `authority` goes into the event's metadata.
pub fn permission_for(command: &PartnerCommand) -> Permission {
    match command {
        PartnerCommand::Register { .. } => REGISTER,
        PartnerCommand::ChangeTier { .. } => CHANGE_TIER,
        PartnerCommand::Reclassify { .. } => RECLASSIFY,
        PartnerCommand::AssignPam { .. } => ASSIGN_PAM,
        PartnerCommand::Offboard { .. } => OFFBOARD,
    }
}

impl Decision for PartnerCommand {
    fn permission(&self) -> Permission {
        permission_for(self)
    }
}
