//! The program history behind the portfolio "as of" (`replay::ProgramHistory`): loaded once —
//! at start by `serve`, or by the first question — then caught up to the log's head before each
//! answer, so an answer sees every event appended before it was asked.

use channel_ledger_domain::StaffId;
use channel_ledger_projections::views::{Portfolio, Scope};
use channel_ledger_replay::{Axis, ProgramHistory, ReplayError};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};
use tokio::sync::{RwLock, RwLockReadGuard};

#[derive(Debug, Default)]
pub struct HistoryCache {
    history: RwLock<Option<ProgramHistory>>,
}

impl HistoryCache {
    /// The portfolio `scope` reads as of `t` on `axis` with due dates judged at `now`, and the
    /// log position the history had folded when it answered.
    pub async fn portfolio_as_of(
        &self,
        ledger: &Ledger,
        axis: Axis,
        t: DateTime<Utc>,
        now: DateTime<Utc>,
        scope: &Scope,
        pam: Option<StaffId>,
    ) -> Result<(Portfolio, i64), ReplayError> {
        let history = self.caught_up(ledger).await?;
        let history = history.as_ref().expect("caught up means loaded");
        let view = history
            .portfolio_as_of(ledger, axis, t, now, scope, pam)
            .await?;
        Ok((view, history.position()))
    }

    /// Loads the history if nobody has yet: `serve` calls it at start so the first question is
    /// answered at once.
    #[tracing::instrument(name = "history.warm", skip_all, err)]
    pub async fn warm(&self, ledger: &Ledger) -> Result<(), ReplayError> {
        self.caught_up(ledger).await.map(drop)
    }

    /// The history, loaded and folded up to the head of the log as it was on entry.
    async fn caught_up(
        &self,
        ledger: &Ledger,
    ) -> Result<RwLockReadGuard<'_, Option<ProgramHistory>>, ReplayError> {
        let head = ledger.head_position().await?;
        let read = self.history.read().await;
        if read.as_ref().is_some_and(|h| h.position() >= head) {
            return Ok(read);
        }
        drop(read);
        let mut write = self.history.write().await;
        match write.as_mut() {
            // Someone else may have caught up while this waited for the lock.
            Some(history) if history.position() >= head => {}
            Some(history) => {
                history.catch_up(ledger).await?;
            }
            None => *write = Some(ProgramHistory::load(ledger).await?),
        }
        Ok(write.downgrade())
    }
}
