//! What can go wrong in the store, and how it reads to cqrs-es.

use std::time::Duration;

use cqrs_es::persist::PersistenceError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// The database could not be reached (connection, IO, pool exhausted or closed).
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// SQLite through rusqlite failed: a scan, a stream read or an append
    /// (docs/adr/0008-bulk-reads.md).
    #[error("SQLite failed: {0}")]
    Sqlite(#[source] rusqlite::Error),
    /// A ledger lives in a file: an in-memory SQLite database is refused.
    #[error("an in-memory SQLite database cannot hold a ledger: name a file (sqlite://<path>)")]
    SqliteInMemory,
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Holds the URL's scheme only: the rest may contain a password.
    #[error("unsupported database URL scheme `{0}`: expected sqlite:<path>, sqlite://<path> or postgres://…")]
    UnsupportedUrl(String),
    /// Another writer appended the same sequence of the same stream first.
    #[error("{aggregate_type} `{aggregate_id}` already has an event with sequence {sequence}")]
    Conflict {
        aggregate_type: String,
        aggregate_id: String,
        sequence: i64,
    },
    /// Every event must say when it took effect (design.md §3 rule 2).
    #[error("event {event_type} of {aggregate_type} `{aggregate_id}` has no valid `effective_at` metadata (RFC 3339, UTC): {detail}")]
    MissingEffectiveAt {
        aggregate_type: String,
        aggregate_id: String,
        event_type: String,
        detail: String,
    },
    /// A stored value does not decode; the log was written by something other than this store.
    #[error("stored {what} is corrupt: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// PostgreSQL only: committed events stayed without a global position because an older
    /// transaction on the cluster is still open (docs/adr/0002-global-order.md).
    #[error("events are committed but still unsequenced after {0:?}: an older transaction on the database cluster is still open")]
    SequencingStalled(Duration),
    /// [`crate::Ledger::lock`] waited its limit for a key another writer still holds.
    #[error("gave up waiting for lock `{key}` after {waited:?}: another writer still holds it")]
    LockTimeout { key: String, waited: Duration },
    #[error("idempotency key `{key}` has no pending request to complete")]
    IdempotencyKeyNotPending { key: String },
    /// Events were to be appended under an idempotency claim that a retry has taken over since
    /// (docs/adr/0010-idempotency-after-a-crash.md): nothing was appended.
    #[error("attempt {attempt} of idempotency claim {claim_id} was taken over by a retry; nothing was appended")]
    IdempotencyClaimLost { claim_id: uuid::Uuid, attempt: i32 },
    /// The database answers but its storage refuses to change: it is read-only, full, or
    /// failing to write. Reads may still work.
    #[error("the database refuses writes ({fault}): {source}")]
    StorageRefused {
        fault: StorageFault,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Why the database's storage refuses a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageFault {
    /// PostgreSQL `25006` (a read-only transaction: `default_transaction_read_only`, a hot
    /// standby); SQLite `SQLITE_READONLY` and its extended codes (a file opened or made
    /// read-only).
    ReadOnly,
    /// PostgreSQL `53100` (`disk_full`); SQLite `SQLITE_FULL`.
    Full,
    /// PostgreSQL `58030` (`io_error`); SQLite `SQLITE_IOERR` and its extended codes (a write
    /// the operating system refused).
    Io,
}

impl std::fmt::Display for StorageFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::ReadOnly => "read-only",
            Self::Full => "storage full",
            Self::Io => "storage I/O error",
        })
    }
}

/// What a database error code says about the database's state, as far as callers care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeClass {
    /// The server is shutting down, starting up, refusing or dropping connections.
    Unavailable,
    Storage(StorageFault),
}

/// PostgreSQL SQLSTATEs that mean the server cannot serve this session now.
fn pg_unavailable(code: &str) -> bool {
    // Class 08: connection exception; 57P01 admin_shutdown, 57P02 crash_shutdown,
    // 57P03 cannot_connect_now (starting up or shutting down); 53300 too_many_connections.
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "53300")
}

/// Classifies a PostgreSQL SQLSTATE.
pub(crate) fn classify_pg_code(code: &str) -> Option<CodeClass> {
    match code {
        "25006" => Some(CodeClass::Storage(StorageFault::ReadOnly)),
        "53100" => Some(CodeClass::Storage(StorageFault::Full)),
        "58030" => Some(CodeClass::Storage(StorageFault::Io)),
        code if pg_unavailable(code) => Some(CodeClass::Unavailable),
        _ => None,
    }
}

/// Classifies a SQLite extended result code (its low byte is the primary code).
pub(crate) fn classify_sqlite_code(code: i32) -> Option<CodeClass> {
    const SQLITE_READONLY: i32 = 8;
    const SQLITE_IOERR: i32 = 10;
    const SQLITE_FULL: i32 = 13;
    const SQLITE_CANTOPEN: i32 = 14;
    match code & 0xff {
        SQLITE_READONLY => Some(CodeClass::Storage(StorageFault::ReadOnly)),
        SQLITE_FULL => Some(CodeClass::Storage(StorageFault::Full)),
        SQLITE_IOERR => Some(CodeClass::Storage(StorageFault::Io)),
        SQLITE_CANTOPEN => Some(CodeClass::Unavailable),
        _ => None,
    }
}

/// The class of a database error, read from its code and the backend that raised it.
fn classify(err: &(dyn sqlx::error::DatabaseError + 'static)) -> Option<CodeClass> {
    let code = err.code()?;
    if err
        .try_downcast_ref::<sqlx::sqlite::SqliteError>()
        .is_some()
    {
        classify_sqlite_code(code.parse().ok()?)
    } else {
        classify_pg_code(&code)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Self::Unavailable(err),
            sqlx::Error::Database(ref db) => match classify(db.as_ref()) {
                Some(CodeClass::Unavailable) => Self::Unavailable(err),
                Some(CodeClass::Storage(fault)) => Self::StorageRefused {
                    fault,
                    source: Box::new(err),
                },
                None => Self::Database(err),
            },
            err => Self::Database(err),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        let code = match &err {
            rusqlite::Error::SqliteFailure(e, _) => Some(e.extended_code),
            _ => None,
        };
        match code.and_then(classify_sqlite_code) {
            Some(CodeClass::Storage(fault)) => Self::StorageRefused {
                fault,
                source: Box::new(err),
            },
            _ => Self::Sqlite(err),
        }
    }
}

impl From<StoreError> for PersistenceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict { .. } => Self::OptimisticLockError,
            StoreError::Unavailable(_) | StoreError::StorageRefused { .. } => {
                Self::ConnectionError(Box::new(err))
            }
            StoreError::Corrupt { .. } => Self::DeserializationError(Box::new(err)),
            err => Self::UnknownError(Box::new(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_read_only_disk_full_and_io_errors_are_storage_faults() {
        let storage = |code| match classify_pg_code(code) {
            Some(CodeClass::Storage(fault)) => Some(fault),
            _ => None,
        };
        assert_eq!(storage("25006"), Some(StorageFault::ReadOnly));
        assert_eq!(storage("53100"), Some(StorageFault::Full));
        assert_eq!(storage("58030"), Some(StorageFault::Io));
        assert_eq!(storage("23505"), None);
        assert_eq!(storage("40001"), None);
    }

    #[test]
    fn postgres_shutdown_and_connection_errors_mean_unavailable() {
        for code in ["57P01", "57P02", "57P03", "53300", "08006", "08001"] {
            assert_eq!(
                classify_pg_code(code),
                Some(CodeClass::Unavailable),
                "{code}"
            );
        }
        assert_eq!(
            classify_pg_code("57014"),
            None,
            "a cancelled query is not an outage"
        );
    }

    #[test]
    fn sqlite_codes_are_classified_by_their_primary_code() {
        let storage = |code| match classify_sqlite_code(code) {
            Some(CodeClass::Storage(fault)) => Some(fault),
            _ => None,
        };
        // SQLITE_READONLY, _RECOVERY, _CANTLOCK, _ROLLBACK, _DBMOVED, _CANTINIT, _DIRECTORY.
        for code in [8, 264, 520, 776, 1032, 1288, 1544] {
            assert_eq!(storage(code), Some(StorageFault::ReadOnly), "{code}");
        }
        assert_eq!(storage(13), Some(StorageFault::Full), "SQLITE_FULL");
        // SQLITE_IOERR, _WRITE, _FSYNC, _SHMMAP.
        for code in [10, 778, 1034, 5386] {
            assert_eq!(storage(code), Some(StorageFault::Io), "{code}");
        }
        assert_eq!(classify_sqlite_code(14), Some(CodeClass::Unavailable));
        // SQLITE_CONSTRAINT_UNIQUE and SQLITE_BUSY are neither.
        assert_eq!(classify_sqlite_code(2067), None);
        assert_eq!(classify_sqlite_code(5), None);
    }

    /// A real `SQLITE_FULL` from SQLite, through sqlx, becomes a storage fault.
    #[tokio::test]
    async fn a_full_sqlite_database_is_a_storage_fault() {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::raw_sql("PRAGMA max_page_count = 2; CREATE TABLE t (b BLOB)")
            .execute(&mut conn)
            .await
            .unwrap();
        let err = sqlx::query("INSERT INTO t VALUES (zeroblob(100000))")
            .execute(&mut conn)
            .await
            .unwrap_err();
        let err = StoreError::from(err);
        assert!(
            matches!(
                err,
                StoreError::StorageRefused {
                    fault: StorageFault::Full,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    /// A real `SQLITE_READONLY` (a connection opened read-only) becomes a storage fault.
    #[tokio::test]
    async fn a_write_to_a_read_only_sqlite_database_is_a_storage_fault() {
        use sqlx::sqlite::SqliteConnectOptions;
        use sqlx::{ConnectOptions, Connection};
        let dir = std::env::temp_dir().join(format!("ledger-ro-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("ro.db");
        let mut rw = SqliteConnectOptions::new()
            .filename(&file)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        sqlx::raw_sql("CREATE TABLE t (x INTEGER)")
            .execute(&mut rw)
            .await
            .unwrap();
        rw.close().await.unwrap();
        let mut ro = SqliteConnectOptions::new()
            .filename(&file)
            .read_only(true)
            .connect()
            .await
            .unwrap();
        let err = sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&mut ro)
            .await
            .unwrap_err();
        ro.close().await.ok();
        std::fs::remove_dir_all(&dir).ok();
        let err = StoreError::from(err);
        assert!(
            matches!(
                err,
                StoreError::StorageRefused {
                    fault: StorageFault::ReadOnly,
                    ..
                }
            ),
            "{err:?}"
        );
    }
}
