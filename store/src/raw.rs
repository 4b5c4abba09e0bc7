//! The global log with payload and metadata left as JSON text: for folds over the whole log
//! (projection rebuild, time travel), which decode each payload once, straight into the domain's
//! types, instead of building a `serde_json::Value` first and converting it again.

use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

use crate::ledger::{Db, Ledger};
use crate::{sequencer, sqlite_text, StoreError};

/// One event of the log, its payload and metadata as the JSON text the database holds.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent {
    pub position: i64,
    pub event_id: Uuid,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: String,
    pub metadata: String,
    pub effective_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
}

impl Ledger {
    /// [`Ledger::read_global`] without parsing payloads: up to `limit` events with
    /// `position > after`, ascending, never skipping one.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend(), log.after = after, log.limit = limit), err)]
    pub async fn read_global_raw(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<RawEvent>, StoreError> {
        if let Some(scanner) = &self.scanner {
            return scanner.read_global_raw(after, limit).await;
        }
        let limit = i64::from(limit);
        match &self.db {
            Db::Sqlite(pool) => {
                let rows = sqlx::query(&select("e.payload", "e.metadata"))
                    .bind(after)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        let event_id: uuid::fmt::Hyphenated = row.try_get("event_id")?;
                        Ok(RawEvent {
                            position: row.try_get("position")?,
                            event_id: event_id.into_uuid(),
                            aggregate_type: row.try_get("aggregate_type")?,
                            aggregate_id: row.try_get("aggregate_id")?,
                            sequence: row.try_get("sequence")?,
                            event_type: row.try_get("event_type")?,
                            event_version: row.try_get("event_version")?,
                            payload: row.try_get("payload")?,
                            metadata: row.try_get("metadata")?,
                            effective_at: sqlite_text::parse_instant(
                                "effective_at",
                                row.try_get("effective_at")?,
                            )?,
                            recorded_at: sqlite_text::parse_instant(
                                "recorded_at",
                                row.try_get("recorded_at")?,
                            )?,
                        })
                    })
                    .collect()
            }
            Db::Postgres(pool) => {
                sequencer::sequence_unless_busy(pool).await?;
                let rows = sqlx::query(&select("e.payload::text", "e.metadata::text"))
                    .bind(after)
                    .bind(limit)
                    .fetch_all(pool)
                    .await?;
                rows.iter()
                    .map(|row| {
                        Ok(RawEvent {
                            position: row.try_get("position")?,
                            event_id: row.try_get("event_id")?,
                            aggregate_type: row.try_get("aggregate_type")?,
                            aggregate_id: row.try_get("aggregate_id")?,
                            sequence: row.try_get("sequence")?,
                            event_type: row.try_get("event_type")?,
                            event_version: row.try_get("event_version")?,
                            payload: row.try_get("payload")?,
                            metadata: row.try_get("metadata")?,
                            effective_at: row.try_get("effective_at")?,
                            recorded_at: row.try_get("recorded_at")?,
                        })
                    })
                    .collect()
            }
        }
    }
}

fn select(payload: &str, metadata: &str) -> String {
    format!(
        "SELECT p.position, e.event_id, e.aggregate_type, e.aggregate_id, e.sequence, \
         e.event_type, e.event_version, {payload} AS payload, {metadata} AS metadata, \
         e.effective_at, e.recorded_at \
         FROM event_positions p JOIN events e ON e.id = p.event_id \
         WHERE p.position > $1 ORDER BY p.position LIMIT $2"
    )
}
