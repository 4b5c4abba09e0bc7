//! What only the embedded SQLite backend promises: it creates its file, accepts both URL
//! spellings, runs in WAL mode, and keeps the log across restarts.

use channel_ledger_store::{Backend, Ledger, StoreError};
use channel_ledger_tests::{counter_cqrs, metadata_at, CounterCommand};
use chrono::Utc;

#[tokio::test]
async fn a_missing_database_file_is_created_in_wal_mode_under_either_url_spelling() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        format!("sqlite:{}", dir.path().join("short.db").display()),
        format!("sqlite://{}", dir.path().join("long.db").display()),
    ] {
        let ledger = Ledger::connect(&url).await.unwrap();
        assert_eq!(ledger.backend(), Backend::Sqlite);
        ledger.ping().await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(ledger.sqlite_pool().unwrap())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
    }
    assert!(dir.path().join("short.db").exists());
    assert!(dir.path().join("long.db").exists());
}

#[tokio::test]
async fn the_log_survives_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let ledger = Ledger::connect(&url).await.unwrap();
    counter_cqrs(&ledger)
        .execute_with_metadata(
            "c",
            CounterCommand::AddEach(vec![1, 2]),
            metadata_at(Utc::now()),
        )
        .await
        .unwrap();
    let before = ledger.read_global(0, 10).await.unwrap();
    ledger.sqlite_pool().unwrap().close().await;

    let reopened = Ledger::connect(&url).await.unwrap();
    assert_eq!(reopened.read_global(0, 10).await.unwrap(), before);
    counter_cqrs(&reopened)
        .execute_with_metadata("c", CounterCommand::Add(3), metadata_at(Utc::now()))
        .await
        .unwrap();
    assert_eq!(reopened.head_position().await.unwrap(), 3);
}

#[tokio::test]
async fn an_unknown_url_scheme_is_refused() {
    let err = Ledger::connect("mysql://root:secret@localhost/ledger")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedUrl(ref scheme) if scheme == "mysql"));
    assert_eq!(Backend::Sqlite.to_string(), "sqlite");
    assert_eq!(Backend::Postgres.to_string(), "postgres");
}
