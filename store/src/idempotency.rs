//! Idempotency keys (design.md §3 rule 9): the first request with a key does the work and
//! stores its response; a retry with the same key and the same request gets that response back.
//!
//! A key is *claimed* by one attempt at its request at a time, for a lease. The claim's id goes
//! into the metadata of every event the request appends ([`IDEMPOTENCY_CLAIM_KEY`],
//! [`IDEMPOTENCY_ATTEMPT_KEY`]), and the append checks, in its own transaction, that the attempt
//! still holds the claim and marks the claim as having appended. So an attempt that crashed or
//! hung between claiming the key and storing the answer never blocks the key for good: once its
//! lease has run out, a retry takes the claim over (the old attempt can then append nothing),
//! and knows whether anything was appended under the claim before
//! (docs/adr/0010-idempotency-after-a-crash.md).

use std::time::Duration;

use serde_json::Value;
use sqlx::Row;
use uuid::Uuid;

use crate::ledger::{Db, Ledger};
use crate::StoreError;

/// The event metadata key holding the id of the idempotency claim the event was appended under.
pub const IDEMPOTENCY_CLAIM_KEY: &str = "idempotency_claim";
/// The event metadata key holding the attempt of that claim (1 for the first).
pub const IDEMPOTENCY_ATTEMPT_KEY: &str = "idempotency_attempt";
/// How long an attempt holds a claim before a retry may take it over.
pub const DEFAULT_IDEMPOTENCY_LEASE: Duration = Duration::from_secs(10);

/// One attempt's hold on an idempotency key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// The key's claim, the same for every attempt; events appended under it carry it.
    pub id: Uuid,
    /// 1 for the first attempt; each takeover adds one.
    pub attempt: i32,
    /// An earlier attempt appended events under this claim before it lost it: the request must
    /// not append them again, and its answer is rebuilt from them.
    pub resumed: bool,
}

impl Claim {
    /// The metadata entries that put an event under this claim.
    pub fn metadata(&self) -> [(&'static str, String); 2] {
        [
            (IDEMPOTENCY_CLAIM_KEY, self.id.to_string()),
            (IDEMPOTENCY_ATTEMPT_KEY, self.attempt.to_string()),
        ]
    }

    /// The claim and attempt an event's metadata names, if any.
    pub fn of_metadata(metadata: &Value) -> Option<(Uuid, i32)> {
        let id = metadata
            .get(IDEMPOTENCY_CLAIM_KEY)?
            .as_str()?
            .parse()
            .ok()?;
        let attempt = metadata
            .get(IDEMPOTENCY_ATTEMPT_KEY)?
            .as_str()?
            .parse()
            .ok()?;
        Some((id, attempt))
    }
}

/// What to do with a request carrying an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyOutcome {
    /// This request holds the key now: do the work under the claim, then
    /// [`Ledger::idempotency_complete`] (or [`Ledger::idempotency_abandon`] if it failed and
    /// may be retried). A claim taken over from an attempt whose lease ran out says whether
    /// that attempt appended anything.
    New(Claim),
    /// Done before: answer with the stored response.
    Replay { status: u16, body: String },
    /// The key was used for a different request.
    Mismatch,
    /// Another attempt holds the key and its lease has `retry_after` to run.
    InProgress { retry_after: Duration },
}

/// A stored key: the request's hash and, once completed, its response.
struct StoredKey {
    request_hash: Vec<u8>,
    status: Option<i32>,
    body: Option<String>,
    attempt: i32,
    /// Seconds left of the current attempt's lease; zero or less once it has run out.
    lease_left: f64,
}

const NOW_SQLITE: &str = "strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'";

impl Ledger {
    /// The same ledger with attempts holding idempotency keys for `lease` before a retry may
    /// take them over.
    pub fn with_idempotency_lease(mut self, lease: Duration) -> Self {
        self.idempotency_lease = lease;
        self
    }

    /// Claims `key` within `scope` for a request whose hash is `request_hash`, or says why not.
    #[tracing::instrument(skip_all, fields(idempotency.scope = scope), err)]
    pub async fn idempotency_begin(
        &self,
        scope: &str,
        key: &str,
        request_hash: &[u8; 32],
    ) -> Result<IdempotencyOutcome, StoreError> {
        // A concurrent abandon can delete the row between our insert and our read, and a
        // concurrent takeover can win the row: look again.
        loop {
            let claim_id = Uuid::now_v7();
            if self.claim_key(scope, key, request_hash, claim_id).await? {
                return Ok(IdempotencyOutcome::New(Claim {
                    id: claim_id,
                    attempt: 1,
                    resumed: false,
                }));
            }
            let Some(stored) = self.stored_key(scope, key).await? else {
                continue;
            };
            if stored.request_hash != request_hash {
                return Ok(IdempotencyOutcome::Mismatch);
            }
            if let (Some(status), Some(body)) = (stored.status, stored.body) {
                return Ok(IdempotencyOutcome::Replay {
                    status: u16::try_from(status).map_err(|_| StoreError::Corrupt {
                        what: "idempotency status code",
                        detail: status.to_string(),
                    })?,
                    body,
                });
            }
            if stored.lease_left > 0.0 {
                return Ok(IdempotencyOutcome::InProgress {
                    retry_after: Duration::from_secs_f64(stored.lease_left),
                });
            }
            if let Some(claim) = self.take_over(scope, key, stored.attempt, claim_id).await? {
                tracing::warn!(
                    idempotency.attempt = claim.attempt,
                    idempotency.resumed = claim.resumed,
                    "took over an idempotency key whose lease ran out"
                );
                return Ok(IdempotencyOutcome::New(claim));
            }
        }
    }

    /// Stores the response of the request that holds `claim` on `key`.
    #[tracing::instrument(skip_all, fields(idempotency.scope = scope, http.status = status), err)]
    pub async fn idempotency_complete(
        &self,
        scope: &str,
        key: &str,
        claim: &Claim,
        status: u16,
        body: &str,
    ) -> Result<(), StoreError> {
        let done = match &self.db {
            Db::Sqlite(pool) => sqlx::query(&format!(
                "UPDATE idempotency_keys SET status_code = $1, response_body = $2, completed_at = {NOW_SQLITE} \
                 WHERE scope = $3 AND key = $4 AND attempt = $5 AND status_code IS NULL"
            ))
            .bind(i32::from(status))
            .bind(body)
            .bind(scope)
            .bind(key)
            .bind(claim.attempt)
            .execute(pool)
            .await?
            .rows_affected(),
            Db::Postgres(pool) => sqlx::query(
                "UPDATE idempotency_keys SET status_code = $1, response_body = $2, completed_at = clock_timestamp() \
                 WHERE scope = $3 AND key = $4 AND attempt = $5 AND status_code IS NULL",
            )
            .bind(i32::from(status))
            .bind(body)
            .bind(scope)
            .bind(key)
            .bind(claim.attempt)
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

    /// Lets a failed attempt be retried. A claim under which nothing was appended is forgotten:
    /// the key is free again, even for another request. One under which events were appended
    /// stays bound to its request, with its lease ended, so that the next retry takes it over
    /// at once and rebuilds the answer from those events.
    #[tracing::instrument(skip_all, fields(idempotency.scope = scope), err)]
    pub async fn idempotency_abandon(
        &self,
        scope: &str,
        key: &str,
        claim: &Claim,
    ) -> Result<(), StoreError> {
        let forget = "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND attempt = $3 \
                      AND status_code IS NULL AND NOT appended";
        let expire = "UPDATE idempotency_keys SET claimed_at = $4 \
                      WHERE scope = $1 AND key = $2 AND attempt = $3 AND status_code IS NULL";
        macro_rules! run {
            ($pool:expr, $epoch:expr) => {{
                let forgotten = sqlx::query(forget)
                    .bind(scope)
                    .bind(key)
                    .bind(claim.attempt)
                    .execute($pool)
                    .await?
                    .rows_affected();
                if forgotten == 0 {
                    sqlx::query(expire)
                        .bind(scope)
                        .bind(key)
                        .bind(claim.attempt)
                        .bind($epoch)
                        .execute($pool)
                        .await?;
                }
            }};
        }
        match &self.db {
            Db::Sqlite(pool) => run!(pool, "1970-01-01T00:00:00.000000Z"),
            Db::Postgres(pool) => run!(pool, chrono::DateTime::<chrono::Utc>::UNIX_EPOCH),
        }
        Ok(())
    }

    /// Inserts the key unless it exists; `true` when this call inserted it.
    async fn claim_key(
        &self,
        scope: &str,
        key: &str,
        hash: &[u8; 32],
        claim_id: Uuid,
    ) -> Result<bool, StoreError> {
        let inserted = match &self.db {
            Db::Sqlite(pool) => sqlx::query(&format!(
                "INSERT INTO idempotency_keys (scope, key, request_hash, claim_id, claimed_at) \
                 VALUES ($1, $2, $3, $4, {NOW_SQLITE}) ON CONFLICT (scope, key) DO NOTHING"
            ))
            .bind(scope)
            .bind(key)
            .bind(&hash[..])
            .bind(claim_id.hyphenated().to_string())
            .execute(pool)
            .await?
            .rows_affected(),
            Db::Postgres(pool) => sqlx::query(
                "INSERT INTO idempotency_keys (scope, key, request_hash, claim_id, claimed_at) \
                 VALUES ($1, $2, $3, $4, clock_timestamp()) ON CONFLICT (scope, key) DO NOTHING",
            )
            .bind(scope)
            .bind(key)
            .bind(&hash[..])
            .bind(claim_id)
            .execute(pool)
            .await?
            .rows_affected(),
        };
        Ok(inserted == 1)
    }

    /// Takes over the claim on `key` from attempt `from` (whose lease has run out) as the next
    /// attempt; `None` when another retry took it first. A key claimed before claims had ids
    /// gets `claim_id`.
    async fn take_over(
        &self,
        scope: &str,
        key: &str,
        from: i32,
        claim_id: Uuid,
    ) -> Result<Option<Claim>, StoreError> {
        let row = match &self.db {
            Db::Sqlite(pool) => sqlx::query(&format!(
                "UPDATE idempotency_keys SET attempt = attempt + 1, claimed_at = {NOW_SQLITE}, \
                 claim_id = coalesce(claim_id, $4) \
                 WHERE scope = $1 AND key = $2 AND attempt = $3 AND status_code IS NULL \
                 RETURNING claim_id, attempt, appended"
            ))
            .bind(scope)
            .bind(key)
            .bind(from)
            .bind(claim_id.hyphenated().to_string())
            .fetch_optional(pool)
            .await?
            .map(|row| -> Result<Claim, StoreError> {
                let id: String = row.try_get("claim_id")?;
                Ok(Claim {
                    id: id.parse().map_err(|_| StoreError::Corrupt {
                        what: "idempotency claim id",
                        detail: id.clone(),
                    })?,
                    attempt: row.try_get("attempt")?,
                    resumed: row.try_get("appended")?,
                })
            })
            .transpose()?,
            Db::Postgres(pool) => sqlx::query(
                "UPDATE idempotency_keys SET attempt = attempt + 1, claimed_at = clock_timestamp(), \
                 claim_id = coalesce(claim_id, $4) \
                 WHERE scope = $1 AND key = $2 AND attempt = $3 AND status_code IS NULL \
                 RETURNING claim_id, attempt, appended",
            )
            .bind(scope)
            .bind(key)
            .bind(from)
            .bind(claim_id)
            .fetch_optional(pool)
            .await?
            .map(|row| -> Result<Claim, StoreError> {
                Ok(Claim {
                    id: row.try_get("claim_id")?,
                    attempt: row.try_get("attempt")?,
                    resumed: row.try_get("appended")?,
                })
            })
            .transpose()?,
        };
        Ok(row)
    }

    async fn stored_key(&self, scope: &str, key: &str) -> Result<Option<StoredKey>, StoreError> {
        let lease = self.idempotency_lease.as_secs_f64();
        macro_rules! fetch {
            ($pool:expr, $sql:expr) => {
                sqlx::query($sql)
                    .bind(scope)
                    .bind(key)
                    .bind(lease)
                    .fetch_optional($pool)
                    .await?
                    .map(|row| -> Result<StoredKey, StoreError> {
                        Ok(StoredKey {
                            request_hash: row.try_get("request_hash")?,
                            status: row.try_get("status_code")?,
                            body: row.try_get("response_body")?,
                            attempt: row.try_get("attempt")?,
                            lease_left: row.try_get("lease_left")?,
                        })
                    })
                    .transpose()
            };
        }
        match &self.db {
            Db::Sqlite(pool) => fetch!(
                pool,
                "SELECT request_hash, status_code, response_body, attempt, \
                 $3 - (julianday('now') - julianday(coalesce(claimed_at, created_at))) * 86400.0 \
                 AS lease_left FROM idempotency_keys WHERE scope = $1 AND key = $2"
            ),
            Db::Postgres(pool) => fetch!(
                pool,
                "SELECT request_hash, status_code, response_body, attempt, \
                 $3 - extract(epoch FROM clock_timestamp() - coalesce(claimed_at, created_at))::float8 \
                 AS lease_left FROM idempotency_keys WHERE scope = $1 AND key = $2"
            ),
        }
    }
}

/// Inside an append's transaction, for events appended under an idempotency claim: checks that
/// `attempt` still holds claim `claim_id` and marks the claim as having appended. Fails with
/// [`StoreError::IdempotencyClaimLost`] when a retry has taken it over since. (SQLite's appender
/// runs [`FENCE`] itself.) On PostgreSQL the update takes the claim's row lock, so a takeover waits
/// for the append's transaction, or the append for the takeover's (and then finds the claim
/// lost).
pub(crate) async fn fence_postgres(
    conn: &mut sqlx::PgConnection,
    claim_id: Uuid,
    attempt: i32,
) -> Result<(), StoreError> {
    let held = sqlx::query(FENCE)
        .bind(claim_id)
        .bind(attempt)
        .execute(conn)
        .await?
        .rows_affected();
    fenced(held, claim_id, attempt)
}

pub(crate) const FENCE: &str = "UPDATE idempotency_keys SET appended = TRUE \
                     WHERE claim_id = $1 AND attempt = $2 AND status_code IS NULL";

pub(crate) fn fenced(held: u64, claim_id: Uuid, attempt: i32) -> Result<(), StoreError> {
    if held == 1 {
        Ok(())
    } else {
        Err(StoreError::IdempotencyClaimLost { claim_id, attempt })
    }
}
