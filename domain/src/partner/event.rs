//! What happened to a partner.

use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::values::{Classification, CompanySize, PartnerId, PartnerType, Tier};
use crate::actor::{StaffId, Territory};
use crate::text::{Name, Reason};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnerEvent {
    PartnerRegistered {
        partner_id: PartnerId,
        name: Name,
        partner_type: PartnerType,
        territory: Territory,
        headquarters: Name,
        size: CompanySize,
        specialization: Option<Name>,
        /// The tier it enters the program at. New in version 2: readers no longer infer it,
        /// and version 1 events, which lack it, are upcast (see [`crate::upcast`]).
        tier: Tier,
    },
    PartnerTierChanged {
        from: Tier,
        to: Tier,
        evidence: Reason,
    },
    PartnerReclassified {
        from: Option<Classification>,
        to: Classification,
        rationale: Reason,
    },
    PamAssigned {
        pam_id: StaffId,
        pam_name: String,
        previous_pam_id: Option<StaffId>,
    },
    PartnerOffboarded {
        reason: Reason,
    },
}

impl DomainEvent for PartnerEvent {
    fn event_type(&self) -> String {
        match self {
            PartnerEvent::PartnerRegistered { .. } => "PartnerRegistered",
            PartnerEvent::PartnerTierChanged { .. } => "PartnerTierChanged",
            PartnerEvent::PartnerReclassified { .. } => "PartnerReclassified",
            PartnerEvent::PamAssigned { .. } => "PamAssigned",
            PartnerEvent::PartnerOffboarded { .. } => "PartnerOffboarded",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        match self {
            PartnerEvent::PartnerRegistered { .. } => "2",
            _ => "1",
        }
        .to_owned()
    }
}
