//! A SQLite append in one blocking call on the log's own rusqlite connection.
//!
//! Through sqlx an append was two calls to its worker thread, each a pair of thread hand-offs,
//! and perf showed those hand-offs, not SQLite, dominating the command path. Here the whole
//! transaction — take the write lock, read the chain's head, insert the events with the times
//! the database gives them, number and link them, fence the idempotency claim, commit — runs on
//! one blocking thread. One connection, behind a mutex, is every append's: SQLite has one writer
//! anyway, and appenders queue on the mutex instead of in SQLite's busy handler.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

use crate::chain::sqlite::HEAD;
use crate::chain::{ChainHead, Link, Linked};
use crate::{idempotency, sqlite_text, StoreError};

const INSERT: &str = "INSERT INTO events (event_id, aggregate_type, aggregate_id, sequence, \
    event_type, event_version, payload, metadata, effective_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id, recorded_at";
const PLACE: &str = "INSERT INTO event_positions (position, event_id) VALUES (?1, ?2)";
const LINK: &str = "INSERT INTO event_chain (position, link) VALUES (?1, ?2)";

/// An event ready to insert, owned so it can cross to the blocking thread.
pub(crate) struct NewRow {
    pub event_id: Uuid,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    pub payload: String,
    pub metadata: String,
    /// Payload and metadata in the canonical form the link covers.
    pub canonical_payload: String,
    pub canonical_metadata: String,
    pub effective_at: DateTime<Utc>,
}

/// How an append fails before SQLite's own errors are mapped: a taken sequence, which the
/// caller reports as a conflict on that row.
pub(crate) enum AppendError {
    /// Another writer appended this row's sequence of its stream first.
    Taken(usize),
    Store(StoreError),
}

impl<E: Into<StoreError>> From<E> for AppendError {
    fn from(err: E) -> Self {
        Self::Store(err.into())
    }
}

/// The log's writer connection.
#[derive(Debug)]
pub(crate) struct Appender {
    path: PathBuf,
    connection: Mutex<Option<Connection>>,
}

impl Appender {
    pub(crate) fn new(path: &Path) -> Arc<Self> {
        Arc::new(Self {
            path: path.to_path_buf(),
            connection: Mutex::new(None),
        })
    }

    /// Appends `rows` atomically (after checking that `claim` is still held, when given).
    pub(crate) async fn append(
        self: &Arc<Self>,
        rows: Vec<NewRow>,
        claim: Option<(Uuid, i32)>,
    ) -> Result<(), AppendError> {
        let appender = Arc::clone(self);
        let work = move || {
            let mut slot = appender
                .connection
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let connection = match slot.as_mut() {
                Some(connection) => connection,
                None => slot.insert(open(&appender.path)?),
            };
            let appended = write(connection, &rows, claim);
            if let Err(AppendError::Store(_)) = appended {
                // A failed COMMIT can leave the transaction open, and a connection that met a
                // read-only or failing file keeps failing after it is repaired: the next append
                // opens a fresh one.
                *slot = None;
            }
            appended
        };
        match tokio::task::spawn_blocking(work).await {
            Ok(appended) => appended,
            // A blocking task is only cancelled when the runtime shuts down.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}

/// The connection the pool's options would give: WAL, `synchronous = NORMAL`, foreign keys.
fn open(path: &Path) -> Result<Connection, StoreError> {
    let connection = Connection::open(path)?;
    connection.busy_timeout(crate::ledger::SQLITE_BUSY_TIMEOUT)?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.pragma_update(None, "foreign_keys", true)?;
    Ok(connection)
}

fn write(
    connection: &mut Connection,
    rows: &[NewRow],
    claim: Option<(Uuid, i32)>,
) -> Result<(), AppendError> {
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let head = head(&tx)?;
    let mut previous = head.hash;
    let mut placed = Vec::with_capacity(rows.len());
    {
        let mut insert = tx.prepare_cached(INSERT)?;
        for (i, (row, position)) in rows.iter().zip(head.position + 1..).enumerate() {
            let inserted = insert.query_row(
                params![
                    row.event_id.hyphenated().to_string(),
                    row.aggregate_type,
                    row.aggregate_id,
                    row.sequence,
                    row.event_type,
                    row.event_version,
                    row.payload,
                    row.metadata,
                    sqlite_text::instant(row.effective_at),
                ],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            );
            let (row_id, recorded_at) = match inserted {
                Err(err) if is_stream_key(&err) => return Err(AppendError::Taken(i)),
                other => other?,
            };
            let link = Linked {
                position,
                event_id: row.event_id,
                aggregate_type: &row.aggregate_type,
                aggregate_id: &row.aggregate_id,
                sequence: row.sequence,
                event_type: &row.event_type,
                event_version: &row.event_version,
                payload: &row.canonical_payload,
                metadata: &row.canonical_metadata,
                effective_at: row.effective_at,
                recorded_at: sqlite_text::parse_instant("recorded_at", &recorded_at)?,
            }
            .link_after(&previous);
            placed.push((position, row_id, link));
            previous = link;
        }
    }
    if let Some((claim_id, attempt)) = claim {
        let held = tx.execute(
            idempotency::FENCE,
            params![claim_id.hyphenated().to_string(), attempt],
        )?;
        idempotency::fenced(held as u64, claim_id, attempt)?;
    }
    {
        let mut place = tx.prepare_cached(PLACE)?;
        let mut link = tx.prepare_cached(LINK)?;
        for (position, row_id, hash) in &placed {
            place.execute(params![position, row_id])?;
            link.execute(params![position, hash.as_bytes().as_slice()])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The last position and its link; the empty chain for an empty log.
fn head(tx: &Transaction<'_>) -> Result<ChainHead, StoreError> {
    let row: Option<(i64, Option<Vec<u8>>)> = tx
        .query_row(HEAD, [], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((position, link)) = row else {
        return Ok(ChainHead::EMPTY);
    };
    let hash = link
        .as_deref()
        .and_then(Link::from_slice)
        .ok_or_else(|| StoreError::Corrupt {
            what: "hash chain",
            detail: format!("the last position, {position}, has no valid link"),
        })?;
    Ok(ChainHead { position, hash })
}

/// The stream's (aggregate_type, aggregate_id, sequence) key was violated.
fn is_stream_key(err: &rusqlite::Error) -> bool {
    matches!(
        err,
        rusqlite::Error::SqliteFailure(e, Some(message))
            if e.code == rusqlite::ErrorCode::ConstraintViolation
                && message.contains(crate::append::SQLITE_STREAM_SEQUENCE_COLUMNS)
    )
}
