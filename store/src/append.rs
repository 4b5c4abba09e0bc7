//! Appending events: one transaction per command, optimistic concurrency by the unique
//! (aggregate_type, aggregate_id, sequence) key, and the global position assigned before
//! returning.

use channel_ledger_domain::metadata::EFFECTIVE_AT_KEY;
use chrono::{DateTime, Utc};
use cqrs_es::persist::SerializedEvent;
use sqlx::types::Json;
use sqlx::Row;
use uuid::Uuid;

use crate::chain::sqlite::Placed;
use crate::chain::{self, canonical_json, Linked};
use crate::ledger::{Db, Ledger};
use crate::sqlite_write::{self, WriteTx};
use crate::{idempotency, sequencer, sqlite_text, Claim, StoreError};

/// The unique key whose violation means "someone appended to this stream first".
const STREAM_SEQUENCE_KEY: &str = "events_stream_sequence_key";
/// SQLite reports the key by its columns rather than its name.
const SQLITE_STREAM_SEQUENCE_COLUMNS: &str =
    "events.aggregate_type, events.aggregate_id, events.sequence";
/// SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
const SQLITE_UNIQUE_CODES: [&str; 2] = ["2067", "1555"];
const PG_UNIQUE_VIOLATION: &str = "23505";
/// The in-process key SQLite appends hold ([`Ledger::lock`]).
const SQLITE_APPEND_KEY: &str = "sqlite-append";

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
        // A command's events share its metadata, and so its idempotency claim.
        let claim = Claim::of_metadata(&events[0].metadata);
        let events = events
            .iter()
            .map(NewEvent::prepare)
            .collect::<Result<Vec<_>, _>>()?;
        match &self.db {
            Db::Sqlite(pool) => {
                // Appenders queue here rather than in SQLite's busy handler, which sleeps in
                // steps of milliseconds while the write lock is held (one process owns the file).
                let writer = self.lock(SQLITE_APPEND_KEY).await?;
                let appended = append_sqlite(pool, &events, claim).await;
                writer.release().await;
                appended
            }
            Db::Postgres(pool) => append_postgres(pool, &events, claim).await,
        }
    }
}

/// `INSERT INTO events (…) VALUES (…), (…), …` for `n` events with `?` or `$n` placeholders.
/// On PostgreSQL one statement is atomic on its own, so a command's events need no explicit
/// transaction: that saves the BEGIN and COMMIT round trips. SQLite numbers and links them in the
/// same transaction, begun IMMEDIATE so it holds the write lock from the start.
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

/// An idempotency claim and attempt the events are appended under: the append checks in its
/// transaction that the attempt still holds the claim (src/idempotency.rs).
type ClaimHeld = Option<(Uuid, i32)>;

async fn append_sqlite(
    pool: &sqlx::SqlitePool,
    events: &[NewEvent<'_>],
    claim: ClaimHeld,
) -> Result<(), StoreError> {
    let texts = events
        .iter()
        .map(|new| JsonTexts::of(new.event))
        .collect::<Result<Vec<_>, _>>()?;
    let mut tx = WriteTx::acquire(pool).await?;
    match append_linked(tx.conn(), events, &texts, claim).await {
        Ok(()) => {
            tx.committed();
            Ok(())
        }
        Err(err) => {
            tx.abandon().await;
            Err(err)
        }
    }
}

/// Two calls: begin, read the head and insert the events with the times the database gave them;
/// then number and link them after the head, and commit. The write lock is taken first, so the
/// head stays the head until the commit.
async fn append_linked(
    conn: &mut sqlx::SqliteConnection,
    events: &[NewEvent<'_>],
    texts: &[JsonTexts],
    claim: ClaimHeld,
) -> Result<(), StoreError> {
    let sql = format!(
        "{}{}; {}",
        sqlite_write::BEGIN,
        chain::sqlite::HEAD,
        insert_statement(events.len(), false, " RETURNING id, event_id, recorded_at")
    );
    let mut query = sqlx::query(&sql);
    for (new, texts) in events.iter().zip(texts) {
        let e = new.event;
        query = query
            .bind(new.event_id.hyphenated().to_string())
            .bind(&e.aggregate_type)
            .bind(&e.aggregate_id)
            .bind(new.sequence)
            .bind(&e.event_type)
            .bind(&e.event_version)
            .bind(&texts.payload)
            .bind(&texts.metadata)
            .bind(sqlite_text::instant(new.effective_at));
    }
    let (head, rows): (Vec<_>, Vec<_>) = query
        .fetch_all(&mut *conn)
        .await
        .map_err(|err| classify(events, err))?
        .into_iter()
        .partition(|row| row.try_column("link").is_ok());
    let head = chain::sqlite::head_from(head.first())?;
    // Positions follow the command's order of events, each linked to the one before.
    let mut previous = head.hash;
    let mut placed = Vec::with_capacity(events.len());
    for ((new, texts), position) in events.iter().zip(texts).zip(head.position + 1..) {
        let event_id = new.event_id.hyphenated().to_string();
        let row = rows
            .iter()
            .find(|row| {
                row.try_get::<&str, _>("event_id")
                    .is_ok_and(|id| id == event_id)
            })
            .ok_or_else(|| StoreError::Corrupt {
                what: "appended event",
                detail: format!("the insert did not return event {event_id}"),
            })?;
        let e = new.event;
        let link = Linked {
            position,
            event_id: new.event_id,
            aggregate_type: &e.aggregate_type,
            aggregate_id: &e.aggregate_id,
            sequence: new.sequence,
            event_type: &e.event_type,
            event_version: &e.event_version,
            payload: &texts.canonical_payload,
            metadata: &texts.canonical_metadata,
            effective_at: new.effective_at,
            recorded_at: sqlite_text::parse_instant("recorded_at", row.try_get("recorded_at")?)?,
        }
        .link_after(&previous);
        placed.push(Placed {
            position,
            row_id: row.try_get("id")?,
            link,
        });
        previous = link;
    }
    if let Some((claim_id, attempt)) = claim {
        idempotency::fence_sqlite(&mut *conn, claim_id, attempt).await?;
    }
    chain::sqlite::place(conn, &placed, sqlite_write::COMMIT).await
}

/// An event's payload and metadata as SQLite stores them, and in the canonical form its link
/// covers.
struct JsonTexts {
    payload: String,
    metadata: String,
    canonical_payload: String,
    canonical_metadata: String,
}

impl JsonTexts {
    fn of(event: &SerializedEvent) -> Result<Self, StoreError> {
        let payload = event.payload.to_string();
        let metadata = event.metadata.to_string();
        let canonical = |what, text: &str| {
            canonical_json(text).map_err(|e| StoreError::Corrupt {
                what,
                detail: e.to_string(),
            })
        };
        Ok(Self {
            canonical_payload: canonical("payload", &payload)?,
            canonical_metadata: canonical("metadata", &metadata)?,
            payload,
            metadata,
        })
    }
}

async fn append_postgres(
    pool: &sqlx::PgPool,
    events: &[NewEvent<'_>],
    claim: ClaimHeld,
) -> Result<(), StoreError> {
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
    let ids = match claim {
        None => query
            .fetch_all(pool)
            .await
            .map_err(|err| classify(events, err))?,
        // The claim's check and mark commit with the events, or neither does.
        Some((claim_id, attempt)) => {
            let mut tx = pool.begin().await?;
            idempotency::fence_postgres(&mut tx, claim_id, attempt).await?;
            let ids = query
                .fetch_all(&mut *tx)
                .await
                .map_err(|err| classify(events, err))?;
            tx.commit().await?;
            ids
        }
    };
    let last_id = ids.into_iter().max().unwrap_or_default();
    // The events are durable now; positions come from the sequencer once every older
    // transaction has settled. Waiting here gives read-your-writes on the global log.
    if let Err(err) = sequencer::await_position(pool, last_id).await {
        // The command did happen; a late position is not a reason to report it as failed.
        tracing::warn!(error = %err, "appended events are not sequenced yet");
    }
    Ok(())
}
