//! The decisions of a QAR series: each command checked against the partner's facts, the actor's
//! permission and the series' state, yielding exactly one event or a specific refusal.

use chrono::{DateTime, Utc};

use super::command::QarCommand;
use super::error::QarError;
use super::event::QarEvent;
use super::permission::{self, permission_for};
use super::values::{Commitment, CommitmentId, NewCommitment, Outcome, OutcomeCounts};
use super::{due_after, CurrentQar, QarSeries};
use crate::authored::Authored;

impl QarSeries {
    pub(super) fn decide(
        &self,
        Authored { actor, at, command }: Authored<QarCommand>,
    ) -> Result<QarEvent, QarError> {
        let partner = command.partner();
        if self.partner_id.is_some_and(|id| id != partner.partner_id) {
            return Err(QarError::PartnerMismatch);
        }
        if partner.offboarded {
            return Err(QarError::PartnerOffboarded);
        }
        permission::check(&permission_for(&command), &actor, partner)?;
        match command {
            QarCommand::Schedule {
                partner,
                first_assigned_at,
            } => {
                if self.partner_id.is_some() {
                    return Err(QarError::AlreadyScheduled);
                }
                if partner.pam.is_none() {
                    return Err(QarError::NoPamAssigned);
                }
                Ok(QarEvent::QarScheduled {
                    partner_id: partner.partner_id,
                    first_assigned_at,
                    number: 1,
                    due_at: due_after(first_assigned_at),
                })
            }
            QarCommand::Open { .. } => {
                let qar = self.current.as_ref().ok_or(QarError::NotScheduled)?;
                if qar.opened_at.is_some() {
                    return Err(QarError::AlreadyOpen { number: qar.number });
                }
                Ok(QarEvent::QarOpened {
                    number: qar.number,
                    opened_at: at,
                })
            }
            QarCommand::ReviewCommitment {
                commitment_id,
                outcome,
                note,
                ..
            } => {
                let qar = self.open_qar()?;
                if !self.plan_under_review.iter().any(|c| c.id == commitment_id) {
                    return Err(QarError::UnknownCommitment(commitment_id));
                }
                if qar.reviews.iter().any(|r| r.commitment_id == commitment_id) {
                    return Err(QarError::AlreadyReviewed(commitment_id));
                }
                if let Outcome::Deferred { new_due_at } = outcome {
                    in_future("new_due_at", new_due_at, at)?;
                }
                Ok(QarEvent::CommitmentReviewed {
                    number: qar.number,
                    commitment_id,
                    outcome,
                    note,
                })
            }
            QarCommand::RecordDiscussion { discussion, .. } => {
                let qar = self.open_qar()?;
                Ok(QarEvent::QarDiscussionRecorded {
                    number: qar.number,
                    discussion,
                })
            }
            QarCommand::LockPlan { commitments, .. } => self.lock_plan(commitments, at),
            QarCommand::Complete { .. } => {
                let qar = self.open_qar()?;
                self.all_reviewed(qar)?;
                if qar.discussion.is_none() {
                    return Err(QarError::DiscussionNotRecorded);
                }
                if qar.next_plan.is_none() {
                    return Err(QarError::PlanNotLocked);
                }
                Ok(QarEvent::QarCompleted {
                    number: qar.number,
                    completed_at: at,
                    outcomes: OutcomeCounts::of(&qar.reviews),
                    next_due_at: due_after(at),
                })
            }
        }
    }

    /// Deferred commitments first, in the order of the plan they come from, keeping their number
    /// and owner with their new due date; then the new ones, numbered on from the series' last.
    fn lock_plan(&self, new: Vec<NewCommitment>, at: DateTime<Utc>) -> Result<QarEvent, QarError> {
        let qar = self.open_qar()?;
        if qar.next_plan.is_some() {
            return Err(QarError::PlanAlreadyLocked { number: qar.number });
        }
        self.all_reviewed(qar)?;
        for c in &new {
            in_future("commitments", c.due_at, at)?;
        }
        let carried = self.plan_under_review.iter().filter_map(|c| {
            qar.reviews
                .iter()
                .find_map(|r| match r.outcome {
                    Outcome::Deferred { new_due_at } if r.commitment_id == c.id => Some(new_due_at),
                    _ => None,
                })
                .map(|due_at| Commitment {
                    due_at,
                    times_deferred: c.times_deferred + 1,
                    ..c.clone()
                })
        });
        let numbered = new.into_iter().zip(1..).map(|(c, i)| Commitment {
            id: CommitmentId(self.last_commitment_id + i),
            description: c.description,
            owner: c.owner,
            due_at: c.due_at,
            times_deferred: 0,
        });
        let commitments: Vec<Commitment> = carried.chain(numbered).collect();
        if commitments.is_empty() {
            return Err(QarError::EmptyPlan);
        }
        Ok(QarEvent::QarPlanLocked {
            number: qar.number,
            commitments,
        })
    }

    fn open_qar(&self) -> Result<&CurrentQar, QarError> {
        let qar = self.current.as_ref().ok_or(QarError::NotScheduled)?;
        if qar.opened_at.is_none() {
            return Err(QarError::NotOpen { number: qar.number });
        }
        Ok(qar)
    }

    fn all_reviewed(&self, qar: &CurrentQar) -> Result<(), QarError> {
        let unreviewed: Vec<CommitmentId> = self
            .plan_under_review
            .iter()
            .map(|c| c.id)
            .filter(|id| !qar.reviews.iter().any(|r| r.commitment_id == *id))
            .collect();
        if unreviewed.is_empty() {
            Ok(())
        } else {
            Err(QarError::UnreviewedCommitments(unreviewed))
        }
    }
}

/// A commitment is due after the QAR that sets the date.
fn in_future(
    field: &'static str,
    due_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<(), QarError> {
    if due_at > at {
        Ok(())
    } else {
        Err(QarError::DueDateInPast { field, due_at })
    }
}
