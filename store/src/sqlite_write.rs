//! A SQLite write transaction in as few calls as possible. Every call is a round trip to sqlx's
//! worker thread, which costs as much as the statements of a small append: `BEGIN IMMEDIATE`
//! rides on the first call and `COMMIT` on the last, instead of taking two calls of their own.
//!
//! sqlx does not know about a transaction begun this way, so the connection is guarded: unless
//! the transaction was committed or rolled back, the connection is closed rather than returned
//! to the pool (closing rolls it back), also when the future is dropped half way.

use sqlx::pool::PoolConnection;
use sqlx::{Sqlite, SqliteConnection, SqlitePool};

use crate::StoreError;

/// A connection whose first call begins an immediate transaction.
pub(crate) struct WriteTx(Option<PoolConnection<Sqlite>>);

/// Put in front of the first call's statements.
pub(crate) const BEGIN: &str = "BEGIN IMMEDIATE; ";
/// Put after the last call's statements.
pub(crate) const COMMIT: &str = "; COMMIT";

impl WriteTx {
    pub async fn acquire(pool: &SqlitePool) -> Result<Self, StoreError> {
        Ok(Self(Some(pool.acquire().await?)))
    }

    pub fn conn(&mut self) -> &mut SqliteConnection {
        self.0.as_mut().expect("present until finished")
    }

    /// The last call ended with [`COMMIT`]: give the connection back to the pool.
    pub fn committed(mut self) {
        drop(self.0.take());
    }

    /// A call failed: roll back whatever it left open and give the connection back; if even
    /// that fails, the guard closes it.
    pub async fn abandon(mut self) {
        let clean = match sqlx::query("ROLLBACK").execute(self.conn()).await {
            Ok(_) => true,
            Err(e) => e.to_string().contains("no transaction is active"),
        };
        if clean {
            drop(self.0.take());
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        if let Some(conn) = self.0.as_mut() {
            conn.close_on_drop();
        }
    }
}
