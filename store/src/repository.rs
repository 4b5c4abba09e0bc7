//! cqrs-es's view of the ledger: [`LedgerRepository`] loads and appends aggregate streams.
//!
//! Snapshots are not kept: the 0.5.0 snapshot stores are buggy (design.md §5), and aggregates
//! are rebuilt from their events.

use cqrs_es::persist::{
    PersistedEventRepository, PersistenceError, ReplayStream, SerializedEvent, SerializedSnapshot,
};
use cqrs_es::Aggregate;
use serde_json::Value;

use crate::ledger::{Db, Ledger};
use crate::record::{self, SERIALIZED_COLUMNS};
use crate::StoreError;

/// The ledger as a cqrs-es event repository; get one from [`Ledger::repository`].
#[derive(Clone, Debug)]
pub struct LedgerRepository {
    ledger: Ledger,
}

impl LedgerRepository {
    pub(crate) fn new(ledger: Ledger) -> Self {
        Self { ledger }
    }

    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
}

impl PersistedEventRepository for LedgerRepository {
    async fn get_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<Vec<SerializedEvent>, PersistenceError> {
        Ok(self.ledger.stream_events(A::TYPE, aggregate_id, 0).await?)
    }

    async fn get_last_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
        last_sequence: usize,
    ) -> Result<Vec<SerializedEvent>, PersistenceError> {
        let after = i64::try_from(last_sequence).unwrap_or(i64::MAX);
        Ok(self
            .ledger
            .stream_events(A::TYPE, aggregate_id, after)
            .await?)
    }

    async fn get_snapshot<A: Aggregate>(
        &self,
        _aggregate_id: &str,
    ) -> Result<Option<SerializedSnapshot>, PersistenceError> {
        Ok(None)
    }

    async fn persist<A: Aggregate>(
        &self,
        events: &[SerializedEvent],
        _snapshot_update: Option<(String, Value, usize)>,
    ) -> Result<(), PersistenceError> {
        Ok(self.ledger.append(events).await?)
    }

    async fn stream_events<A: Aggregate>(
        &self,
        aggregate_id: &str,
    ) -> Result<ReplayStream, PersistenceError> {
        let events = self.ledger.stream_events(A::TYPE, aggregate_id, 0).await?;
        replay(events).await
    }

    async fn stream_all_events<A: Aggregate>(&self) -> Result<ReplayStream, PersistenceError> {
        let events = self.ledger.type_events(A::TYPE).await?;
        replay(events).await
    }
}

/// A replay stream already holding `events` (its queue is sized to take them all).
async fn replay(events: Vec<SerializedEvent>) -> Result<ReplayStream, PersistenceError> {
    let (mut feed, stream) = ReplayStream::new(events.len().max(1));
    for event in events {
        feed.push(Ok(event)).await?;
    }
    Ok(stream)
}

impl Ledger {
    /// Every event of one aggregate type, in the order they were written.
    async fn type_events(&self, aggregate_type: &str) -> Result<Vec<SerializedEvent>, StoreError> {
        let sql = format!(
            "SELECT {SERIALIZED_COLUMNS} FROM events e WHERE e.aggregate_type = $1 ORDER BY e.id"
        );
        match &self.db {
            Db::Sqlite(pool) => {
                let rows = sqlx::query(&sql)
                    .bind(aggregate_type)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(record::serialized_from_sqlite).collect()
            }
            Db::Postgres(pool) => {
                let rows = sqlx::query(&sql)
                    .bind(aggregate_type)
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(record::serialized_from_pg).collect()
            }
        }
    }
}
