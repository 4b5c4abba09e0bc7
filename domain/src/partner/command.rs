//! What staff ask of a partner.

use serde::{Deserialize, Serialize};

use super::values::{Classification, CompanySize, PartnerId, PartnerType, Tier};
use crate::actor::{Role, StaffId, Territory};
use crate::text::{Name, Reason};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum PartnerCommand {
    Register {
        partner_id: PartnerId,
        name: Name,
        partner_type: PartnerType,
        territory: Territory,
        headquarters: Name,
        size: CompanySize,
        specialization: Option<Name>,
    },
    ChangeTier {
        tier: Tier,
        evidence: Reason,
    },
    Reclassify {
        to: Classification,
        rationale: Reason,
    },
    AssignPam {
        pam: PamCandidate,
    },
    Offboard {
        reason: Reason,
    },
}

/// The proposed PAM as the staff directory knew them when the assignment takes effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PamCandidate {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
    pub territory: Option<Territory>,
    pub active: bool,
}
