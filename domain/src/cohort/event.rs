//! What happened to a classification's cohort strategy.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::values::{Play, StrategyText};
use crate::approval::{ApprovalRecord, StaffRef};
use crate::fiscal::FiscalQuarter;
use crate::partner::Classification;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CohortEvent {
    CohortStrategyDrafted {
        classification: Classification,
        version: u32,
        intent: StrategyText,
        plays: Vec<Play>,
        drafted_by: StaffRef,
        drafted_at: DateTime<Utc>,
    },
    CohortStrategyRevised {
        version: u32,
        intent: StrategyText,
        plays: Vec<Play>,
        drafted_by: StaffRef,
        drafted_at: DateTime<Utc>,
    },
    /// `version` comes into force; `supersedes` is the version it replaces, if any.
    CohortStrategyApproved {
        version: u32,
        record: ApprovalRecord,
        supersedes: Option<u32>,
    },
    /// The rejection's reason is the record's comment.
    CohortStrategyRejected {
        version: u32,
        record: ApprovalRecord,
    },
    CohortStrategyReviewed {
        version: u32,
        quarter: FiscalQuarter,
        notes: StrategyText,
        reviewed_by: StaffRef,
        reviewed_at: DateTime<Utc>,
    },
}

impl DomainEvent for CohortEvent {
    fn event_type(&self) -> String {
        match self {
            CohortEvent::CohortStrategyDrafted { .. } => "CohortStrategyDrafted",
            CohortEvent::CohortStrategyRevised { .. } => "CohortStrategyRevised",
            CohortEvent::CohortStrategyApproved { .. } => "CohortStrategyApproved",
            CohortEvent::CohortStrategyRejected { .. } => "CohortStrategyRejected",
            CohortEvent::CohortStrategyReviewed { .. } => "CohortStrategyReviewed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
