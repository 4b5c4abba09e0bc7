//! Why a cohort strategy command was refused.

use crate::fiscal::FiscalQuarter;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CohortError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("the delegation does not cover this decision: it must name the approver as delegate and be in force at the time")]
    InvalidDelegation,
    #[error(
        "nobody approves or rejects a version they drafted, nor one drafted by whom they act for"
    )]
    OwnDraft,
    #[error("no strategy has been drafted for this classification")]
    NotDrafted,
    #[error("a strategy for this classification already exists; revise it instead")]
    AlreadyDrafted,
    #[error("a strategy has at least one activation play")]
    NoPlays,
    #[error("version {version} is still awaiting approval; decide it before revising again")]
    VersionPending { version: u32 },
    #[error("version {version} is not awaiting approval")]
    NotPendingApproval { version: u32 },
    #[error("no version of this strategy is in force yet")]
    NothingInForce,
    #[error("version {version} already has its {quarter} review")]
    QuarterAlreadyReviewed {
        version: u32,
        quarter: FiscalQuarter,
    },
}

impl Rejection for CohortError {
    fn kind(&self) -> RejectionKind {
        match self {
            CohortError::Forbidden(_) | CohortError::InvalidDelegation | CohortError::OwnDraft => {
                RejectionKind::Forbidden
            }
            CohortError::NotDrafted => RejectionKind::NotFound,
            CohortError::NoPlays => RejectionKind::Invalid { field: "plays" },
            CohortError::AlreadyDrafted
            | CohortError::VersionPending { .. }
            | CohortError::NotPendingApproval { .. }
            | CohortError::NothingInForce
            | CohortError::QuarterAlreadyReviewed { .. } => RejectionKind::Conflict,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            CohortError::Forbidden(_) => "forbidden",
            CohortError::InvalidDelegation => "invalid-delegation",
            CohortError::OwnDraft => "own-draft",
            CohortError::NotDrafted => "strategy-not-found",
            CohortError::AlreadyDrafted => "strategy-already-drafted",
            CohortError::NoPlays => "no-plays",
            CohortError::VersionPending { .. } => "version-pending-approval",
            CohortError::NotPendingApproval { .. } => "version-not-pending",
            CohortError::NothingInForce => "no-strategy-in-force",
            CohortError::QuarterAlreadyReviewed { .. } => "quarter-already-reviewed",
        }
    }
}
