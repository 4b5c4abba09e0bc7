//! Why a QAR command was refused.

use chrono::{DateTime, Utc};

use super::values::CommitmentId;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QarError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("the partner's facts are for another partner than this QAR series")]
    PartnerMismatch,
    #[error("this partner has been offboarded; its QAR history is kept but no review runs")]
    PartnerOffboarded,
    #[error("the partner has no PAM yet; the QAR cadence starts at the first PAM assignment")]
    NoPamAssigned,
    #[error("the QAR cadence of this partner has already started")]
    AlreadyScheduled,
    #[error("no QAR is scheduled for this partner yet")]
    NotScheduled,
    #[error("QAR {number} is already open")]
    AlreadyOpen { number: u32 },
    #[error("QAR {number} is not open yet; open it first")]
    NotOpen { number: u32 },
    #[error("commitment {0} is not in the plan under review")]
    UnknownCommitment(CommitmentId),
    #[error("commitment {0} has already been reviewed in this QAR")]
    AlreadyReviewed(CommitmentId),
    #[error("every commitment of the previous plan must be reviewed first; still unreviewed: {}", ids(.0))]
    UnreviewedCommitments(Vec<CommitmentId>),
    #[error("{field} {due_at} is not after the QAR's time; a commitment is due in the future")]
    DueDateInPast {
        field: &'static str,
        due_at: DateTime<Utc>,
    },
    #[error("a plan needs at least one commitment when nothing is carried forward")]
    EmptyPlan,
    #[error("the plan of QAR {number} is locked and cannot change")]
    PlanAlreadyLocked { number: u32 },
    #[error("record what was discussed, agreed and why before completing")]
    DiscussionNotRecorded,
    #[error("lock the next quarter's plan before completing")]
    PlanNotLocked,
}

fn ids(ids: &[CommitmentId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Rejection for QarError {
    fn kind(&self) -> RejectionKind {
        match self {
            QarError::Forbidden(_) => RejectionKind::Forbidden,
            QarError::NotScheduled | QarError::UnknownCommitment(_) => RejectionKind::NotFound,
            QarError::PartnerMismatch => RejectionKind::Invalid {
                field: "partner_id",
            },
            QarError::DueDateInPast { field, .. } => RejectionKind::Invalid { field },
            QarError::EmptyPlan => RejectionKind::Invalid {
                field: "commitments",
            },
            QarError::PartnerOffboarded
            | QarError::NoPamAssigned
            | QarError::AlreadyScheduled
            | QarError::AlreadyOpen { .. }
            | QarError::NotOpen { .. }
            | QarError::AlreadyReviewed(_)
            | QarError::UnreviewedCommitments(_)
            | QarError::PlanAlreadyLocked { .. }
            | QarError::DiscussionNotRecorded
            | QarError::PlanNotLocked => RejectionKind::Conflict,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            QarError::Forbidden(_) => "forbidden",
            QarError::PartnerMismatch => "partner-mismatch",
            QarError::PartnerOffboarded => "partner-offboarded",
            QarError::NoPamAssigned => "no-pam-assigned",
            QarError::AlreadyScheduled => "qar-already-scheduled",
            QarError::NotScheduled => "qar-not-scheduled",
            QarError::AlreadyOpen { .. } => "qar-already-open",
            QarError::NotOpen { .. } => "qar-not-open",
            QarError::UnknownCommitment(_) => "unknown-commitment",
            QarError::AlreadyReviewed(_) => "commitment-already-reviewed",
            QarError::UnreviewedCommitments(_) => "unreviewed-commitments",
            QarError::DueDateInPast { .. } => "due-date-in-past",
            QarError::EmptyPlan => "empty-plan",
            QarError::PlanAlreadyLocked { .. } => "plan-already-locked",
            QarError::DiscussionNotRecorded => "discussion-not-recorded",
            QarError::PlanNotLocked => "plan-not-locked",
        }
    }
}
