//! The hash chain on both backends: what the application writes verifies, and what a database
//! superuser changes behind its back (guard triggers dropped or disabled) is named at the first
//! position it breaks.

use channel_ledger_store::chain::{ChainHead, Link, Problem, Verification};
use channel_ledger_store::Ledger;
use channel_ledger_tests::{counter_cqrs, metadata_at, raw_execute, sqlite_ledger, CounterCommand};
use chrono::Utc;

channel_ledger_tests::on_both_backends!(
    an_empty_log_verifies_at_position_zero,
    what_the_application_appends_verifies_and_the_digest_is_its_head,
    concurrent_writers_leave_a_chain_that_verifies,
    an_altered_payload_is_named_at_its_position,
    an_altered_recorded_time_is_named_at_its_position,
    a_removed_event_is_named_at_its_position,
    two_swapped_events_are_named_at_the_first_of_them,
    a_kept_digest_catches_a_truncated_log,
    a_kept_digest_that_differs_means_the_log_was_rewritten,
    the_chain_table_refuses_update_and_delete,
);

/// Six events at positions 1 to 6, in three streams of two.
async fn six_events(ledger: &Ledger) {
    let cqrs = counter_cqrs(ledger);
    for (stream, amounts) in [("a", vec![1, 2]), ("b", vec![3, 4]), ("c", vec![5, 6])] {
        cqrs.execute_with_metadata(
            stream,
            CounterCommand::AddEach(amounts),
            metadata_at(Utc::now()),
        )
        .await
        .unwrap();
    }
}

/// Runs `statements` as the database's owner with the log's guards off: on SQLite by dropping
/// the refusing triggers and foreign keys, on PostgreSQL with `session_replication_role =
/// replica` (superuser only), which skips triggers and foreign keys for this transaction.
async fn tamper(ledger: &Ledger, statements: &[&str]) {
    if let Some(pool) = ledger.sqlite_pool() {
        let mut conn = pool.acquire().await.unwrap();
        for trigger in [
            "events_refuse_update",
            "events_refuse_delete",
            "event_positions_refuse_update",
            "event_positions_refuse_delete",
            "event_chain_refuse_update",
            "event_chain_refuse_delete",
        ] {
            sqlx::query(&format!("DROP TRIGGER IF EXISTS {trigger}"))
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await
            .unwrap();
        for sql in statements {
            sqlx::query(sql).execute(&mut *conn).await.unwrap();
        }
        sqlx::query("PRAGMA foreign_keys = ON")
            .execute(&mut *conn)
            .await
            .unwrap();
        return;
    }
    let pool = ledger.postgres_pool().unwrap();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("SET LOCAL session_replication_role = replica")
        .execute(&mut *tx)
        .await
        .unwrap();
    for sql in statements {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

/// The internal row id of the event at `position`, as SQL.
fn event_at(position: i64) -> String {
    format!("(SELECT event_id FROM event_positions WHERE position = {position})")
}

async fn verify(ledger: &Ledger) -> Verification {
    ledger.verify_chain(None).await.unwrap()
}

fn intact_head(verification: &Verification) -> ChainHead {
    match verification {
        Verification::Intact { head } => *head,
        Verification::Broken(b) => panic!("expected an intact chain, got a break at {b}"),
    }
}

async fn an_empty_log_verifies_at_position_zero(ledger: &Ledger) {
    // Act
    let verification = verify(ledger).await;

    // Assert
    assert_eq!(intact_head(&verification), ChainHead::EMPTY);
    assert_eq!(ledger.chain_head().await.unwrap(), ChainHead::EMPTY);
}

async fn what_the_application_appends_verifies_and_the_digest_is_its_head(ledger: &Ledger) {
    // Arrange
    six_events(ledger).await;

    // Act
    let head = intact_head(&verify(ledger).await);

    // Assert
    assert_eq!(head.position, 6);
    assert_eq!(ledger.chain_head().await.unwrap(), head);
    // A digest kept now still verifies after more appends.
    six_events_more(ledger).await;
    let later = ledger.verify_chain(Some(head)).await.unwrap();
    assert_eq!(intact_head(&later).position, 12);
}

async fn six_events_more(ledger: &Ledger) {
    let cqrs = counter_cqrs(ledger);
    cqrs.execute_with_metadata(
        "d",
        CounterCommand::AddEach(vec![7, 8, 9, 10, 11, 12]),
        metadata_at(Utc::now()),
    )
    .await
    .unwrap();
}

async fn concurrent_writers_leave_a_chain_that_verifies(ledger: &Ledger) {
    // Arrange: eight writers at once, each on its own streams.
    let mut writers = tokio::task::JoinSet::new();
    for writer in 0..8 {
        let ledger = ledger.clone();
        writers.spawn(async move {
            let cqrs = counter_cqrs(&ledger);
            for i in 0..10 {
                cqrs.execute_with_metadata(
                    &format!("w{writer}-{i}"),
                    CounterCommand::AddEach(vec![1, 2]),
                    metadata_at(Utc::now()),
                )
                .await
                .unwrap();
            }
        });
    }
    while let Some(done) = writers.join_next().await {
        done.unwrap();
    }

    // Act
    let head = intact_head(&verify(ledger).await);

    // Assert
    assert_eq!(head.position, 160);
}

/// The break a verification found, asserting there is one.
fn broken(verification: Verification) -> channel_ledger_store::chain::ChainBreak {
    match verification {
        Verification::Broken(b) => b,
        Verification::Intact { head } => panic!("expected a break, the chain verifies to {head:?}"),
    }
}

async fn an_altered_payload_is_named_at_its_position(ledger: &Ledger) {
    // Arrange
    six_events(ledger).await;
    let sound = ledger.read_global(0, 10).await.unwrap();
    tamper(
        ledger,
        &[&format!(
            r#"UPDATE events SET payload = '{{"Added":{{"amount":300}}}}' WHERE id = {}"#,
            event_at(3)
        )],
    )
    .await;

    // Act
    let found = broken(verify(ledger).await);

    // Assert
    assert_eq!(found.position, 3);
    assert_eq!(found.problem, Problem::Altered);
    let event = found.event.as_ref().expect("the altered event is named");
    assert_eq!(event.event_id, sound[2].event_id);
    assert_eq!((event.aggregate_id.as_str(), event.sequence), ("b", 1));
    assert_eq!(found.verified.position, 2);
    assert!(found.to_string().contains("position 3"), "{found}");
}

async fn an_altered_recorded_time_is_named_at_its_position(ledger: &Ledger) {
    // Arrange
    six_events(ledger).await;
    let earlier = if ledger.sqlite_pool().is_some() {
        "'2020-01-01T00:00:00.000000Z'"
    } else {
        "'2020-01-01T00:00:00Z'"
    };
    tamper(
        ledger,
        &[&format!(
            "UPDATE events SET recorded_at = {earlier} WHERE id = {}",
            event_at(5)
        )],
    )
    .await;

    // Act
    let found = broken(verify(ledger).await);

    // Assert
    assert_eq!((found.position, found.problem), (5, Problem::Altered));
}

async fn a_removed_event_is_named_at_its_position(ledger: &Ledger) {
    // Arrange
    six_events(ledger).await;
    tamper(
        ledger,
        &[
            &format!("DELETE FROM events WHERE id = {}", event_at(4)),
            "DELETE FROM event_positions WHERE position = 4",
            "DELETE FROM event_chain WHERE position = 4",
        ],
    )
    .await;

    // Act
    let found = broken(verify(ledger).await);

    // Assert
    assert_eq!((found.position, found.problem), (4, Problem::Removed));
    assert_eq!(found.verified.position, 3);
}

async fn two_swapped_events_are_named_at_the_first_of_them(ledger: &Ledger) {
    // Arrange: the events at positions 2 and 5 trade places; the links stay where they were.
    six_events(ledger).await;
    let sound = ledger.read_global(0, 10).await.unwrap();
    tamper(
        ledger,
        &[
            "UPDATE event_positions SET position = -2 WHERE position = 2",
            "UPDATE event_positions SET position = 2 WHERE position = 5",
            "UPDATE event_positions SET position = 5 WHERE position = -2",
        ],
    )
    .await;

    // Act
    let found = broken(verify(ledger).await);

    // Assert
    assert_eq!(found.position, 2);
    assert_eq!(found.problem, Problem::Reordered { found_at: 5 });
    assert_eq!(found.event.unwrap().event_id, sound[4].event_id);
}

async fn a_kept_digest_catches_a_truncated_log(ledger: &Ledger) {
    // Arrange: the auditor keeps the digest; then the last event disappears without a trace.
    six_events(ledger).await;
    let kept = ledger.chain_head().await.unwrap();
    tamper(
        ledger,
        &[
            &format!("DELETE FROM events WHERE id = {}", event_at(6)),
            "DELETE FROM event_positions WHERE position = 6",
            "DELETE FROM event_chain WHERE position = 6",
        ],
    )
    .await;

    // Act
    let alone = verify(ledger).await;
    let with_digest = broken(ledger.verify_chain(Some(kept)).await.unwrap());

    // Assert: on its own the shorter chain holds; the digest shows what is missing.
    assert_eq!(intact_head(&alone).position, 5);
    assert_eq!(with_digest.position, 6);
    assert_eq!(with_digest.problem, Problem::Truncated { kept });
}

async fn a_kept_digest_that_differs_means_the_log_was_rewritten(ledger: &Ledger) {
    // Arrange: a digest of position 3 that this log never had, as if it had been rewritten and
    // re-hashed since.
    six_events(ledger).await;
    let kept = ChainHead {
        position: 3,
        hash: Link::from([7; 32]),
    };

    // Act
    let found = broken(ledger.verify_chain(Some(kept)).await.unwrap());

    // Assert
    assert_eq!(found.position, 3);
    assert!(matches!(found.problem, Problem::DigestMismatch { kept: k, .. } if k == kept.hash));
}

async fn the_chain_table_refuses_update_and_delete(ledger: &Ledger) {
    // Arrange
    six_events(ledger).await;
    let mut statements = vec![
        "UPDATE event_chain SET position = position + 100",
        "DELETE FROM event_chain WHERE position = 6",
    ];
    if ledger.postgres_pool().is_some() {
        statements.push("TRUNCATE event_chain");
    }

    // Act / Assert
    for sql in statements {
        let err = raw_execute(ledger, sql)
            .await
            .expect_err(&format!("`{sql}` must be refused"));
        assert!(
            err.to_string().contains("append-only"),
            "`{sql}` failed for another reason: {err}"
        );
    }
    assert_eq!(intact_head(&verify(ledger).await).position, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sqlite_ledger_from_before_the_chain_is_linked_when_opened() {
    // Arrange: a log whose chain table is empty, as migration 0006 leaves an older ledger.
    let (ledger, dir) = sqlite_ledger().await;
    six_events(&ledger).await;
    let before = ledger.read_global(0, 10).await.unwrap();
    tamper(&ledger, &["DELETE FROM event_chain"]).await;
    assert_eq!(ledger.chain_head().await.unwrap(), ChainHead::EMPTY);
    ledger.sqlite_pool().unwrap().close().await;

    // Act
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let reopened = Ledger::connect(&url).await.unwrap();

    // Assert
    let head = intact_head(&verify(&reopened).await);
    assert_eq!(head.position, 6);
    assert_eq!(reopened.read_global(0, 10).await.unwrap(), before);
    // And appending continues the chain.
    six_events_more(&reopened).await;
    assert_eq!(intact_head(&verify(&reopened).await).position, 12);
}
