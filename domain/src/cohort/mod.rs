//! Cohort strategy (design.md §2, issue 3 item 3): management's documented intent for one
//! classification — a strategic intent and ordered activation plays — versioned and approved.
//! One aggregate per classification (aggregate id = its wire name, e.g. "Farmer").
//!
//! A Manager or CxO drafts; another Manager or CxO (never the drafter, nor a delegate of theirs;
//! delegation-aware through [`Approver`](crate::approval::Approver)) approves or rejects with an
//! [`ApprovalRecord`](crate::approval::ApprovalRecord). A revision is a new version that needs
//! approval again while the approved one stays in force. The version in force
//! ([`CohortStrategy::in_force`]) is what every partner of the classification inherits, and it
//! gets at most one review per fiscal quarter.

mod command;
mod decide;
mod error;
mod event;
mod permission;
mod query;
#[cfg(test)]
mod tests;
mod values;

pub use command::CohortCommand;
pub use error::CohortError;
pub use event::CohortEvent;
pub use permission::permission_for;
pub use query::{PendingApproval, APPROVAL_SLA_BUSINESS_DAYS};
pub use values::{Play, QuarterlyReview, StrategyText, StrategyVersion, VersionStatus};

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::authored::Authored;
use crate::partner::Classification;

/// Every version of one classification's strategy, oldest first. The default value is "never
/// drafted".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CohortStrategy {
    pub classification: Option<Classification>,
    pub versions: Vec<StrategyVersion>,
}

impl Aggregate for CohortStrategy {
    const TYPE: &'static str = "CohortStrategy";
    type Command = Authored<CohortCommand>;
    type Event = CohortEvent;
    type Error = CohortError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = self.decide(command)?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            CohortEvent::CohortStrategyDrafted {
                classification,
                version,
                intent,
                plays,
                drafted_by,
                drafted_at,
            } => {
                self.classification = Some(classification);
                self.versions.push(StrategyVersion {
                    version,
                    intent,
                    plays,
                    drafted_by,
                    drafted_at,
                    status: VersionStatus::PendingApproval,
                    decision: None,
                    reviews: Vec::new(),
                });
            }
            CohortEvent::CohortStrategyRevised {
                version,
                intent,
                plays,
                drafted_by,
                drafted_at,
            } => self.versions.push(StrategyVersion {
                version,
                intent,
                plays,
                drafted_by,
                drafted_at,
                status: VersionStatus::PendingApproval,
                decision: None,
                reviews: Vec::new(),
            }),
            CohortEvent::CohortStrategyApproved {
                version,
                record,
                supersedes,
            } => {
                for v in &mut self.versions {
                    if Some(v.version) == supersedes {
                        v.status = VersionStatus::Superseded;
                    }
                }
                self.decide_version(version, VersionStatus::Approved, record);
            }
            CohortEvent::CohortStrategyRejected { version, record } => {
                self.decide_version(version, VersionStatus::Rejected, record);
            }
            CohortEvent::CohortStrategyReviewed {
                version,
                quarter,
                notes,
                reviewed_by,
                reviewed_at,
            } => {
                if let Some(v) = self.version_mut(version) {
                    v.reviews.push(QuarterlyReview {
                        quarter,
                        notes,
                        reviewed_by,
                        reviewed_at,
                    });
                }
            }
        }
    }
}

impl CohortStrategy {
    fn version_mut(&mut self, version: u32) -> Option<&mut StrategyVersion> {
        self.versions.iter_mut().find(|v| v.version == version)
    }

    fn decide_version(
        &mut self,
        version: u32,
        status: VersionStatus,
        record: crate::approval::ApprovalRecord,
    ) {
        if let Some(v) = self.version_mut(version) {
            v.status = status;
            v.decision = Some(record);
        }
    }
}
