//! Questions asked of a QAR series at read time. The clock is a parameter: "overdue" depends on
//! when you ask, so it is never stored (the injectable clock belongs to the server).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::values::{Commitment, CompletedQar, Outcome};
use super::QarSeries;
use crate::partner::PartnerId;

/// The QAR a console shows for a partner: when it is due, how far it has got, whether it is late.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingQar {
    pub partner_id: PartnerId,
    pub number: u32,
    pub due_at: DateTime<Utc>,
    pub opened: bool,
    pub opened_at: Option<DateTime<Utc>>,
    /// Due date past and not completed, at the `now` the view was built for.
    pub overdue: bool,
    /// Commitments of the previous plan to review, and how many are reviewed.
    pub commitments_to_review: u32,
    pub commitments_reviewed: u32,
    pub discussion_recorded: bool,
    pub plan_locked: bool,
}

impl QarSeries {
    /// When the QAR due now is due; `None` before the cadence starts.
    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        self.current.as_ref().map(|q| q.due_at)
    }

    /// True when the current QAR's due date is past at `now` and it is not completed (a completed
    /// QAR is never current: completing one schedules the next).
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.due_at().is_some_and(|due| now > due)
    }

    /// The console's view of the QAR due now, as of `now`.
    pub fn pending(&self, now: DateTime<Utc>) -> Option<PendingQar> {
        let qar = self.current.as_ref()?;
        Some(PendingQar {
            partner_id: self.partner_id?,
            number: qar.number,
            due_at: qar.due_at,
            opened: qar.opened_at.is_some(),
            opened_at: qar.opened_at,
            overdue: self.is_overdue(now),
            commitments_to_review: count(self.plan_under_review.len()),
            commitments_reviewed: count(qar.reviews.len()),
            discussion_recorded: qar.discussion.is_some(),
            plan_locked: qar.next_plan.is_some(),
        })
    }

    /// Completed QARs, oldest first: the handover brief's QAR history.
    pub fn history(&self) -> &[CompletedQar] {
        &self.history
    }

    /// What is still owed, for the handover brief: the locked next plan if the current QAR has
    /// one; otherwise the plan under review without the commitments already judged delivered or
    /// missed, deferred ones shown with their new due date.
    pub fn open_commitments(&self) -> Vec<Commitment> {
        let Some(qar) = &self.current else {
            return Vec::new();
        };
        if let Some(plan) = &qar.next_plan {
            return plan.clone();
        }
        self.plan_under_review
            .iter()
            .filter_map(
                |c| match qar.reviews.iter().find(|r| r.commitment_id == c.id) {
                    None => Some(c.clone()),
                    Some(r) => match r.outcome {
                        Outcome::Deferred { new_due_at } => Some(Commitment {
                            due_at: new_due_at,
                            ..c.clone()
                        }),
                        Outcome::Delivered | Outcome::Missed => None,
                    },
                },
            )
            .collect()
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
