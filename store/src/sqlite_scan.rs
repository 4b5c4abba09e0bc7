//! Bulk scans of the SQLite log through rusqlite (docs/adr/0008-bulk-reads.md).
//!
//! sqlx runs every SQLite connection on a worker thread and hands each row to the async side
//! through a channel; measured here, that is ~11 µs a row, so a fold over a million events would
//! spend eleven seconds just receiving rows. rusqlite steps the same statement on the calling
//! thread at under 2 µs a row. A scan runs on a blocking thread with its own read-only
//! connection to the same file; WAL mode gives it a consistent snapshot beside the pool's writer.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Row};
use sqlx::sqlite::SqliteConnectOptions;
use tokio::sync::Semaphore;

use cqrs_es::persist::SerializedEvent;

use crate::raw::{RawEvent, RawEventRef};
use crate::record::{self, RecordedEvent};
use crate::{sqlite_text, StoreError};

/// How long a scan waits when the file is busy (only WAL recovery blocks a reader).
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Read-only connections open at once; further reads wait for one. Each connection keeps its
/// own page cache (up to 2 MiB at SQLite's default), and they were never closed: 64 concurrent
/// HTTP reads left 64 of them, about 100 MiB of a served million-event ledger's heap. Two
/// cores do not read faster with more.
const READERS: usize = 8;

const GLOBAL_PAGE: &str = "SELECT p.position, e.event_id, e.aggregate_type, e.aggregate_id, \
    e.sequence, e.event_type, e.event_version, e.payload, e.metadata, e.effective_at, \
    e.recorded_at \
    FROM event_positions p JOIN events e ON e.id = p.event_id \
    WHERE p.position > ?1 ORDER BY p.position LIMIT ?2";

const STREAM_EVENTS: &str = "SELECT aggregate_type, aggregate_id, sequence, event_type, \
    event_version, payload, metadata FROM events \
    WHERE aggregate_type = ?1 AND aggregate_id = ?2 AND sequence > ?3 ORDER BY sequence";

const STREAM_RECORDED: &str = "SELECT p.position, e.event_id, e.aggregate_type, \
    e.aggregate_id, e.sequence, e.event_type, e.event_version, e.payload, e.metadata, \
    e.effective_at, e.recorded_at \
    FROM events e JOIN event_positions p ON p.event_id = e.id \
    WHERE e.aggregate_type = ?1 AND e.aggregate_id = ?2 ORDER BY e.sequence";

/// Read-only connections to one SQLite file, at most [`READERS`], kept between scans.
#[derive(Debug)]
pub(crate) struct Scanner {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    readers: Arc<Semaphore>,
}

impl Scanner {
    /// A scanner over the file `options` open; `None` for an in-memory database, which no
    /// second connection can see.
    pub(crate) fn for_file(options: &SqliteConnectOptions) -> Option<Arc<Self>> {
        let path = options.get_filename();
        let name = path.to_string_lossy();
        if name.starts_with("file:") || name == ":memory:" {
            return None;
        }
        Some(Arc::new(Self {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            readers: Arc::new(Semaphore::new(READERS)),
        }))
    }

    /// Up to `limit` events with `position > after`, ascending, on a blocking thread.
    pub(crate) async fn read_global_raw(
        self: &Arc<Self>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<RawEvent>, StoreError> {
        self.run(move |connection| {
            let mut statement = connection.prepare_cached(GLOBAL_PAGE)?;
            let mut rows = statement.query((after, i64::from(limit)))?;
            let mut page = Vec::with_capacity(limit.min(10_000) as usize);
            while let Some(row) = rows.next()? {
                page.push(raw_event(row)?);
            }
            Ok(page)
        })
        .await
    }

    /// [`Scanner::read_global_raw`] handing each row, borrowed, to `each` as it is stepped.
    pub(crate) async fn scan_global_raw<T, E, F>(
        self: &Arc<Self>,
        after: i64,
        limit: u32,
        mut each: F,
    ) -> Result<Vec<T>, E>
    where
        T: Send + 'static,
        E: From<StoreError> + Send + 'static,
        F: FnMut(RawEventRef<'_>) -> Result<T, E> + Send + 'static,
    {
        // Errors of `each` travel inside the scan's own result, which only knows StoreError.
        let scanned = self
            .run(move |connection| {
                let mut statement = connection.prepare_cached(GLOBAL_PAGE)?;
                let mut rows = statement.query((after, i64::from(limit)))?;
                let mut page = Vec::with_capacity(limit.min(10_000) as usize);
                while let Some(row) = rows.next()? {
                    match each(raw_event_ref(row)?) {
                        Ok(item) => page.push(item),
                        Err(e) => return Ok(Err(e)),
                    }
                }
                Ok(Ok(page))
            })
            .await;
        scanned?
    }

    /// One stream's events after `after_sequence`, to load an aggregate: one blocking call
    /// instead of a channel message per row.
    pub(crate) async fn stream_events(
        self: &Arc<Self>,
        aggregate_type: &str,
        aggregate_id: &str,
        after_sequence: i64,
    ) -> Result<Vec<SerializedEvent>, StoreError> {
        let key = (aggregate_type.to_owned(), aggregate_id.to_owned());
        self.run(move |connection| {
            let mut statement = connection.prepare_cached(STREAM_EVENTS)?;
            let mut rows = statement.query((&key.0, &key.1, after_sequence))?;
            let mut events = Vec::new();
            while let Some(row) = rows.next()? {
                events.push(serialized_event(row)?);
            }
            Ok(events)
        })
        .await
    }

    /// Every event of one stream with its position and times, by sequence.
    pub(crate) async fn read_stream(
        self: &Arc<Self>,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let key = (aggregate_type.to_owned(), aggregate_id.to_owned());
        self.run(move |connection| {
            let mut statement = connection.prepare_cached(STREAM_RECORDED)?;
            let mut rows = statement.query((&key.0, &key.1))?;
            let mut events = Vec::new();
            while let Some(row) = rows.next()? {
                events.push(raw_event(row)?.try_into()?);
            }
            Ok(events)
        })
        .await
    }

    /// [`Scanner::read_stream`] with payload and metadata left as JSON text.
    pub(crate) async fn read_stream_raw(
        self: &Arc<Self>,
        aggregate_type: &str,
        aggregate_id: &str,
    ) -> Result<Vec<RawEvent>, StoreError> {
        self.read_streams_raw(&[(aggregate_type, aggregate_id)])
            .await
    }

    /// Several streams' events, stream after stream, in one blocking call.
    pub(crate) async fn read_streams_raw(
        self: &Arc<Self>,
        streams: &[(&str, &str)],
    ) -> Result<Vec<RawEvent>, StoreError> {
        let keys: Vec<(String, String)> = streams
            .iter()
            .map(|(t, id)| ((*t).to_owned(), (*id).to_owned()))
            .collect();
        self.run(move |connection| {
            let mut statement = connection.prepare_cached(STREAM_RECORDED)?;
            let mut events = Vec::new();
            for (aggregate_type, aggregate_id) in &keys {
                let mut rows = statement.query((aggregate_type, aggregate_id))?;
                while let Some(row) = rows.next()? {
                    events.push(raw_event(row)?);
                }
            }
            Ok(events)
        })
        .await
    }

    /// Runs `read` on a pooled read-only connection on a blocking thread, once one of the
    /// [`READERS`] is free.
    async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        read: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        // Held by the blocking work, so a cancelled caller does not free it early.
        let reader = Arc::clone(&self.readers)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let scanner = Arc::clone(self);
        let work = move || {
            let _reader = reader;
            let connection = scanner.connection()?;
            let result = read(&connection);
            scanner
                .idle
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(connection);
            result
        };
        match tokio::task::spawn_blocking(work).await {
            Ok(result) => result,
            // A blocking task is only cancelled when the runtime shuts down.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }

    fn connection(&self) -> Result<Connection, StoreError> {
        if let Some(idle) = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop()
        {
            return Ok(idle);
        }
        Ok(open(&self.path)?)
    }
}

fn open(path: &Path) -> rusqlite::Result<Connection> {
    let connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(BUSY_TIMEOUT)?;
    Ok(connection)
}

fn serialized_event(row: &Row<'_>) -> Result<SerializedEvent, StoreError> {
    let sequence: i64 = row.get(2)?;
    let payload: String = row.get(5)?;
    let metadata: String = row.get(6)?;
    Ok(SerializedEvent {
        aggregate_type: row.get(0)?,
        aggregate_id: row.get(1)?,
        sequence: record::sequence_from_db(sequence)?,
        event_type: row.get(3)?,
        event_version: row.get(4)?,
        payload: record::json("payload", &payload)?,
        metadata: record::json("metadata", &metadata)?,
    })
}

fn raw_event(row: &Row<'_>) -> Result<RawEvent, StoreError> {
    raw_event_ref(row).map(RawEvent::from)
}

/// The row's columns borrowed from SQLite's buffers: valid until the scan steps on.
fn raw_event_ref<'r>(row: &'r Row<'_>) -> Result<RawEventRef<'r>, StoreError> {
    let event_id = text(row, 1)?;
    Ok(RawEventRef {
        position: row.get(0)?,
        event_id: event_id.parse().map_err(|e| StoreError::Corrupt {
            what: "event_id",
            detail: format!("`{event_id}` is not a UUID: {e}"),
        })?,
        aggregate_type: text(row, 2)?,
        aggregate_id: text(row, 3)?,
        sequence: row.get(4)?,
        event_type: text(row, 5)?,
        event_version: text(row, 6)?,
        payload: text(row, 7)?,
        metadata: text(row, 8)?,
        effective_at: sqlite_text::parse_instant("effective_at", text(row, 9)?)?,
        recorded_at: sqlite_text::parse_instant("recorded_at", text(row, 10)?)?,
    })
}

/// A text column, borrowed; anything else is the same error `Row::get::<String>` gives.
fn text<'r>(row: &'r Row<'_>, column: usize) -> Result<&'r str, StoreError> {
    let value = row.get_ref(column)?;
    value.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(column, value.data_type(), Box::new(e)).into()
    })
}
