//! What management asks of a classification's cohort strategy.

use serde::{Deserialize, Serialize};

use super::values::{Play, StrategyText};
use crate::approval::Delegation;
use crate::fiscal::FiscalQuarter;
use crate::partner::Classification;
use crate::text::Reason;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CohortCommand {
    /// Version 1 of the strategy, submitted for approval as it is drafted.
    Draft {
        classification: Classification,
        intent: StrategyText,
        plays: Vec<Play>,
    },
    /// A new version, submitted for approval; the version in force stays in force meanwhile.
    Revise {
        intent: StrategyText,
        plays: Vec<Play>,
    },
    /// Approves `version`, which must be the one pending. `on_behalf_of` is the delegation the
    /// server resolved when the approver acts for someone else.
    Approve {
        version: u32,
        on_behalf_of: Option<Delegation>,
        comment: Option<Reason>,
    },
    Reject {
        version: u32,
        on_behalf_of: Option<Delegation>,
        reason: Reason,
    },
    /// The quarterly review of the version in force.
    RecordReview {
        quarter: FiscalQuarter,
        notes: StrategyText,
    },
}
