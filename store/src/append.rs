//! Appending events: one transaction per command, optimistic concurrency by the unique
//! (aggregate_type, aggregate_id, sequence) key, and the global position assigned before
//! returning.

use channel_ledger_domain::metadata::EFFECTIVE_AT_KEY;
use chrono::{DateTime, Utc};
use cqrs_es::persist::SerializedEvent;
use sqlx::types::Json;
use uuid::Uuid;

use crate::chain::canonical_json;
use crate::ledger::{Db, Ledger};
use crate::sqlite_append::{AppendError, NewRow};
use crate::{idempotency, sequencer, Claim, StoreError};

/// The unique key whose violation means "someone appended to this stream first".
const STREAM_SEQUENCE_KEY: &str = "events_stream_sequence_key";
/// SQLite reports the key by its columns rather than its name.
pub(crate) const SQLITE_STREAM_SEQUENCE_COLUMNS: &str =
    "events.aggregate_type, events.aggregate_id, events.sequence";
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

    /// The row the SQLite appender inserts, with the texts the link covers.
    fn row(&self) -> Result<NewRow, StoreError> {
        let e = self.event;
        let texts = JsonTexts::of(e)?;
        Ok(NewRow {
            event_id: self.event_id,
            aggregate_type: e.aggregate_type.clone(),
            aggregate_id: e.aggregate_id.clone(),
            sequence: self.sequence,
            event_type: e.event_type.clone(),
            event_version: e.event_version.clone(),
            payload: texts.payload,
            metadata: texts.metadata,
            canonical_payload: texts.canonical_payload,
            canonical_metadata: texts.canonical_metadata,
            effective_at: self.effective_at,
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
            if db.code().as_deref() == Some(PG_UNIQUE_VIOLATION)
                && db.constraint() == Some(STREAM_SEQUENCE_KEY)
            {
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
            Db::Sqlite(_) => {
                let appender = self.appender.as_ref().expect("a SQLite ledger has a file");
                let rows = events
                    .iter()
                    .map(NewEvent::row)
                    .collect::<Result<Vec<_>, _>>()?;
                match appender.append(rows, claim).await {
                    Ok(()) => Ok(()),
                    Err(AppendError::Taken(i)) => Err(events[i].conflict()),
                    Err(AppendError::Store(err)) => Err(err),
                }
            }
            Db::Postgres(pool) => append_postgres(pool, &events, claim).await,
        }
    }
}

/// `INSERT INTO events (…) VALUES ($1, …), ($10, …), …` for `n` events. One statement is
/// atomic on its own, so a command's events need no explicit transaction: that saves the BEGIN
/// and COMMIT round trips.
fn insert_statement(n: usize, returning: &str) -> String {
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
            sql.push_str(&format!("${}", row * COLUMNS + col + 1));
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

/// An event's payload and metadata as SQLite stores them, and in the canonical form its link
/// covers (PostgreSQL's sequencer computes its links itself).
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
    let sql = insert_statement(events.len(), " RETURNING id");
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
