//! Who may run a partner's QARs: its PAM, a PAM or Manager of its territory, or a CxO.

use super::command::QarCommand;
use crate::actor::{Actor, Role};
use crate::authored::{Decision, Permission};
use crate::partner::PartnerFacts;
use crate::rejection::Forbidden;

macro_rules! qar_permission {
    ($name:ident, $action:literal) => {
        const $name: Permission = Permission {
            action: $action,
            anywhere: &[Role::Cxo],
            in_territory: &[Role::Pam, Role::Manager],
        };
    };
}

qar_permission!(SCHEDULE, "qar.schedule");
qar_permission!(OPEN, "qar.open");
qar_permission!(REVIEW, "qar.review-commitment");
qar_permission!(RECORD_DISCUSSION, "qar.record-discussion");
qar_permission!(LOCK_PLAN, "qar.lock-plan");
qar_permission!(COMPLETE, "qar.complete");

/// The permission a command needs; its `authority` goes into the event's metadata.
pub fn permission_for(command: &QarCommand) -> Permission {
    match command {
        QarCommand::Schedule { .. } => SCHEDULE,
        QarCommand::Open { .. } => OPEN,
        QarCommand::ReviewCommitment { .. } => REVIEW,
        QarCommand::RecordDiscussion { .. } => RECORD_DISCUSSION,
        QarCommand::LockPlan { .. } => LOCK_PLAN,
        QarCommand::Complete { .. } => COMPLETE,
    }
}

/// The partner's own PAM may act even if the directory has since moved them; everyone else
/// needs the permission in the partner's territory.
pub(super) fn check(
    permission: &Permission,
    actor: &Actor,
    partner: &PartnerFacts,
) -> Result<(), Forbidden> {
    if actor.role == Role::Pam && partner.pam == Some(actor.staff_id) {
        return Ok(());
    }
    permission.check(actor, &partner.territory)
}

impl Decision for QarCommand {
    fn permission(&self) -> Permission {
        permission_for(self)
    }
}
