//! QAR — Quarterly Activity Review (design.md §2, issue 3 item 2): the 90-day cadence with each
//! managed partner. One aggregate per partner (aggregate id = partner id) holds the whole series:
//! the QAR due now, the plan it reviews, and the history of completed QARs.
//!
//! QAR 1 is due 90 days after the partner's first PAM assignment; each next one 90 days after the
//! previous one completed. A QAR is opened, reviews every commitment of the previous plan
//! (Delivered / Deferred / Missed, with a note), records what was discussed and agreed and why,
//! locks the next plan (deferred commitments carried forward first) and completes. "Overdue" is
//! computed at query time against a clock the caller passes in ([`QarSeries::is_overdue`]).

mod command;
mod decide;
mod error;
mod event;
mod permission;
mod query;
#[cfg(test)]
mod tests;
mod values;

pub use command::QarCommand;
pub use error::QarError;
pub use event::QarEvent;
pub use permission::permission_for;
pub use query::PendingQar;
pub use values::{
    Commitment, CommitmentId, CommitmentReview, CompletedQar, Discussion, NewCommitment, Note,
    Outcome, OutcomeCounts,
};

use chrono::{DateTime, Duration, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::authored::Authored;
use crate::partner::PartnerId;

/// The QAR cadence: the next review is due this long after the previous one completed.
pub const CADENCE: Duration = Duration::days(90);

/// `from` plus the cadence (saturating at the end of time rather than panicking).
pub fn due_after(from: DateTime<Utc>) -> DateTime<Utc> {
    from.checked_add_signed(CADENCE)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A partner's QAR series. The default value is "cadence not started".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QarSeries {
    pub partner_id: Option<PartnerId>,
    pub first_assigned_at: Option<DateTime<Utc>>,
    /// The QAR due now. Never a completed one: completing a QAR schedules the next.
    pub current: Option<CurrentQar>,
    /// The previous QAR's locked plan, which the current QAR reviews.
    pub plan_under_review: Vec<Commitment>,
    /// Completed QARs, oldest first.
    pub history: Vec<CompletedQar>,
    /// The highest commitment number handed out so far.
    pub last_commitment_id: u32,
}

/// The QAR due now, and how far it has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentQar {
    pub number: u32,
    pub due_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub reviews: Vec<CommitmentReview>,
    pub discussion: Option<Discussion>,
    /// The next quarter's plan, once locked.
    pub next_plan: Option<Vec<Commitment>>,
}

impl CurrentQar {
    fn due(number: u32, due_at: DateTime<Utc>) -> Self {
        Self {
            number,
            due_at,
            opened_at: None,
            reviews: Vec::new(),
            discussion: None,
            next_plan: None,
        }
    }
}

impl Aggregate for QarSeries {
    const TYPE: &'static str = "QarSeries";
    type Command = Authored<QarCommand>;
    type Event = QarEvent;
    type Error = QarError;
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
            QarEvent::QarScheduled {
                partner_id,
                first_assigned_at,
                number,
                due_at,
            } => {
                self.partner_id = Some(partner_id);
                self.first_assigned_at = Some(first_assigned_at);
                self.current = Some(CurrentQar::due(number, due_at));
            }
            QarEvent::QarCompleted {
                number,
                completed_at,
                outcomes,
                next_due_at,
            } => {
                let Some(done) = self.current.take() else {
                    return;
                };
                let plan = done.next_plan.unwrap_or_default();
                self.history.push(CompletedQar {
                    number,
                    due_at: done.due_at,
                    opened_at: done.opened_at.unwrap_or(completed_at),
                    completed_at,
                    outcomes,
                    commitments_locked: u32::try_from(plan.len()).unwrap_or(u32::MAX),
                    discussion: done.discussion,
                });
                self.plan_under_review = plan;
                self.current = Some(CurrentQar::due(number + 1, next_due_at));
            }
            other => self.apply_to_current(other),
        }
    }
}

impl QarSeries {
    fn apply_to_current(&mut self, event: QarEvent) {
        let Some(qar) = &mut self.current else { return };
        match event {
            QarEvent::QarOpened { opened_at, .. } => qar.opened_at = Some(opened_at),
            QarEvent::CommitmentReviewed {
                commitment_id,
                outcome,
                note,
                ..
            } => qar.reviews.push(CommitmentReview {
                commitment_id,
                outcome,
                note,
            }),
            QarEvent::QarDiscussionRecorded { discussion, .. } => {
                qar.discussion = Some(discussion);
            }
            QarEvent::QarPlanLocked { commitments, .. } => {
                let highest = commitments.iter().map(|c| c.id.0).max().unwrap_or(0);
                self.last_commitment_id = self.last_commitment_id.max(highest);
                qar.next_plan = Some(commitments);
            }
            QarEvent::QarScheduled { .. } | QarEvent::QarCompleted { .. } => {}
        }
    }
}
