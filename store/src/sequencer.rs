//! PostgreSQL's global order: positions are given only to settled events, so a reader of
//! `position > n` can never skip an event that commits late (docs/adr/0002-global-order.md).
//!
//! The SQL lives in the migration (`ledger_sequence_events`, `ledger_await_position`); this
//! module decides when to call it and how long to wait for older transactions to finish.

use std::time::Duration;

use sqlx::PgPool;
use tokio::time::Instant;

use crate::{StorageFault, StoreError};

/// How long a writer or a stream reader waits for older transactions before giving up.
pub(crate) const SETTLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Older transactions usually commit within a fraction of a millisecond of ours: poll quickly
/// at first, then back off.
const FIRST_PAUSE: Duration = Duration::from_micros(100);
const LONGEST_PAUSE: Duration = Duration::from_millis(5);

/// Polls until the event with internal id `event_row_id` has a position, and returns it.
pub(crate) async fn await_position(pool: &PgPool, event_row_id: i64) -> Result<i64, StoreError> {
    let mut backoff = Backoff::new();
    loop {
        let position: Option<i64> = sqlx::query_scalar("SELECT ledger_await_position($1)")
            .bind(event_row_id)
            .fetch_one(pool)
            .await?;
        if let Some(position) = position {
            return Ok(position);
        }
        backoff.pause().await?;
    }
}

/// Positions what has settled, waiting for a sequencer already running.
pub(crate) async fn sequence(pool: &PgPool) -> Result<(), StoreError> {
    let run = sqlx::query("SELECT ledger_sequence_events(true)")
        .execute(pool)
        .await;
    unless_read_only(run.map_err(StoreError::from))
}

/// Positions what has settled unless another session is doing it right now (then that session
/// will): readers call this so they never queue behind each other.
pub(crate) async fn sequence_unless_busy(pool: &PgPool) -> Result<(), StoreError> {
    let run = sqlx::query("SELECT ledger_sequence_events(false)")
        .execute(pool)
        .await;
    unless_read_only(run.map_err(StoreError::from))
}

/// A read-only database (a hot standby, `default_transaction_read_only`) cannot record
/// positions, and nothing new can be committed to it either: readers then read the log as far
/// as it is positioned, rather than failing every read.
fn unless_read_only<T>(run: Result<T, StoreError>) -> Result<(), StoreError> {
    match run {
        Ok(_) => Ok(()),
        Err(StoreError::StorageRefused {
            fault: StorageFault::ReadOnly,
            ..
        }) => {
            tracing::debug!("the database is read-only: reading the log as positioned");
            Ok(())
        }
        Err(err) => Err(err),
    }
}

/// Short, growing pauses up to [`SETTLE_TIMEOUT`]: older transactions usually finish within
/// a commit's time.
pub(crate) struct Backoff {
    deadline: Instant,
    next: Duration,
}

impl Backoff {
    pub(crate) fn new() -> Self {
        Self {
            deadline: Instant::now() + SETTLE_TIMEOUT,
            next: FIRST_PAUSE,
        }
    }

    /// Sleeps, or fails with [`StoreError::SequencingStalled`] once the time is up.
    pub(crate) async fn pause(&mut self) -> Result<(), StoreError> {
        let now = Instant::now();
        if now >= self.deadline {
            return Err(StoreError::SequencingStalled(SETTLE_TIMEOUT));
        }
        tokio::time::sleep(self.next.min(self.deadline - now)).await;
        self.next = (self.next * 2).min(LONGEST_PAUSE);
        Ok(())
    }
}
