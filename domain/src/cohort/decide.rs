//! The decisions of a cohort strategy: each command checked against the actor's permission (the
//! approver's authority for verdicts), segregation of duties and the versions' states.

use chrono::{DateTime, Utc};

use super::command::CohortCommand;
use super::error::CohortError;
use super::event::CohortEvent;
use super::permission::permission_for;
use super::values::{Play, StrategyVersion};
use super::CohortStrategy;
use crate::actor::{Actor, Role};
use crate::approval::{ApprovalRecord, ApprovalStep, Approver, Delegation, StaffRef, Verdict};
use crate::authored::{Authored, Permission};
use crate::text::Reason;

impl CohortStrategy {
    pub(super) fn decide(
        &self,
        Authored { actor, at, command }: Authored<CohortCommand>,
    ) -> Result<CohortEvent, CohortError> {
        let permission = permission_for(&command);
        match command {
            CohortCommand::Draft {
                classification,
                intent,
                plays,
            } => {
                permission.check_anywhere(&actor)?;
                if !self.versions.is_empty() {
                    return Err(CohortError::AlreadyDrafted);
                }
                has_plays(&plays)?;
                Ok(CohortEvent::CohortStrategyDrafted {
                    classification,
                    version: 1,
                    intent,
                    plays,
                    drafted_by: StaffRef::from(&actor),
                    drafted_at: at,
                })
            }
            CohortCommand::Revise { intent, plays } => {
                self.drafted()?;
                permission.check_anywhere(&actor)?;
                if let Some(pending) = self.pending_version() {
                    return Err(CohortError::VersionPending {
                        version: pending.version,
                    });
                }
                has_plays(&plays)?;
                Ok(CohortEvent::CohortStrategyRevised {
                    version: self.versions.last().map_or(1, |v| v.version + 1),
                    intent,
                    plays,
                    drafted_by: StaffRef::from(&actor),
                    drafted_at: at,
                })
            }
            CohortCommand::Approve {
                version,
                on_behalf_of,
                comment,
            } => {
                let ruling = Ruling {
                    version,
                    on_behalf_of,
                    verdict: Verdict::Approved,
                    comment,
                };
                let record = self.rule(&permission, actor, at, ruling)?;
                Ok(CohortEvent::CohortStrategyApproved {
                    version,
                    record,
                    supersedes: self.in_force().map(|v| v.version),
                })
            }
            CohortCommand::Reject {
                version,
                on_behalf_of,
                reason,
            } => {
                let ruling = Ruling {
                    version,
                    on_behalf_of,
                    verdict: Verdict::Rejected,
                    comment: Some(reason),
                };
                let record = self.rule(&permission, actor, at, ruling)?;
                Ok(CohortEvent::CohortStrategyRejected { version, record })
            }
            CohortCommand::RecordReview { quarter, notes } => {
                self.drafted()?;
                permission.check_anywhere(&actor)?;
                let current = self.in_force().ok_or(CohortError::NothingInForce)?;
                if current.reviews.iter().any(|r| r.quarter == quarter) {
                    return Err(CohortError::QuarterAlreadyReviewed {
                        version: current.version,
                        quarter,
                    });
                }
                Ok(CohortEvent::CohortStrategyReviewed {
                    version: current.version,
                    quarter,
                    notes,
                    reviewed_by: StaffRef::from(&actor),
                    reviewed_at: at,
                })
            }
        }
    }

    /// An approval or rejection of the pending version by a Manager or CxO (in their own right
    /// or by a delegation in force) who neither drafted it nor acts for its drafter.
    fn rule(
        &self,
        permission: &Permission,
        actor: Actor,
        at: DateTime<Utc>,
        ruling: Ruling,
    ) -> Result<ApprovalRecord, CohortError> {
        self.drafted()?;
        let version = ruling.version;
        let pending = self
            .pending_version()
            .filter(|v| v.version == version)
            .ok_or(CohortError::NotPendingApproval { version })?;
        let approver = Approver::new(actor, ruling.on_behalf_of);
        approver
            .check_delegation(at)
            .map_err(|_| CohortError::InvalidDelegation)?;
        permission.check_anywhere(approver.authority())?;
        if approver.involves(pending.drafted_by.staff_id) {
            return Err(CohortError::OwnDraft);
        }
        let step = match approver.authority().role {
            Role::Cxo => ApprovalStep::Cxo,
            _ => ApprovalStep::Manager,
        };
        Ok(ApprovalRecord::new(
            step,
            ruling.verdict,
            &approver,
            ruling.comment,
            pending.drafted_at,
            at,
        ))
    }

    fn drafted(&self) -> Result<&StrategyVersion, CohortError> {
        self.versions.first().ok_or(CohortError::NotDrafted)
    }
}

/// A verdict on one version, as asked.
struct Ruling {
    version: u32,
    on_behalf_of: Option<Delegation>,
    verdict: Verdict,
    comment: Option<Reason>,
}

fn has_plays(plays: &[Play]) -> Result<(), CohortError> {
    if plays.is_empty() {
        Err(CohortError::NoPlays)
    } else {
        Ok(())
    }
}
