//! Why a partner command was refused.

use super::values::{Classification, Tier};
use crate::actor::{Role, Territory};
use crate::rejection::{Forbidden, Rejection, RejectionKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartnerError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such partner")]
    NotFound,
    #[error("this partner is already registered")]
    AlreadyRegistered,
    #[error("this partner has been offboarded; its history is kept but it accepts no changes")]
    Offboarded,
    #[error("the partner is already {0}")]
    SameTier(Tier),
    #[error("the partner is already classified {0}")]
    SameClassification(Classification),
    #[error("the proposed PAM has left or is not in the staff directory")]
    PamNotActive,
    #[error("the proposed PAM is a {0}, not a PAM")]
    NotAPam(Role),
    #[error("the proposed PAM does not work in {territory}, the partner's territory")]
    PamOutsideTerritory { territory: Territory },
    #[error("that PAM is already assigned to this partner")]
    SamePam,
}

impl Rejection for PartnerError {
    fn kind(&self) -> RejectionKind {
        match self {
            PartnerError::Forbidden(_) => RejectionKind::Forbidden,
            PartnerError::NotFound => RejectionKind::NotFound,
            PartnerError::AlreadyRegistered | PartnerError::Offboarded => RejectionKind::Conflict,
            PartnerError::SameTier(_) => RejectionKind::Invalid { field: "tier" },
            PartnerError::SameClassification(_) => RejectionKind::Invalid {
                field: "classification",
            },
            PartnerError::PamNotActive
            | PartnerError::NotAPam(_)
            | PartnerError::PamOutsideTerritory { .. }
            | PartnerError::SamePam => RejectionKind::Invalid { field: "pam_id" },
        }
    }

    fn code(&self) -> &'static str {
        match self {
            PartnerError::Forbidden(_) => "forbidden",
            PartnerError::NotFound => "partner-not-found",
            PartnerError::AlreadyRegistered => "partner-already-registered",
            PartnerError::Offboarded => "partner-offboarded",
            PartnerError::SameTier(_) => "same-tier",
            PartnerError::SameClassification(_) => "same-classification",
            PartnerError::PamNotActive => "pam-not-active",
            PartnerError::NotAPam(_) => "not-a-pam",
            PartnerError::PamOutsideTerritory { .. } => "pam-outside-territory",
            PartnerError::SamePam => "same-pam",
        }
    }
}
