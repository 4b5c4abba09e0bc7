//! Events as read back from the log, with their place in the global order and both times.

use chrono::{DateTime, Utc};
use cqrs_es::persist::SerializedEvent;
use serde::{Deserialize, Serialize};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::types::Json;
use sqlx::Row;
use uuid::Uuid;

use crate::raw::RawEvent;
use crate::{sqlite_text, StoreError};

/// One event of the log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    /// Place in the global order: 1, 2, 3, … without gaps.
    pub position: i64,
    pub event_id: Uuid,
    pub aggregate_type: String,
    pub aggregate_id: String,
    /// Place in its stream, from 1.
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: serde_json::Value,
    /// The cqrs-es metadata map (a JSON object of strings).
    pub metadata: serde_json::Value,
    /// When it happened in the world (from the metadata).
    pub effective_at: DateTime<Utc>,
    /// When the database recorded it.
    pub recorded_at: DateTime<Utc>,
}

/// The columns [`RecordedEvent`] is decoded from, for `events e JOIN event_positions p`.
pub(crate) const RECORDED_COLUMNS: &str = "p.position, e.event_id, e.aggregate_type, \
     e.aggregate_id, e.sequence, e.event_type, e.event_version, e.payload, e.metadata, \
     e.effective_at, e.recorded_at";

/// The columns [`SerializedEvent`] is decoded from, for `events e`.
pub(crate) const SERIALIZED_COLUMNS: &str = "e.aggregate_type, e.aggregate_id, e.sequence, \
     e.event_type, e.event_version, e.payload, e.metadata";

impl RecordedEvent {
    pub(crate) fn from_pg(row: &PgRow) -> Result<Self, StoreError> {
        Ok(Self {
            position: row.try_get("position")?,
            event_id: row.try_get("event_id")?,
            aggregate_type: row.try_get("aggregate_type")?,
            aggregate_id: row.try_get("aggregate_id")?,
            sequence: row.try_get("sequence")?,
            event_type: row.try_get("event_type")?,
            event_version: row.try_get("event_version")?,
            payload: row.try_get::<Json<_>, _>("payload")?.0,
            metadata: row.try_get::<Json<_>, _>("metadata")?.0,
            effective_at: row.try_get("effective_at")?,
            recorded_at: row.try_get("recorded_at")?,
        })
    }

    pub(crate) fn from_sqlite(row: &SqliteRow) -> Result<Self, StoreError> {
        let event_id: uuid::fmt::Hyphenated = row.try_get("event_id")?;
        Ok(Self {
            position: row.try_get("position")?,
            event_id: event_id.into_uuid(),
            aggregate_type: row.try_get("aggregate_type")?,
            aggregate_id: row.try_get("aggregate_id")?,
            sequence: row.try_get("sequence")?,
            event_type: row.try_get("event_type")?,
            event_version: row.try_get("event_version")?,
            payload: row.try_get::<Json<_>, _>("payload")?.0,
            metadata: row.try_get::<Json<_>, _>("metadata")?.0,
            effective_at: sqlite_text::parse_instant("effective_at", row.try_get("effective_at")?)?,
            recorded_at: sqlite_text::parse_instant("recorded_at", row.try_get("recorded_at")?)?,
        })
    }
}

/// Decodes the [`SERIALIZED_COLUMNS`] of a PostgreSQL row.
pub(crate) fn serialized_from_pg(row: &PgRow) -> Result<SerializedEvent, StoreError> {
    Ok(SerializedEvent {
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: sequence_from_db(row.try_get("sequence")?)?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        payload: row.try_get::<Json<_>, _>("payload")?.0,
        metadata: row.try_get::<Json<_>, _>("metadata")?.0,
    })
}

pub(crate) fn serialized_from_sqlite(row: &SqliteRow) -> Result<SerializedEvent, StoreError> {
    Ok(SerializedEvent {
        aggregate_type: row.try_get("aggregate_type")?,
        aggregate_id: row.try_get("aggregate_id")?,
        sequence: sequence_from_db(row.try_get("sequence")?)?,
        event_type: row.try_get("event_type")?,
        event_version: row.try_get("event_version")?,
        payload: row.try_get::<Json<_>, _>("payload")?.0,
        metadata: row.try_get::<Json<_>, _>("metadata")?.0,
    })
}

/// A stored JSON text, parsed.
pub(crate) fn json(what: &'static str, text: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}

impl TryFrom<RawEvent> for RecordedEvent {
    type Error = StoreError;

    fn try_from(raw: RawEvent) -> Result<Self, StoreError> {
        Ok(Self {
            payload: json("payload", &raw.payload)?,
            metadata: json("metadata", &raw.metadata)?,
            position: raw.position,
            event_id: raw.event_id,
            aggregate_type: raw.aggregate_type,
            aggregate_id: raw.aggregate_id,
            sequence: raw.sequence,
            event_type: raw.event_type,
            event_version: raw.event_version,
            effective_at: raw.effective_at,
            recorded_at: raw.recorded_at,
        })
    }
}

pub(crate) fn sequence_from_db(sequence: i64) -> Result<usize, StoreError> {
    usize::try_from(sequence).map_err(|_| StoreError::Corrupt {
        what: "sequence",
        detail: format!("{sequence} is not a stream position"),
    })
}
