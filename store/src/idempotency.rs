//! Idempotency keys (design.md §3 rule 9): the first request with a key does the work and
//! stores its response; a retry with the same key and the same request gets that response back.

use sqlx::Row;

use crate::ledger::{Db, Ledger};
use crate::StoreError;

/// What to do with a request carrying an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyOutcome {
    /// First time: do the work, then [`Ledger::idempotency_complete`] (or
    /// [`Ledger::idempotency_abandon`] if it failed and may be retried).
    New,
    /// Done before: answer with the stored response.
    Replay { status: u16, body: String },
    /// The key was used for a different request.
    Mismatch,
    /// The first request with this key is still being worked on.
    InProgress,
}

/// A stored key: the request's hash and, once completed, its response.
struct StoredKey {
    request_hash: Vec<u8>,
    status: Option<i32>,
    body: Option<String>,
}

const NOW_SQLITE: &str = "strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'";

impl Ledger {
    /// Claims `key` within `scope` for a request whose hash is `request_hash`, or says why not.
    #[tracing::instrument(skip_all, fields(idempotency.scope = scope), err)]
    pub async fn idempotency_begin(
        &self,
        scope: &str,
        key: &str,
        request_hash: &[u8; 32],
    ) -> Result<IdempotencyOutcome, StoreError> {
        // A concurrent abandon can delete the row between our insert and our read: try again.
        loop {
            if self.claim_key(scope, key, request_hash).await? {
                return Ok(IdempotencyOutcome::New);
            }
            let Some(stored) = self.stored_key(scope, key).await? else {
                continue;
            };
            return Ok(if stored.request_hash != request_hash {
                IdempotencyOutcome::Mismatch
            } else {
                match (stored.status, stored.body) {
                    (Some(status), Some(body)) => IdempotencyOutcome::Replay {
                        status: u16::try_from(status).map_err(|_| StoreError::Corrupt {
                            what: "idempotency status code",
                            detail: status.to_string(),
                        })?,
                        body,
                    },
                    _ => IdempotencyOutcome::InProgress,
                }
            });
        }
    }

    /// Stores the response of the request that claimed `key`.
    #[tracing::instrument(skip_all, fields(idempotency.scope = scope, http.status = status), err)]
    pub async fn idempotency_complete(
        &self,
        scope: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), StoreError> {
        let done = match &self.db {
            Db::Sqlite(pool) => sqlx::query(&format!(
                "UPDATE idempotency_keys SET status_code = $1, response_body = $2, completed_at = {NOW_SQLITE} \
                 WHERE scope = $3 AND key = $4 AND status_code IS NULL"
            ))
            .bind(i32::from(status))
            .bind(body)
            .bind(scope)
            .bind(key)
            .execute(pool)
            .await?
            .rows_affected(),
            Db::Postgres(pool) => sqlx::query(
                "UPDATE idempotency_keys SET status_code = $1, response_body = $2, completed_at = clock_timestamp() \
                 WHERE scope = $3 AND key = $4 AND status_code IS NULL",
            )
            .bind(i32::from(status))
            .bind(body)
            .bind(scope)
            .bind(key)
            .execute(pool)
            .await?
            .rows_affected(),
        };
        if done == 1 {
            Ok(())
        } else {
            Err(StoreError::IdempotencyKeyNotPending {
                key: key.to_owned(),
            })
        }
    }

    /// Forgets a claimed but uncompleted key, so a failed request can be retried with it.
    #[tracing::instrument(skip_all, fields(idempotency.scope = scope), err)]
    pub async fn idempotency_abandon(&self, scope: &str, key: &str) -> Result<(), StoreError> {
        let sql =
            "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status_code IS NULL";
        match &self.db {
            Db::Sqlite(pool) => sqlx::query(sql)
                .bind(scope)
                .bind(key)
                .execute(pool)
                .await?
                .rows_affected(),
            Db::Postgres(pool) => sqlx::query(sql)
                .bind(scope)
                .bind(key)
                .execute(pool)
                .await?
                .rows_affected(),
        };
        Ok(())
    }

    /// Inserts the key unless it exists; `true` when this call inserted it.
    async fn claim_key(&self, scope: &str, key: &str, hash: &[u8; 32]) -> Result<bool, StoreError> {
        let sql = "INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3) \
                   ON CONFLICT (scope, key) DO NOTHING";
        let inserted = match &self.db {
            Db::Sqlite(pool) => sqlx::query(sql)
                .bind(scope)
                .bind(key)
                .bind(&hash[..])
                .execute(pool)
                .await?
                .rows_affected(),
            Db::Postgres(pool) => sqlx::query(sql)
                .bind(scope)
                .bind(key)
                .bind(&hash[..])
                .execute(pool)
                .await?
                .rows_affected(),
        };
        Ok(inserted == 1)
    }

    async fn stored_key(&self, scope: &str, key: &str) -> Result<Option<StoredKey>, StoreError> {
        let sql = "SELECT request_hash, status_code, response_body FROM idempotency_keys \
                   WHERE scope = $1 AND key = $2";
        macro_rules! fetch {
            ($pool:expr) => {
                sqlx::query(sql)
                    .bind(scope)
                    .bind(key)
                    .fetch_optional($pool)
                    .await?
                    .map(|row| -> Result<StoredKey, StoreError> {
                        Ok(StoredKey {
                            request_hash: row.try_get("request_hash")?,
                            status: row.try_get("status_code")?,
                            body: row.try_get("response_body")?,
                        })
                    })
                    .transpose()
            };
        }
        match &self.db {
            Db::Sqlite(pool) => fetch!(pool),
            Db::Postgres(pool) => fetch!(pool),
        }
    }
}
