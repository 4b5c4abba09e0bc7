//! The [`Ledger`] handle: one connection pool to SQLite or PostgreSQL, migrated on connect.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use channel_ledger_domain::upcast;
use cqrs_es::persist::PersistedEventStore;
use cqrs_es::Aggregate;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::chain;
use crate::lock::Locks;
use crate::sqlite_append::Appender;
use crate::sqlite_scan::Scanner;
use crate::{Backend, LedgerRepository, StoreError};

/// How long a SQLite writer waits for the write lock before giving up.
pub(crate) const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a PostgreSQL query waits for a connection. While the server is down, sqlx keeps
/// retrying a refused connection until this runs out (its default is 30 s): a request then
/// fails with [`StoreError::Unavailable`] after this long rather than hanging for half a minute.
const POSTGRES_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The event log and its side tables in one database. Cheap to clone: clones share the pool.
#[derive(Clone, Debug)]
pub struct Ledger {
    pub(crate) db: Db,
    /// Keys held or awaited through [`Ledger::lock`] in this process.
    pub(crate) locks: Arc<Locks>,
    /// SQLite files only: connections for bulk scans of the log, outside sqlx.
    pub(crate) scanner: Option<Arc<Scanner>>,
    /// SQLite's writer connection (`sqlite_append.rs`); `None` on PostgreSQL.
    pub(crate) appender: Option<Arc<Appender>>,
    /// How long an attempt holds an idempotency key before a retry may take it over.
    pub(crate) idempotency_lease: Duration,
}

#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Ledger {
    /// Opens the database `database_url` names (creating a SQLite file if missing) and applies
    /// any pending migrations.
    #[tracing::instrument(skip_all, fields(db.backend), err)]
    pub async fn connect(database_url: &str) -> Result<Self, StoreError> {
        let backend = Backend::from_url(database_url)?;
        tracing::Span::current().record("db.backend", backend.as_str());
        let db = match backend {
            Backend::Sqlite => {
                let options = SqliteConnectOptions::from_str(database_url)?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT);
                let pool = SqlitePoolOptions::new().connect_with(options).await?;
                sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
                // SQLite cannot hash in SQL: its migration leaves the links of an older
                // ledger to be written here (PostgreSQL's writes them itself).
                chain::sqlite::backfill(&pool).await?;
                Db::Sqlite(pool)
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .acquire_timeout(POSTGRES_ACQUIRE_TIMEOUT)
                    .connect(database_url)
                    .await?;
                sqlx::migrate!("../migrations/postgres").run(&pool).await?;
                Db::Postgres(pool)
            }
        };
        let locks = Locks::new(match &db {
            Db::Sqlite(_) => None,
            Db::Postgres(pool) => Some(pool.options().get_max_connections()),
        });
        let (scanner, appender) = match &db {
            Db::Sqlite(pool) => {
                let options = pool.connect_options();
                let scanner = Scanner::for_file(&options).ok_or(StoreError::SqliteInMemory)?;
                (Some(scanner), Some(Appender::new(options.get_filename())))
            }
            Db::Postgres(_) => (None, None),
        };
        Ok(Self {
            db,
            locks,
            scanner,
            appender,
            idempotency_lease: crate::DEFAULT_IDEMPOTENCY_LEASE,
        })
    }

    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Succeeds when the database answers a query: for readiness probes.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend()), err)]
    pub async fn ping(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(pool) => sqlx::query("SELECT 1").execute(pool).await?.rows_affected(),
            Db::Postgres(pool) => sqlx::query("SELECT 1").execute(pool).await?.rows_affected(),
        };
        Ok(())
    }

    /// The cqrs-es repository over this ledger.
    pub fn repository(&self) -> LedgerRepository {
        LedgerRepository::new(self.clone())
    }

    /// A cqrs-es event store for aggregate `A`: aggregates are rebuilt from their events on every
    /// load (the 0.5.0 snapshot stores apply new events twice; see design.md §5), each event read
    /// in its current shape (docs/adr/0009-event-upcasting.md).
    pub fn event_store<A: Aggregate>(&self) -> PersistedEventStore<LedgerRepository, A> {
        PersistedEventStore::new_event_store(self.repository()).with_upcasters(upcast::upcasters())
    }

    /// The PostgreSQL pool, for tests and tools that need raw SQL; `None` on SQLite.
    pub fn postgres_pool(&self) -> Option<&PgPool> {
        match &self.db {
            Db::Postgres(pool) => Some(pool),
            Db::Sqlite(_) => None,
        }
    }

    /// The SQLite pool, for tests and tools that need raw SQL; `None` on PostgreSQL.
    pub fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.db {
            Db::Sqlite(pool) => Some(pool),
            Db::Postgres(_) => None,
        }
    }
}
