//! Loading an export (docs/export-format.md) into an empty ledger, on either backend, keeping
//! every position, time and link. The file's chain is verified line by line as it is read, and
//! the whole import is one transaction: a broken, truncated or foreign file leaves the ledger
//! empty.

use std::collections::HashMap;

use sqlx::{PgConnection, Row, SqliteConnection};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, Lines};
use uuid::Uuid;

use crate::chain::sqlite::Placed;
use crate::chain::{self, canonical_json, ChainHead};
use crate::export::{Header, Trailer, EXPORT_FORMAT, EXPORT_VERSION};
use crate::ledger::{Db, Ledger};
use crate::{sqlite_text, LogEntry, StoreError};

/// Events written per statement.
const BATCH: usize = 500;
/// The sequencer's advisory lock (migration 0001, `ledger_sequence_events`): held for the
/// import, so no sequencer run numbers anything meanwhile.
const PG_SEQUENCER_LOCK: i64 = 7_814_701_316_393_234_019;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the ledger already holds events: import only into an empty ledger")]
    NotEmpty,
    #[error("could not read the file: {0}")]
    Read(#[from] std::io::Error),
    /// The line is not what the format says.
    #[error("line {line}: {detail}")]
    Format { line: u64, detail: String },
    /// The line is well formed but does not continue the chain before it.
    #[error("line {line}: position {position} breaks the chain: {detail}")]
    Broken {
        line: u64,
        position: i64,
        detail: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for ImportError {
    fn from(err: sqlx::Error) -> Self {
        Self::Store(err.into())
    }
}

impl Ledger {
    /// Loads the export `input` into this ledger, which must hold no event, and returns the
    /// head of the imported chain. Nothing is written unless the whole file verifies.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend()), err)]
    pub async fn import<R: AsyncBufRead + Unpin>(
        &self,
        input: R,
    ) -> Result<ChainHead, ImportError> {
        let mut file = ExportReader::open(input).await?;
        match &self.db {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                refuse_non_empty(sqlx::query_scalar(ANY_EVENT).fetch_one(&mut *tx).await?)?;
                while let Some(batch) = file.next_batch().await? {
                    write_sqlite(&mut tx, &batch).await?;
                }
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                // Writers wait until the import is committed (readers do not); the emptiness
                // check after the lock sees every writer that got in before.
                sqlx::query("LOCK TABLE events IN EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(PG_SEQUENCER_LOCK)
                    .execute(&mut *tx)
                    .await?;
                refuse_non_empty(sqlx::query_scalar(ANY_EVENT).fetch_one(&mut *tx).await?)?;
                while let Some(batch) = file.next_batch().await? {
                    write_postgres(&mut tx, &batch).await?;
                }
                tx.commit().await?;
            }
        }
        Ok(file.head)
    }
}

const ANY_EVENT: &str = "SELECT EXISTS (SELECT 1 FROM events)";

fn refuse_non_empty(any_event: bool) -> Result<(), ImportError> {
    if any_event {
        return Err(ImportError::NotEmpty);
    }
    Ok(())
}

/// An export read line by line, each entry checked against the chain before it.
struct ExportReader<R> {
    lines: Lines<R>,
    line: u64,
    head: ChainHead,
    ended: bool,
}

impl<R: AsyncBufRead + Unpin> ExportReader<R> {
    async fn open(input: R) -> Result<Self, ImportError> {
        let mut reader = Self {
            lines: input.lines(),
            line: 0,
            head: ChainHead::EMPTY,
            ended: false,
        };
        let text = reader.next_line().await?.ok_or(ImportError::Format {
            line: 1,
            detail: "the file is empty".to_owned(),
        })?;
        let header: Header = serde_json::from_str(&text).map_err(|e| ImportError::Format {
            line: 1,
            detail: format!("not a {EXPORT_FORMAT} header: {e}"),
        })?;
        if header.format != EXPORT_FORMAT || header.version != EXPORT_VERSION {
            return Err(ImportError::Format {
                line: 1,
                detail: format!(
                    "format `{}` version {} is not {EXPORT_FORMAT} version {EXPORT_VERSION}",
                    header.format, header.version
                ),
            });
        }
        Ok(reader)
    }

    async fn next_line(&mut self) -> Result<Option<String>, ImportError> {
        let text = self.lines.next_line().await?;
        self.line += 1;
        Ok(text)
    }

    fn format_error(&self, detail: impl Into<String>) -> ImportError {
        ImportError::Format {
            line: self.line,
            detail: detail.into(),
        }
    }

    /// Up to [`BATCH`] verified entries; `None` once the digest line closed the file.
    async fn next_batch(&mut self) -> Result<Option<Vec<LogEntry>>, ImportError> {
        let mut batch = Vec::new();
        while !self.ended && batch.len() < BATCH {
            let Some(text) = self.next_line().await? else {
                return Err(
                    self.format_error("the file ends without its digest line: it is truncated")
                );
            };
            match serde_json::from_str::<LogEntry>(&text) {
                Ok(entry) => batch.push(self.verify(entry)?),
                Err(entry_error) => match serde_json::from_str::<Trailer>(&text) {
                    Ok(trailer) => self.end(trailer).await?,
                    Err(_) => return Err(self.format_error(format!("not an event: {entry_error}"))),
                },
            }
        }
        Ok((!batch.is_empty()).then_some(batch))
    }

    /// The entry with its JSON in canonical form, if it continues the chain.
    fn verify(&mut self, mut entry: LogEntry) -> Result<LogEntry, ImportError> {
        let position = self.head.position + 1;
        let broken = |detail: String| ImportError::Broken {
            line: self.line,
            position: entry.position,
            detail,
        };
        if entry.position != position {
            return Err(broken(format!("expected position {position}")));
        }
        for (what, text) in [
            ("payload", &mut entry.payload),
            ("metadata", &mut entry.metadata),
        ] {
            *text = canonical_json(text).map_err(|e| broken(format!("its {what}: {e}")))?;
        }
        let link = entry.link_after(&self.head.hash);
        if link != entry.hash {
            return Err(broken(format!(
                "its hash {} is not {link}, the hash of its contents after position {}",
                entry.hash, self.head.position
            )));
        }
        self.head = ChainHead {
            position,
            hash: link,
        };
        Ok(entry)
    }

    async fn end(&mut self, trailer: Trailer) -> Result<(), ImportError> {
        if trailer.digest != self.head {
            return Err(self.format_error(format!(
                "the digest line says position {} hash {}, the file's chain ends at position {} hash {}",
                trailer.digest.position, trailer.digest.hash, self.head.position, self.head.hash
            )));
        }
        while let Some(text) = self.next_line().await? {
            if !text.trim().is_empty() {
                return Err(self.format_error("a line after the digest line"));
            }
        }
        self.ended = true;
        Ok(())
    }
}

async fn write_sqlite(conn: &mut SqliteConnection, batch: &[LogEntry]) -> Result<(), ImportError> {
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; batch.len()].join(", ");
    let sql = format!(
        "INSERT INTO events (event_id, aggregate_type, aggregate_id, sequence, event_type, \
         event_version, payload, metadata, effective_at, recorded_at) VALUES {values} \
         RETURNING id, event_id"
    );
    let mut query = sqlx::query(&sql);
    for e in batch {
        query = query
            .bind(e.event_id.hyphenated().to_string())
            .bind(&e.aggregate_type)
            .bind(&e.aggregate_id)
            .bind(e.sequence)
            .bind(&e.event_type)
            .bind(&e.event_version)
            .bind(&e.payload)
            .bind(&e.metadata)
            .bind(sqlite_text::instant(e.effective_at))
            .bind(sqlite_text::instant(e.recorded_at));
    }
    let mut row_ids = HashMap::with_capacity(batch.len());
    for row in query.fetch_all(&mut *conn).await? {
        let event_id: uuid::fmt::Hyphenated = row.try_get("event_id")?;
        row_ids.insert(event_id.into_uuid(), row.try_get::<i64, _>("id")?);
    }
    let placed = batch
        .iter()
        .map(|e| {
            Ok(Placed {
                position: e.position,
                row_id: row_id(&row_ids, e)?,
                link: e.hash,
            })
        })
        .collect::<Result<Vec<_>, ImportError>>()?;
    chain::sqlite::place(conn, &placed).await?;
    Ok(())
}

async fn write_postgres(conn: &mut PgConnection, batch: &[LogEntry]) -> Result<(), ImportError> {
    let rows = sqlx::query(
        "INSERT INTO events (event_id, aggregate_type, aggregate_id, sequence, event_type, \
         event_version, payload, metadata, effective_at, recorded_at) \
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::text[], \
         $6::text[], $7::jsonb[], $8::jsonb[], $9::timestamptz[], $10::timestamptz[]) \
         RETURNING id, event_id",
    )
    .bind(batch.iter().map(|e| e.event_id).collect::<Vec<_>>())
    .bind(texts(batch, |e| &e.aggregate_type))
    .bind(texts(batch, |e| &e.aggregate_id))
    .bind(batch.iter().map(|e| e.sequence).collect::<Vec<_>>())
    .bind(texts(batch, |e| &e.event_type))
    .bind(texts(batch, |e| &e.event_version))
    .bind(texts(batch, |e| &e.payload))
    .bind(texts(batch, |e| &e.metadata))
    .bind(batch.iter().map(|e| e.effective_at).collect::<Vec<_>>())
    .bind(batch.iter().map(|e| e.recorded_at).collect::<Vec<_>>())
    .fetch_all(&mut *conn)
    .await?;
    let mut row_ids = HashMap::with_capacity(batch.len());
    for row in rows {
        row_ids.insert(
            row.try_get::<Uuid, _>("event_id")?,
            row.try_get::<i64, _>("id")?,
        );
    }
    let ids = batch
        .iter()
        .map(|e| row_id(&row_ids, e))
        .collect::<Result<Vec<_>, _>>()?;
    // The sequencer continues after the (txid, id) of the last positioned event: inside this one
    // transaction, ids must rise with positions or it would number an imported event again.
    if ids.windows(2).any(|w| w[0] >= w[1]) {
        return Err(StoreError::Corrupt {
            what: "imported events",
            detail: "row ids do not follow positions".to_owned(),
        }
        .into());
    }
    let positions: Vec<i64> = batch.iter().map(|e| e.position).collect();
    sqlx::query(
        "INSERT INTO event_positions (position, event_id) \
         SELECT * FROM unnest($1::bigint[], $2::bigint[])",
    )
    .bind(&positions)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO event_chain (position, link) SELECT * FROM unnest($1::bigint[], $2::bytea[])",
    )
    .bind(&positions)
    .bind(
        batch
            .iter()
            .map(|e| e.hash.as_bytes().to_vec())
            .collect::<Vec<_>>(),
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn texts<'a>(batch: &'a [LogEntry], field: impl Fn(&'a LogEntry) -> &'a String) -> Vec<&'a str> {
    batch.iter().map(|e| field(e).as_str()).collect()
}

fn row_id(row_ids: &HashMap<Uuid, i64>, entry: &LogEntry) -> Result<i64, ImportError> {
    row_ids.get(&entry.event_id).copied().ok_or_else(|| {
        StoreError::Corrupt {
            what: "imported events",
            detail: format!("the insert did not return event {}", entry.event_id),
        }
        .into()
    })
}
