//! What happened in a partner's QAR series.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::values::{Commitment, CommitmentId, Discussion, Note, Outcome, OutcomeCounts};
use crate::partner::PartnerId;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum QarEvent {
    QarScheduled {
        partner_id: PartnerId,
        first_assigned_at: DateTime<Utc>,
        number: u32,
        due_at: DateTime<Utc>,
    },
    QarOpened {
        number: u32,
        opened_at: DateTime<Utc>,
    },
    CommitmentReviewed {
        number: u32,
        commitment_id: CommitmentId,
        outcome: Outcome,
        note: Note,
    },
    QarDiscussionRecorded {
        number: u32,
        discussion: Discussion,
    },
    /// The plan the next QAR reviews: carried-forward commitments first, then the new ones.
    QarPlanLocked {
        number: u32,
        commitments: Vec<Commitment>,
    },
    /// Completes QAR `number` and schedules the next one 90 days later.
    QarCompleted {
        number: u32,
        completed_at: DateTime<Utc>,
        outcomes: OutcomeCounts,
        next_due_at: DateTime<Utc>,
    },
}

impl DomainEvent for QarEvent {
    fn event_type(&self) -> String {
        match self {
            QarEvent::QarScheduled { .. } => "QarScheduled",
            QarEvent::QarOpened { .. } => "QarOpened",
            QarEvent::CommitmentReviewed { .. } => "CommitmentReviewed",
            QarEvent::QarDiscussionRecorded { .. } => "QarDiscussionRecorded",
            QarEvent::QarPlanLocked { .. } => "QarPlanLocked",
            QarEvent::QarCompleted { .. } => "QarCompleted",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
