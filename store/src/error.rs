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
    /// A bulk scan of the SQLite log failed (docs/adr/0008-bulk-reads.md).
    #[error("scanning the SQLite log failed: {0}")]
    Scan(#[from] rusqlite::Error),
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
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => Self::Unavailable(err),
            err => Self::Database(err),
        }
    }
}

impl From<StoreError> for PersistenceError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict { .. } => Self::OptimisticLockError,
            StoreError::Unavailable(_) => Self::ConnectionError(Box::new(err)),
            StoreError::Corrupt { .. } => Self::DeserializationError(Box::new(err)),
            err => Self::UnknownError(Box::new(err)),
        }
    }
}
