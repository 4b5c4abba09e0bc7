//! SQLite's side of the chain. One writer at a time, so the append transaction itself numbers
//! its events and links them after the head it read (`sqlite_append.rs`); a ledger written
//! before the chain existed gets its links once, when it is opened.

use sqlx::{SqliteConnection, SqlitePool};

use super::slots::sqlite_slots;
use super::{ChainHead, Link};
use crate::StoreError;

/// Positions linked per statement when a ledger from before the chain is opened.
const BACKFILL_PAGE: u32 = 1000;

/// An event's place in the log: its position, the `events.id` of its row, and its link.
pub(crate) struct Placed {
    pub position: i64,
    pub row_id: i64,
    pub link: Link,
}

/// Selects the last position and its link (no row for an empty log): what an append links after.
pub(crate) const HEAD: &str = "SELECT p.position, c.link FROM event_positions p \
     LEFT JOIN event_chain c ON c.position = p.position \
     ORDER BY p.position DESC LIMIT 1";

/// Writes positions and links in one call of two statements, in the caller's transaction (an
/// import's; appends place theirs in `sqlite_append.rs`).
pub(crate) async fn place(
    conn: &mut SqliteConnection,
    placed: &[Placed],
) -> Result<(), StoreError> {
    if placed.is_empty() {
        return Ok(());
    }
    let values = vec!["(?, ?)"; placed.len()].join(", ");
    let sql = format!(
        "INSERT INTO event_positions (position, event_id) VALUES {values}; \
         INSERT INTO event_chain (position, link) VALUES {values}"
    );
    let mut query = sqlx::query(&sql);
    for p in placed {
        query = query.bind(p.position).bind(p.row_id);
    }
    for p in placed {
        query = query.bind(p.position).bind(p.link.as_bytes().to_vec());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

async fn link(conn: &mut SqliteConnection, links: Vec<(i64, Link)>) -> Result<(), StoreError> {
    let sql = format!(
        "INSERT INTO event_chain (position, link) VALUES {}",
        vec!["(?, ?)"; links.len()].join(", ")
    );
    let mut query = sqlx::query(&sql);
    for (position, link) in links {
        query = query.bind(position).bind(link.as_bytes().to_vec());
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// Links every position of a ledger whose chain is still empty (one written before migration
/// 0006), in one transaction. A chain that is merely short is left alone: that is for
/// verification to report, not for opening the ledger to paper over.
pub(crate) async fn backfill(pool: &SqlitePool) -> Result<(), StoreError> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    // Runs on every open: two index probes, not counts over a million rows.
    let (any_position, any_link): (bool, bool) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM event_positions), EXISTS (SELECT 1 FROM event_chain)",
    )
    .fetch_one(&mut *tx)
    .await?;
    if !any_position || any_link {
        return Ok(());
    }
    tracing::info!("linking a ledger written before the hash chain");
    let mut head = ChainHead::EMPTY;
    loop {
        let slots = sqlite_slots(&mut *tx, head.position, BACKFILL_PAGE).await?;
        if slots.is_empty() {
            break;
        }
        let mut links = Vec::with_capacity(slots.len());
        for slot in slots {
            let position = slot.position;
            let mut entry = slot.into_event().map_err(|detail| StoreError::Corrupt {
                what: "event log",
                detail: format!("position {position} cannot be linked: {detail}"),
            })?;
            if position != head.position + 1 {
                return Err(StoreError::Corrupt {
                    what: "event log",
                    detail: format!("position {} is missing", head.position + 1),
                });
            }
            entry.hash = entry.link_after(&head.hash);
            head = ChainHead {
                position,
                hash: entry.hash,
            };
            links.push((position, entry.hash));
        }
        link(&mut tx, links).await?;
    }
    tx.commit().await?;
    Ok(())
}
