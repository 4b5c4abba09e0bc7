//! Questions asked of a cohort strategy: which version is in force, and which awaits approval and
//! by when (the clock is the caller's).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::values::{StrategyVersion, VersionStatus};
use super::CohortStrategy;
use crate::approval::StaffRef;
use crate::fiscal::add_business_days;
use crate::partner::Classification;

/// A version must be decided within this many business days of its submission.
pub const APPROVAL_SLA_BUSINESS_DAYS: u32 = 5;

/// A version awaiting approval, as the approval queue shows it. Any Manager or CxO other than the
/// drafter may act on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = CohortPendingApproval))]
pub struct PendingApproval {
    pub classification: Classification,
    pub version: u32,
    pub drafted_by: StaffRef,
    pub requested_at: DateTime<Utc>,
    /// `requested_at` plus the approval SLA in business days.
    pub due_at: DateTime<Utc>,
}

impl PendingApproval {
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        now > self.due_at
    }
}

impl CohortStrategy {
    /// The approved version every partner of the classification inherits.
    pub fn in_force(&self) -> Option<&StrategyVersion> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.status == VersionStatus::Approved)
    }

    /// The version awaiting approval, if any (at most one at a time).
    pub fn pending_version(&self) -> Option<&StrategyVersion> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.status == VersionStatus::PendingApproval)
    }

    pub fn pending_approval(&self) -> Option<PendingApproval> {
        let v = self.pending_version()?;
        Some(PendingApproval {
            classification: self.classification?,
            version: v.version,
            drafted_by: v.drafted_by.clone(),
            requested_at: v.drafted_at,
            due_at: add_business_days(v.drafted_at, APPROVAL_SLA_BUSINESS_DAYS),
        })
    }

    pub fn version(&self, version: u32) -> Option<&StrategyVersion> {
        self.versions.iter().find(|v| v.version == version)
    }
}
