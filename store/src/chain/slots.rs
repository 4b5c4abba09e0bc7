//! Reading the chain in global order: every position with the event and the link it holds,
//! also where tampering removed one of them, for verification and export.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use uuid::Uuid;

use super::{canonical_json, Link};
use crate::ledger::{Db, Ledger};
use crate::{sequencer, sqlite_text, LogEntry, StoreError};

/// One position of the log as stored.
#[derive(Debug)]
pub(crate) struct Slot {
    pub position: i64,
    pub event: SlotEvent,
    /// `None` when no link is stored, or not 32 bytes.
    pub hash: Option<Link>,
}

#[derive(Debug)]
pub(crate) enum SlotEvent {
    /// The position names an event row that is gone.
    Missing,
    /// The row is there but does not decode: a column holds what the store never writes.
    Unreadable(String),
    Stored(Box<LogEntry>),
}

impl Slot {
    /// The entry with its stored link, or why this position cannot be part of a sound chain.
    pub fn into_entry(self) -> Result<LogEntry, String> {
        let hash = self.hash.ok_or("no link is stored for it")?;
        Ok(LogEntry {
            hash,
            ..self.into_event()?
        })
    }

    /// The entry with [`Link::GENESIS`] in place of its link, or why there is none.
    pub fn into_event(self) -> Result<LogEntry, String> {
        match self.event {
            SlotEvent::Missing => Err("its event is gone".to_owned()),
            SlotEvent::Unreadable(detail) => Err(detail),
            SlotEvent::Stored(entry) => Ok(*entry),
        }
    }
}

const SELECT: &str = "SELECT p.position, e.event_id, e.aggregate_type, e.aggregate_id, \
     e.sequence, e.event_type, e.event_version, {payload} AS payload, {metadata} AS metadata, \
     e.effective_at, e.recorded_at, c.link \
     FROM event_positions p \
     LEFT JOIN events e ON e.id = p.event_id \
     LEFT JOIN event_chain c ON c.position = p.position \
     WHERE p.position > $1 ORDER BY p.position LIMIT $2";

impl Ledger {
    /// Up to `limit` positions after `after`, ascending, with what each holds. Entries carry the
    /// canonical JSON of their payload and metadata and [`Link::GENESIS`] as a placeholder hash
    /// (the stored one is [`Slot::hash`]).
    pub(crate) async fn read_slots(&self, after: i64, limit: u32) -> Result<Vec<Slot>, StoreError> {
        match &self.db {
            Db::Sqlite(pool) => sqlite_slots(pool, after, limit).await,
            Db::Postgres(pool) => {
                let sql = SELECT
                    .replace("{payload}", "e.payload::text")
                    .replace("{metadata}", "e.metadata::text");
                let rows = sqlx::query(&sql)
                    .bind(after)
                    .bind(i64::from(limit))
                    .fetch_all(pool)
                    .await?;
                rows.iter().map(slot_from_pg).collect()
            }
        }
    }

    /// Gives every settled event its position and link first (PostgreSQL), so a walk over the
    /// chain covers everything committed before it started.
    pub(crate) async fn settle(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(_) => Ok(()),
            Db::Postgres(pool) => sequencer::sequence(pool).await,
        }
    }
}

/// [`Ledger::read_slots`] on SQLite, through a pool or inside a transaction.
pub(crate) async fn sqlite_slots<'c, E>(
    executor: E,
    after: i64,
    limit: u32,
) -> Result<Vec<Slot>, StoreError>
where
    E: sqlx::Executor<'c, Database = sqlx::Sqlite>,
{
    let sql = SELECT
        .replace("{payload}", "e.payload")
        .replace("{metadata}", "e.metadata");
    let rows = sqlx::query(&sql)
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(executor)
        .await?;
    rows.iter().map(slot_from_sqlite).collect()
}

/// The columns of one event, whichever backend decoded them.
struct Columns {
    event_id: Uuid,
    aggregate_type: String,
    aggregate_id: String,
    sequence: i64,
    event_type: String,
    event_version: String,
    payload: String,
    metadata: String,
    effective_at: DateTime<Utc>,
    recorded_at: DateTime<Utc>,
}

impl Columns {
    fn into_event(self, position: i64) -> SlotEvent {
        let canonical = |what: &str, text: &str| {
            canonical_json(text).map_err(|e| format!("its {what} is not JSON: {e}"))
        };
        let (payload, metadata) = match (
            canonical("payload", &self.payload),
            canonical("metadata", &self.metadata),
        ) {
            (Ok(payload), Ok(metadata)) => (payload, metadata),
            (Err(e), _) | (_, Err(e)) => return SlotEvent::Unreadable(e),
        };
        SlotEvent::Stored(Box::new(LogEntry {
            position,
            event_id: self.event_id,
            aggregate_type: self.aggregate_type,
            aggregate_id: self.aggregate_id,
            sequence: self.sequence,
            event_type: self.event_type,
            event_version: self.event_version,
            payload,
            metadata,
            effective_at: self.effective_at,
            recorded_at: self.recorded_at,
            hash: Link::GENESIS,
        }))
    }
}

fn slot_from_pg(row: &PgRow) -> Result<Slot, StoreError> {
    let position: i64 = row.try_get("position")?;
    let link: Option<Vec<u8>> = row.try_get("link")?;
    let event = match row.try_get::<Option<Uuid>, _>("event_id")? {
        None => SlotEvent::Missing,
        Some(event_id) => Columns {
            event_id,
            aggregate_type: row.try_get("aggregate_type")?,
            aggregate_id: row.try_get("aggregate_id")?,
            sequence: row.try_get("sequence")?,
            event_type: row.try_get("event_type")?,
            event_version: row.try_get("event_version")?,
            payload: row.try_get("payload")?,
            metadata: row.try_get("metadata")?,
            effective_at: row.try_get("effective_at")?,
            recorded_at: row.try_get("recorded_at")?,
        }
        .into_event(position),
    };
    Ok(Slot {
        position,
        event,
        hash: link.as_deref().and_then(Link::from_slice),
    })
}

fn slot_from_sqlite(row: &SqliteRow) -> Result<Slot, StoreError> {
    let position: i64 = row.try_get("position")?;
    let link: Option<Vec<u8>> = row.try_get("link")?;
    let event = match row.try_get::<Option<String>, _>("event_id")? {
        None => SlotEvent::Missing,
        Some(event_id) => match sqlite_columns(row, &event_id) {
            Ok(columns) => columns.into_event(position),
            Err(detail) => SlotEvent::Unreadable(detail),
        },
    };
    Ok(Slot {
        position,
        event,
        hash: link.as_deref().and_then(Link::from_slice),
    })
}

/// SQLite's columns hold any type: a value of the wrong one makes the event unreadable rather
/// than the walk fail.
fn sqlite_columns(row: &SqliteRow, event_id: &str) -> Result<Columns, String> {
    let get = |column: &str| -> Result<String, String> {
        row.try_get::<String, _>(column)
            .map_err(|e| format!("its {column} does not decode: {e}"))
    };
    let instant = |column: &'static str| {
        get(column).and_then(|text| {
            sqlite_text::parse_instant(column, &text).map_err(|e| format!("its {e}"))
        })
    };
    Ok(Columns {
        event_id: Uuid::parse_str(event_id).map_err(|e| format!("its event_id: {e}"))?,
        aggregate_type: get("aggregate_type")?,
        aggregate_id: get("aggregate_id")?,
        sequence: row
            .try_get("sequence")
            .map_err(|e| format!("its sequence does not decode: {e}"))?,
        event_type: get("event_type")?,
        event_version: get("event_version")?,
        payload: get("payload")?,
        metadata: get("metadata")?,
        effective_at: instant("effective_at")?,
        recorded_at: instant("recorded_at")?,
    })
}
