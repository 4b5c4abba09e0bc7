//! Projection snapshots: a read model serialized whole beside the log position it has folded up
//! to, so a restarted projector resumes from there instead of replaying the whole log.
//!
//! The view and its checkpoint are one row written by one statement: whatever a crash
//! interrupts, the stored body is exactly the fold of the log up to the stored position. Unlike
//! the log this table is mutable (upserts, deletes): it is a disposable cache of the log.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::ledger::{Db, Ledger};
use crate::{sqlite_text, StoreError};

/// A stored snapshot of the projection it is named after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// The version of the model that wrote it; readers ignore other versions.
    pub version: i32,
    /// The last log position folded into `body`.
    pub position: i64,
    /// The serialized model, in whatever format the projection chose.
    pub body: String,
    pub saved_at: DateTime<Utc>,
}

/// Replaces the row unless it holds a later position of the same version: a projector that fell
/// behind (another process, a rebuild that lost a race) never overwrites a newer checkpoint.
const UPSERT: &str = "INSERT INTO projection_snapshots (name, version, position, body, saved_at) \
     VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position, \
     body = excluded.body, saved_at = excluded.saved_at \
     WHERE projection_snapshots.version <> excluded.version \
     OR projection_snapshots.position <= excluded.position";

impl Ledger {
    /// Stores projection `name`'s model at `position`, in one statement. Returns `false` when
    /// the stored snapshot is of the same version and further ahead, and so was kept.
    #[tracing::instrument(skip_all, fields(projection.name = name, projection.version = version, log.position = position, snapshot.bytes = body.len()), err)]
    pub async fn save_snapshot(
        &self,
        name: &str,
        version: i32,
        position: i64,
        body: &str,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let written = match &self.db {
            Db::Sqlite(pool) => sqlx::query(UPSERT)
                .bind(name)
                .bind(version)
                .bind(position)
                .bind(body)
                .bind(sqlite_text::instant(now))
                .execute(pool)
                .await?
                .rows_affected(),
            Db::Postgres(pool) => sqlx::query(UPSERT)
                .bind(name)
                .bind(version)
                .bind(position)
                .bind(body)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected(),
        };
        Ok(written == 1)
    }

    /// Projection `name`'s stored snapshot, of whatever version.
    #[tracing::instrument(skip_all, fields(projection.name = name), err)]
    pub async fn load_snapshot(&self, name: &str) -> Result<Option<Snapshot>, StoreError> {
        let sql =
            "SELECT version, position, body, saved_at FROM projection_snapshots WHERE name = $1";
        match &self.db {
            Db::Sqlite(pool) => {
                let Some(row) = sqlx::query(sql).bind(name).fetch_optional(pool).await? else {
                    return Ok(None);
                };
                let saved_at: String = row.try_get("saved_at")?;
                Ok(Some(Snapshot {
                    version: row.try_get("version")?,
                    position: row.try_get("position")?,
                    body: row.try_get("body")?,
                    saved_at: sqlite_text::parse_instant("snapshot saved_at", &saved_at)?,
                }))
            }
            Db::Postgres(pool) => {
                let Some(row) = sqlx::query(sql).bind(name).fetch_optional(pool).await? else {
                    return Ok(None);
                };
                Ok(Some(Snapshot {
                    version: row.try_get("version")?,
                    position: row.try_get("position")?,
                    body: row.try_get("body")?,
                    saved_at: row.try_get("saved_at")?,
                }))
            }
        }
    }

    /// Forgets projection `name`'s snapshot, so its next start replays the log. `false` when
    /// there was none.
    #[tracing::instrument(skip_all, fields(projection.name = name), err)]
    pub async fn delete_snapshot(&self, name: &str) -> Result<bool, StoreError> {
        let sql = "DELETE FROM projection_snapshots WHERE name = $1";
        let deleted = match &self.db {
            Db::Sqlite(pool) => sqlx::query(sql)
                .bind(name)
                .execute(pool)
                .await?
                .rows_affected(),
            Db::Postgres(pool) => sqlx::query(sql)
                .bind(name)
                .execute(pool)
                .await?
                .rows_affected(),
        };
        Ok(deleted == 1)
    }
}
