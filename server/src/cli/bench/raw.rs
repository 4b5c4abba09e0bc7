//! The reference: raw single-row INSERTs of an event-shaped row, one transaction each, into a
//! scratch table of the same database, with the same number of concurrent clients.

use std::time::{Duration, Instant};

use channel_ledger_store::Ledger;
use serde_json::json;
use uuid::Uuid;

const TABLE: &str = "bench_raw_insert";

pub async fn single_row_inserts(
    ledger: &Ledger,
    clients: usize,
    rows: usize,
) -> anyhow::Result<Duration> {
    create_table(ledger).await?;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..clients {
        let ledger = ledger.clone();
        let share = rows / clients + usize::from(c < rows % clients);
        tasks.spawn(async move { insert_rows(ledger, share).await });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(started.elapsed())
}

async fn insert_rows(ledger: Ledger, rows: usize) -> anyhow::Result<()> {
    let payload =
        json!({"PartnerTierChanged": {"from": "Silver", "to": "Gold", "evidence": "bench"}});
    let metadata = json!({"actor_id": Uuid::nil(), "authority": "bench", "effective_at": "2026-01-01T00:00:00Z"});
    for i in 0..rows {
        let stream = Uuid::now_v7().to_string();
        if let Some(pool) = ledger.postgres_pool() {
            sqlx::query(&format!(
                "INSERT INTO {TABLE} (event_id, aggregate_id, sequence, payload, metadata) \
                 VALUES ($1, $2, $3, $4, $5)"
            ))
            .bind(Uuid::now_v7())
            .bind(&stream)
            .bind(i as i64)
            .bind(&payload)
            .bind(&metadata)
            .execute(pool)
            .await?;
        } else if let Some(pool) = ledger.sqlite_pool() {
            sqlx::query(&format!(
                "INSERT INTO {TABLE} (event_id, aggregate_id, sequence, payload, metadata) \
                 VALUES (?, ?, ?, ?, ?)"
            ))
            .bind(Uuid::now_v7().to_string())
            .bind(&stream)
            .bind(i as i64)
            .bind(payload.to_string())
            .bind(metadata.to_string())
            .execute(pool)
            .await?;
        }
    }
    Ok(())
}

async fn create_table(ledger: &Ledger) -> anyhow::Result<()> {
    if let Some(pool) = ledger.postgres_pool() {
        sqlx::query(&format!(
            "CREATE TABLE IF NOT EXISTS {TABLE} (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
             event_id UUID NOT NULL, aggregate_id TEXT NOT NULL, sequence BIGINT NOT NULL, \
             payload JSONB NOT NULL, metadata JSONB NOT NULL, \
             recorded_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())"
        ))
        .execute(pool)
        .await?;
    } else if let Some(pool) = ledger.sqlite_pool() {
        sqlx::query(&format!(
            "CREATE TABLE IF NOT EXISTS {TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT, \
             event_id TEXT NOT NULL, aggregate_id TEXT NOT NULL, sequence INTEGER NOT NULL, \
             payload TEXT NOT NULL, metadata TEXT NOT NULL, \
             recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"
        ))
        .execute(pool)
        .await?;
    }
    Ok(())
}

pub async fn drop_table(ledger: &Ledger) -> anyhow::Result<()> {
    let sql = format!("DROP TABLE IF EXISTS {TABLE}");
    if let Some(pool) = ledger.postgres_pool() {
        sqlx::query(&sql).execute(pool).await?;
    } else if let Some(pool) = ledger.sqlite_pool() {
        sqlx::query(&sql).execute(pool).await?;
    }
    Ok(())
}
