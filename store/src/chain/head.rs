//! The chain's head: what `GET /api/v1/ledger/digest` answers and an auditor keeps.

use sqlx::Row;

use super::{ChainHead, Link};
use crate::ledger::{Db, Ledger};
use crate::{sequencer, StoreError};

const HEAD: &str = "SELECT position, link FROM event_chain ORDER BY position DESC LIMIT 1";

impl Ledger {
    /// The last linked position and its link; [`ChainHead::EMPTY`] for an empty log. It does not
    /// verify anything: keep it, and pass it to [`Ledger::verify_chain`] later.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend()), err)]
    pub async fn chain_head(&self) -> Result<ChainHead, StoreError> {
        let row = match &self.db {
            Db::Sqlite(pool) => sqlx::query(HEAD)
                .fetch_optional(pool)
                .await?
                .map(|row| (row.try_get("position"), row.try_get::<Vec<u8>, _>("link"))),
            Db::Postgres(pool) => {
                sequencer::sequence_unless_busy(pool).await?;
                sqlx::query(HEAD)
                    .fetch_optional(pool)
                    .await?
                    .map(|row| (row.try_get("position"), row.try_get::<Vec<u8>, _>("link")))
            }
        };
        let Some((position, link)) = row else {
            return Ok(ChainHead::EMPTY);
        };
        let (position, link) = (position?, link?);
        let hash = Link::from_slice(&link).ok_or_else(|| StoreError::Corrupt {
            what: "hash chain",
            detail: format!("the link at position {position} is not 32 bytes"),
        })?;
        Ok(ChainHead { position, hash })
    }
}
