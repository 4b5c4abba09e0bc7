//! The words of a cohort strategy: its texts, activation plays, versions and quarterly reviews.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::approval::{ApprovalRecord, StaffRef};
use crate::fiscal::FiscalQuarter;
use crate::text::{check, Name, TextError};

/// Longer management prose: a strategic intent, a play's description, review notes. Trimmed,
/// not blank, at most 10,000 characters, no control characters but line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct StrategyText(String);

impl StrategyText {
    pub const MAX_CHARS: usize = 10_000;

    pub fn parse(s: &str) -> Result<Self, TextError> {
        check(s, Self::MAX_CHARS, "a strategy text").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for StrategyText {
    type Error = TextError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<StrategyText> for String {
    fn from(t: StrategyText) -> Self {
        t.0
    }
}

impl fmt::Display for StrategyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One step of the activation plan; plays are ordered, first to do first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Play {
    pub title: Name,
    pub description: StrategyText,
}

/// Where a version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VersionStatus {
    PendingApproval,
    /// In force: what every partner of the classification inherits.
    Approved,
    /// Was in force until a later version was approved.
    Superseded,
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuarterlyReview {
    pub quarter: FiscalQuarter,
    pub notes: StrategyText,
    pub reviewed_by: StaffRef,
    pub reviewed_at: DateTime<Utc>,
}

/// One version of the strategy, as drafted and as decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StrategyVersion {
    pub version: u32,
    pub intent: StrategyText,
    pub plays: Vec<Play>,
    pub drafted_by: StaffRef,
    pub drafted_at: DateTime<Utc>,
    pub status: VersionStatus,
    /// The approval or rejection, once decided.
    pub decision: Option<ApprovalRecord>,
    /// Quarterly reviews recorded while this version was in force.
    pub reviews: Vec<QuarterlyReview>,
}
