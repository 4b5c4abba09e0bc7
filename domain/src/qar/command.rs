//! What staff ask of a partner's QAR series. Every command carries the partner's facts as of its
//! effective time, resolved by the server from the partner's stream.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::values::{CommitmentId, Discussion, NewCommitment, Note, Outcome};
use crate::partner::PartnerFacts;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum QarCommand {
    /// Starts the cadence when the partner gets its first PAM: QAR 1 is due 90 days later.
    Schedule {
        partner: PartnerFacts,
        first_assigned_at: DateTime<Utc>,
    },
    /// Opens the QAR that is due (early is fine; late makes it no less overdue until completed).
    Open {
        partner: PartnerFacts,
    },
    /// Judges one commitment of the previous QAR's locked plan.
    ReviewCommitment {
        partner: PartnerFacts,
        commitment_id: CommitmentId,
        outcome: Outcome,
        note: Note,
    },
    /// What was discussed, agreed and why. Recording it again before completion corrects it.
    RecordDiscussion {
        partner: PartnerFacts,
        discussion: Discussion,
    },
    /// Locks the next quarter's plan: deferred commitments are carried forward automatically,
    /// `commitments` are added after them.
    LockPlan {
        partner: PartnerFacts,
        commitments: Vec<NewCommitment>,
    },
    Complete {
        partner: PartnerFacts,
    },
}

impl QarCommand {
    pub fn partner(&self) -> &PartnerFacts {
        match self {
            QarCommand::Schedule { partner, .. }
            | QarCommand::Open { partner }
            | QarCommand::ReviewCommitment { partner, .. }
            | QarCommand::RecordDiscussion { partner, .. }
            | QarCommand::LockPlan { partner, .. }
            | QarCommand::Complete { partner } => partner,
        }
    }
}
