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

/// [`RawEvent`] borrowed from wherever it was read: a scan hands each row to its caller
/// straight from SQLite's buffers, so decoding it costs no copy of its text first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawEventRef<'a> {
    pub position: i64,
    pub event_id: Uuid,
    pub aggregate_type: &'a str,
    pub aggregate_id: &'a str,
    pub sequence: i64,
    pub event_type: &'a str,
    pub event_version: &'a str,
    pub payload: &'a str,
    pub metadata: &'a str,
    pub effective_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
}

impl RawEvent {
    /// This event's fields, borrowed.
    pub fn borrowed(&self) -> RawEventRef<'_> {
        RawEventRef {
            position: self.position,
            event_id: self.event_id,
            aggregate_type: &self.aggregate_type,
            aggregate_id: &self.aggregate_id,
            sequence: self.sequence,
            event_type: &self.event_type,
            event_version: &self.event_version,
            payload: &self.payload,
            metadata: &self.metadata,
            effective_at: self.effective_at,
            recorded_at: self.recorded_at,
        }
    }
}

impl From<RawEventRef<'_>> for RawEvent {
    fn from(e: RawEventRef<'_>) -> Self {
        Self {
            position: e.position,
            event_id: e.event_id,
            aggregate_type: e.aggregate_type.to_owned(),
            aggregate_id: e.aggregate_id.to_owned(),
            sequence: e.sequence,
            event_type: e.event_type.to_owned(),
            event_version: e.event_version.to_owned(),
            payload: e.payload.to_owned(),
            metadata: e.metadata.to_owned(),
            effective_at: e.effective_at,
            recorded_at: e.recorded_at,
        }
    }
}

impl Ledger {
    /// [`Ledger::read_global_raw`] handing each event, borrowed, to `each` on a blocking thread
    /// and answering what it made of them, in order; the first error of `each` ends the page.
    ///
    /// For folds over the whole log: on a SQLite file `each` sees the row where the scan
    /// stepped to it, so the page's text is never copied into a [`RawEvent`] first (nine
    /// allocations an event), and decoding runs beside whatever consumes the answer.
    pub async fn scan_global_raw<T, E, F>(
        &self,
        after: i64,
        limit: u32,
        each: F,
    ) -> Result<Vec<T>, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnMut(RawEventRef<'_>) -> Result<T, E> + Send + 'static,
    {
        if let Some(scanner) = &self.scanner {
            return scanner.scan_global_raw(after, limit, each).await;
        }
        let records = self.read_global_raw(after, limit).await?;
        let mut each = each;
        let work = move || records.iter().map(|e| each(e.borrowed())).collect();
        match tokio::task::spawn_blocking(work).await {
            Ok(result) => result,
            // A blocking task is only cancelled when the runtime shuts down.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }

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
                    .map(|row| pg_raw_event(row, row.try_get("position")?))
                    .collect()
            }
        }
    }
}

impl Ledger {
    /// [`Ledger::read_stream`] without parsing payloads: every committed event of one stream,
    /// by sequence, with its position and times, payload and metadata as the JSON text stored.
    /// For readers that decode straight into the domain's types (a partner's live timeline).
    /// On PostgreSQL this waits (boundedly) for just-committed events to be sequenced.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend(), aggregate.r#type = aggregate_type, aggregate.id = aggregate_id), err)]
    pub async fn read_stream_raw(
        &self,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<Vec<RawEvent>, StoreError> {
        if let Some(scanner) = &self.scanner {
            return scanner.read_stream_raw(aggregate_type, aggregate_id).await;
        }
        let Db::Postgres(pool) = &self.db else {
            // An in-memory SQLite database (tests): no scanner can open it.
            return self
                .read_stream(aggregate_type, aggregate_id)
                .await?
                .into_iter()
                .map(RawEvent::try_from)
                .collect();
        };
        // A LEFT JOIN so an unsequenced event is noticed rather than silently left out.
        let sql = "SELECT p.position, e.event_id, e.aggregate_type, e.aggregate_id, e.sequence, \
             e.event_type, e.event_version, e.payload::text AS payload, \
             e.metadata::text AS metadata, e.effective_at, e.recorded_at \
             FROM events e LEFT JOIN event_positions p ON p.event_id = e.id \
             WHERE e.aggregate_type = $1 AND e.aggregate_id = $2 ORDER BY e.sequence";
        let mut backoff = sequencer::Backoff::new();
        loop {
            let rows = sqlx::query(sql)
                .bind(aggregate_type)
                .bind(aggregate_id)
                .fetch_all(pool)
                .await?;
            let positions = rows
                .iter()
                .map(|row| row.try_get::<Option<i64>, _>("position"))
                .collect::<Result<Vec<_>, _>>()?;
            if positions.iter().all(Option::is_some) {
                return rows
                    .iter()
                    .zip(positions)
                    .map(|(row, position)| pg_raw_event(row, position.unwrap_or_default()))
                    .collect();
            }
            sequencer::sequence(pool).await?;
            backoff.pause().await?;
        }
    }
}

impl Ledger {
    /// [`Ledger::read_stream_raw`] of each of `streams` in turn, one after another in the
    /// answer. On a SQLite file they are read in one blocking call on one connection: a reader
    /// of a partner's half-dozen streams waits for a connection once, not once per stream.
    pub async fn read_streams_raw(
        &self,
        streams: &[(&str, &str)],
    ) -> Result<Vec<RawEvent>, StoreError> {
        if let Some(scanner) = &self.scanner {
            return scanner.read_streams_raw(streams).await;
        }
        let mut events = Vec::new();
        for (aggregate_type, aggregate_id) in streams {
            events.extend(self.read_stream_raw(aggregate_type, aggregate_id).await?);
        }
        Ok(events)
    }
}

impl TryFrom<crate::record::RecordedEvent> for RawEvent {
    type Error = StoreError;

    fn try_from(e: crate::record::RecordedEvent) -> Result<Self, Self::Error> {
        let text = |what: &'static str, v: &serde_json::Value| {
            serde_json::to_string(v).map_err(|err| StoreError::Corrupt {
                what,
                detail: err.to_string(),
            })
        };
        Ok(Self {
            payload: text("payload", &e.payload)?,
            metadata: text("metadata", &e.metadata)?,
            position: e.position,
            event_id: e.event_id,
            aggregate_type: e.aggregate_type,
            aggregate_id: e.aggregate_id,
            sequence: e.sequence,
            event_type: e.event_type,
            event_version: e.event_version,
            effective_at: e.effective_at,
            recorded_at: e.recorded_at,
        })
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

/// A PostgreSQL row of the event columns (payload and metadata as text) at `position`.
fn pg_raw_event(row: &sqlx::postgres::PgRow, position: i64) -> Result<RawEvent, StoreError> {
    Ok(RawEvent {
        position,
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
}
