//! API tokens: who may call the API. Stored by SHA-256 hash only; revocable, so not in the log.

use chrono::{DateTime, Utc};
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use uuid::fmt::Hyphenated;
use uuid::Uuid;

use crate::ledger::{Db, Ledger};
use crate::{sqlite_text, StoreError};

/// A token to store. `token_hash` is the SHA-256 of the secret the holder presents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub token_id: Uuid,
    pub staff_id: Uuid,
    pub token_hash: [u8; 32],
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
}

/// A stored token, revoked or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub token_id: Uuid,
    pub staff_id: Uuid,
    pub token_hash: [u8; 32],
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<Uuid>,
}

impl TokenRecord {
    pub fn is_revoked(&self) -> bool {
        self.revoked_at.is_some()
    }

    fn from_pg(row: &PgRow) -> Result<Self, StoreError> {
        Ok(Self {
            token_id: row.try_get("token_id")?,
            staff_id: row.try_get("staff_id")?,
            token_hash: hash_from_db(row.try_get("token_hash")?)?,
            label: row.try_get("label")?,
            created_at: row.try_get("created_at")?,
            created_by: row.try_get("created_by")?,
            revoked_at: row.try_get("revoked_at")?,
            revoked_by: row.try_get("revoked_by")?,
        })
    }

    fn from_sqlite(row: &SqliteRow) -> Result<Self, StoreError> {
        let uuid = |column: &str| -> Result<Uuid, StoreError> {
            Ok(row.try_get::<Hyphenated, _>(column)?.into_uuid())
        };
        let revoked_at: Option<String> = row.try_get("revoked_at")?;
        let revoked_by: Option<Hyphenated> = row.try_get("revoked_by")?;
        Ok(Self {
            token_id: uuid("token_id")?,
            staff_id: uuid("staff_id")?,
            token_hash: hash_from_db(row.try_get("token_hash")?)?,
            label: row.try_get("label")?,
            created_at: sqlite_text::parse_instant("created_at", row.try_get("created_at")?)?,
            created_by: uuid("created_by")?,
            revoked_at: revoked_at
                .map(|t| sqlite_text::parse_instant("revoked_at", &t))
                .transpose()?,
            revoked_by: revoked_by.map(Hyphenated::into_uuid),
        })
    }
}

fn hash_from_db(bytes: Vec<u8>) -> Result<[u8; 32], StoreError> {
    <[u8; 32]>::try_from(bytes).map_err(|bytes| StoreError::Corrupt {
        what: "token hash",
        detail: format!("{} bytes instead of 32", bytes.len()),
    })
}

const TOKEN_COLUMNS: &str =
    "token_id, staff_id, token_hash, label, created_at, created_by, revoked_at, revoked_by";

impl Ledger {
    #[tracing::instrument(skip_all, fields(token.id = %token.token_id, staff.id = %token.staff_id), err)]
    pub async fn insert_token(&self, token: &NewToken) -> Result<(), StoreError> {
        let sql = "INSERT INTO api_tokens (token_id, staff_id, token_hash, label, created_at, created_by) \
                   VALUES ($1, $2, $3, $4, $5, $6)";
        match &self.db {
            Db::Sqlite(pool) => sqlx::query(sql)
                .bind(token.token_id.hyphenated())
                .bind(token.staff_id.hyphenated())
                .bind(&token.token_hash[..])
                .bind(&token.label)
                .bind(sqlite_text::instant(token.created_at))
                .bind(token.created_by.hyphenated())
                .execute(pool)
                .await?
                .rows_affected(),
            Db::Postgres(pool) => sqlx::query(sql)
                .bind(token.token_id)
                .bind(token.staff_id)
                .bind(&token.token_hash[..])
                .bind(&token.label)
                .bind(token.created_at)
                .bind(token.created_by)
                .execute(pool)
                .await?
                .rows_affected(),
        };
        Ok(())
    }

    /// The token with this hash, revoked or not (the caller decides what a revoked token
    /// means), and how many events its owner's stream of type `owner_type` holds (the highest
    /// sequence; 0 for none). One read tells an
    /// authenticator both whether the token still holds and whether what it knew of the owner
    /// is still all there is.
    #[tracing::instrument(skip_all, err)]
    pub async fn find_token_with_owner_events(
        &self,
        hash: &[u8; 32],
        owner_type: &str,
    ) -> Result<Option<(TokenRecord, i64)>, StoreError> {
        let sql = |owner_id: &str| {
            format!(
                "SELECT {TOKEN_COLUMNS}, (SELECT coalesce(max(e.sequence), 0) FROM events e \
                 WHERE e.aggregate_type = $2 AND e.aggregate_id = {owner_id}) AS owner_events \
                 FROM api_tokens WHERE token_hash = $1"
            )
        };
        let found = match &self.db {
            Db::Sqlite(pool) => sqlx::query(&sql("api_tokens.staff_id"))
                .bind(&hash[..])
                .bind(owner_type)
                .fetch_optional(pool)
                .await?
                .map(|row| {
                    Ok::<_, StoreError>((
                        TokenRecord::from_sqlite(&row)?,
                        row.try_get("owner_events")?,
                    ))
                })
                .transpose()?,
            Db::Postgres(pool) => sqlx::query(&sql("api_tokens.staff_id::text"))
                .bind(&hash[..])
                .bind(owner_type)
                .fetch_optional(pool)
                .await?
                .map(|row| {
                    Ok::<_, StoreError>((TokenRecord::from_pg(&row)?, row.try_get("owner_events")?))
                })
                .transpose()?,
        };
        Ok(found)
    }

    /// Revokes a live token; `false` when it is unknown or already revoked.
    #[tracing::instrument(skip_all, fields(token.id = %token_id, staff.id = %revoked_by), err)]
    pub async fn revoke_token(
        &self,
        token_id: Uuid,
        revoked_by: Uuid,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 \
                   WHERE token_id = $3 AND revoked_at IS NULL";
        let done = match &self.db {
            Db::Sqlite(pool) => sqlx::query(sql)
                .bind(sqlite_text::instant(at))
                .bind(revoked_by.hyphenated())
                .bind(token_id.hyphenated())
                .execute(pool)
                .await?
                .rows_affected(),
            Db::Postgres(pool) => sqlx::query(sql)
                .bind(at)
                .bind(revoked_by)
                .bind(token_id)
                .execute(pool)
                .await?
                .rows_affected(),
        };
        Ok(done == 1)
    }

    /// A staff member's tokens, oldest first, revoked ones included.
    #[tracing::instrument(skip_all, fields(staff.id = %staff_id), err)]
    pub async fn list_tokens(&self, staff_id: Uuid) -> Result<Vec<TokenRecord>, StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE staff_id = $1 ORDER BY created_at, token_id"
        );
        match &self.db {
            Db::Sqlite(pool) => sqlx::query(&sql)
                .bind(staff_id.hyphenated())
                .fetch_all(pool)
                .await?
                .iter()
                .map(TokenRecord::from_sqlite)
                .collect(),
            Db::Postgres(pool) => sqlx::query(&sql)
                .bind(staff_id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(TokenRecord::from_pg)
                .collect(),
        }
    }
}
