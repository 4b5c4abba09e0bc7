//! Appending events: one transaction per command, optimistic concurrency by the unique
//! (aggregate_type, aggregate_id, sequence) key, and the global position assigned before
//! returning.

use channel_ledger_domain::metadata::EFFECTIVE_AT_KEY;
use chrono::{DateTime, Utc};
use cqrs_es::persist::SerializedEvent;
use sqlx::types::Json;
use uuid::Uuid;

use crate::ledger::{Db, Ledger};
use crate::{sequencer, sqlite_text, StoreError};

/// The unique key whose violation means "someone appended to this stream first".
const STREAM_SEQUENCE_KEY: &str = "events_stream_sequence_key";
/// SQLite reports the key by its columns rather than its name.
const SQLITE_STREAM_SEQUENCE_COLUMNS: &str =
    "events.aggregate_type, events.aggregate_id, events.sequence";
/// SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
const SQLITE_UNIQUE_CODES: [&str; 2] = ["2067", "1555"];
const PG_UNIQUE_VIOLATION: &str = "23505";

/// An event checked and ready to insert.
struct NewEvent<'a> {
    event_id: Uuid,
    sequence: i64,
    effective_at: DateTime<Utc>,
    event: &'a SerializedEvent,
}

impl<'a> NewEvent<'a> {
    fn prepare(event: &'a SerializedEvent) -> Result<Self, StoreError> {
        let refuse = |detail: String| StoreError::MissingEffectiveAt {
            aggregate_type: event.aggregate_type.clone(),
            aggregate_id: event.aggregate_id.clone(),
            event_type: event.event_type.clone(),
            detail,
        };
        let text = event
            .metadata
            .get(EFFECTIVE_AT_KEY)
            .ok_or_else(|| refuse(format!("the metadata has no `{EFFECTIVE_AT_KEY}` key")))?
            .as_str()
            .ok_or_else(|| refuse(format!("`{EFFECTIVE_AT_KEY}` is not a string")))?;
        let effective_at = DateTime::parse_from_rfc3339(text)
            .map_err(|e| refuse(format!("`{text}`: {e}")))?
            .with_timezone(&Utc);
        let sequence = i64::try_from(event.sequence).map_err(|_| StoreError::Corrupt {
            what: "sequence",
            detail: format!("{} does not fit a database integer", event.sequence),
        })?;
        Ok(Self {
            event_id: Uuid::now_v7(),
            sequence,
            effective_at,
            event,
        })
    }

    fn conflict(&self) -> StoreError {
        StoreError::Conflict {
            aggregate_type: self.event.aggregate_type.clone(),
            aggregate_id: self.event.aggregate_id.clone(),
            sequence: self.sequence,
        }
    }

    /// Maps the stream key's violation to a conflict; any other error passes through.
    fn classify(&self, err: sqlx::Error) -> StoreError {
        if let Some(db) = err.as_database_error() {
            let code = db.code();
            let code = code.as_deref().unwrap_or_default();
            let is_stream_key = (code == PG_UNIQUE_VIOLATION
                && db.constraint() == Some(STREAM_SEQUENCE_KEY))
                || (SQLITE_UNIQUE_CODES.contains(&code)
                    && db.message().contains(SQLITE_STREAM_SEQUENCE_COLUMNS));
            if is_stream_key {
                return self.conflict();
            }
        }
        err.into()
    }
}

impl Ledger {
    /// Appends `events` atomically. Fails with [`StoreError::Conflict`] when another writer took
    /// one of their sequences first; then nothing is appended.
    #[tracing::instrument(skip_all, fields(
        db.backend = %self.backend(),
        aggregate.r#type = events.first().map(|e| e.aggregate_type.as_str()),
        aggregate.id = events.first().map(|e| e.aggregate_id.as_str()),
        events.count = events.len(),
    ), err)]
    pub(crate) async fn append(&self, events: &[SerializedEvent]) -> Result<(), StoreError> {
        if events.is_empty() {
            return Ok(());
        }
        let events = events
            .iter()
            .map(NewEvent::prepare)
            .collect::<Result<Vec<_>, _>>()?;
        match &self.db {
            Db::Sqlite(pool) => append_sqlite(pool, &events).await,
            Db::Postgres(pool) => append_postgres(pool, &events).await,
        }
    }
}

/// `INSERT INTO events (…) VALUES (…), (…), …` for `n` events with `?` or `$n` placeholders.
/// One statement is atomic on its own, so a command's events need no explicit transaction: that
/// saves the BEGIN and COMMIT round trips, and on SQLite an autocommit write takes the write lock
/// at once, so it cannot deadlock against another writer.
fn insert_statement(n: usize, numbered: bool, returning: &str) -> String {
    const COLUMNS: usize = 9;
    let mut sql = String::from(
        "INSERT INTO events (event_id, aggregate_type, aggregate_id, sequence, event_type, \
         event_version, payload, metadata, effective_at) VALUES ",
    );
    for row in 0..n {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for col in 0..COLUMNS {
            if col > 0 {
                sql.push_str(", ");
            }
            if numbered {
                sql.push_str(&format!("${}", row * COLUMNS + col + 1));
            } else {
                sql.push('?');
            }
        }
        sql.push(')');
    }
    sql.push_str(returning);
    sql
}

/// The first event of a batch that conflicts stands for the whole batch's conflict.
fn classify(events: &[NewEvent<'_>], err: sqlx::Error) -> StoreError {
    events[0].classify(err)
}

async fn append_sqlite(pool: &sqlx::SqlitePool, events: &[NewEvent<'_>]) -> Result<(), StoreError> {
    let sql = insert_statement(events.len(), false, "");
    let mut query = sqlx::query(&sql);
    for new in events {
        let e = new.event;
        query = query
            .bind(new.event_id.hyphenated().to_string())
            .bind(&e.aggregate_type)
            .bind(&e.aggregate_id)
            .bind(new.sequence)
            .bind(&e.event_type)
            .bind(&e.event_version)
            .bind(Json(&e.payload))
            .bind(Json(&e.metadata))
            .bind(sqlite_text::instant(new.effective_at));
    }
    // The AFTER INSERT trigger gives each event its position inside the same statement.
    query
        .execute(pool)
        .await
        .map_err(|err| classify(events, err))?;
    Ok(())
}

async fn append_postgres(pool: &sqlx::PgPool, events: &[NewEvent<'_>]) -> Result<(), StoreError> {
    let sql = insert_statement(events.len(), true, " RETURNING id");
    let mut query = sqlx::query_scalar::<_, i64>(&sql);
    for new in events {
        let e = new.event;
        query = query
            .bind(new.event_id)
            .bind(&e.aggregate_type)
            .bind(&e.aggregate_id)
            .bind(new.sequence)
            .bind(&e.event_type)
            .bind(&e.event_version)
            .bind(Json(&e.payload))
            .bind(Json(&e.metadata))
            .bind(new.effective_at);
    }
    let ids = query
        .fetch_all(pool)
        .await
        .map_err(|err| classify(events, err))?;
    let last_id = ids.into_iter().max().unwrap_or_default();
    // The events are durable now; positions come from the sequencer once every older
    // transaction has settled. Waiting here gives read-your-writes on the global log.
    if let Err(err) = sequencer::await_position(pool, last_id).await {
        // The command did happen; a late position is not a reason to report it as failed.
        tracing::warn!(error = %err, "appended events are not sequenced yet");
    }
    Ok(())
}
