//! PostgreSQL's global order under concurrency (design.md §5): a reader paging through
//! `read_global` while many writers commit, some of them late, sees every event exactly once,
//! in position order, without gaps.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use channel_ledger_store::{Ledger, RecordedEvent};
use channel_ledger_tests::{counter_cqrs, metadata_at, postgres_ledger, CounterCommand};
use chrono::Utc;
use uuid::Uuid;

const ROUNDS: usize = 5;
const COMMAND_WRITERS: usize = 6;
const SLOW_RAW_WRITERS: usize = 2;
const COMMANDS_PER_WRITER: usize = 30;
const RAW_EVENTS_PER_WRITER: i64 = 15;

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn a_polling_reader_sees_every_event_once_in_order_while_eight_writers_commit() {
    for round in 0..ROUNDS {
        let Some(ledger) = postgres_ledger().await else {
            return;
        };

        // Arrange: a reader polling from the start while the writers run.
        let writers_done = Arc::new(AtomicBool::new(false));
        let reader = tokio::spawn(poll_until_quiet(ledger.clone(), writers_done.clone()));

        // Act
        let mut writers = Vec::new();
        for w in 0..COMMAND_WRITERS {
            writers.push(tokio::spawn(command_writer(ledger.clone(), w)));
        }
        for w in 0..SLOW_RAW_WRITERS {
            writers.push(tokio::spawn(slow_raw_writer(ledger.clone(), w)));
        }
        for writer in writers {
            writer.await.unwrap();
        }
        writers_done.store(true, Ordering::SeqCst);
        let seen = tokio::time::timeout(Duration::from_secs(60), reader)
            .await
            .expect("the reader catches up with every committed event")
            .unwrap();

        // Assert
        let log = ledger.read_global(0, u32::MAX).await.unwrap();
        let expected = COMMAND_WRITERS * (COMMANDS_PER_WRITER + COMMANDS_PER_WRITER / 3 * 2)
            + SLOW_RAW_WRITERS * RAW_EVENTS_PER_WRITER as usize;
        assert_eq!(
            log.len(),
            expected,
            "round {round}: every event is positioned"
        );
        assert_eq!(
            log.iter().map(|e| e.position).collect::<Vec<_>>(),
            (1..=expected as i64).collect::<Vec<_>>(),
            "round {round}: positions are dense"
        );
        assert_eq!(
            seen,
            summary(&log),
            "round {round}: the reader saw the final log exactly"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_waits_for_a_transaction_that_commits_late() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    let pool = ledger.postgres_pool().unwrap().clone();
    let cqrs = counter_cqrs(&ledger);
    let meta = metadata_at(Utc::now());
    cqrs.execute_with_metadata("early", CounterCommand::AddEach(vec![1, 2]), meta.clone())
        .await
        .unwrap();

    // Arrange: a transaction that has written an event and stays open while others commit.
    let mut late = pool.begin().await.unwrap();
    insert_raw_event(&mut late, "late", 1).await;
    let writers: Vec<_> = (0..3)
        .map(|i| {
            let cqrs = counter_cqrs(&ledger);
            let meta = meta.clone();
            tokio::spawn(async move {
                cqrs.execute_with_metadata(&format!("after-{i}"), CounterCommand::Add(10), meta)
                    .await
            })
        })
        .collect();
    wait_for_committed_events(&pool, 5).await;

    // Act / Assert: the later commits stay invisible to the reader while the gap is open.
    for _ in 0..10 {
        let visible = ledger.read_global(0, 100).await.unwrap();
        assert_eq!(
            visible.len(),
            2,
            "the reader must not pass the open transaction"
        );
        assert_eq!(ledger.head_position().await.unwrap(), 2);
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    late.commit().await.unwrap();
    for writer in writers {
        tokio::time::timeout(Duration::from_secs(5), writer)
            .await
            .expect("writers finish once the late transaction commits")
            .unwrap()
            .unwrap();
    }

    let log = ledger.read_global(0, 100).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.position).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5, 6]
    );
    assert_eq!(
        log[2].aggregate_id, "late",
        "the late event comes right after what was read"
    );
    assert!(log[3..]
        .iter()
        .all(|e| e.aggregate_id.starts_with("after-")));
    assert_eq!(
        ledger.read_stream("Late", "late").await.unwrap()[0].position,
        3
    );
}

/// Pages through the log from position 0 until the writers are done and everything committed
/// has been read, checking each page continues exactly where the last one ended.
async fn poll_until_quiet(ledger: Ledger, writers_done: Arc<AtomicBool>) -> Vec<(i64, Uuid)> {
    let pool = ledger.postgres_pool().unwrap().clone();
    let mut seen = Vec::new();
    let mut last = 0;
    loop {
        let done = writers_done.load(Ordering::SeqCst);
        let page = ledger.read_global(last, 37).await.unwrap();
        for event in &page {
            assert_eq!(
                event.position,
                last + 1,
                "a page skipped or repeated a position"
            );
            last = event.position;
            seen.push((event.position, event.event_id));
        }
        if done && page.is_empty() {
            let committed: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
                .fetch_one(&pool)
                .await
                .unwrap();
            if committed == last {
                return seen;
            }
        }
        if page.is_empty() {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
}

/// Many small commands, every third one appending three events.
async fn command_writer(ledger: Ledger, writer: usize) {
    let cqrs = counter_cqrs(&ledger);
    let meta = metadata_at(Utc::now());
    for i in 0..COMMANDS_PER_WRITER {
        let command = if i % 3 == 0 {
            CounterCommand::AddEach(vec![1, 2, 3])
        } else {
            CounterCommand::Add(i as i64 + 1)
        };
        cqrs.execute_with_metadata(&format!("w{writer}-{}", i % 4), command, meta.clone())
            .await
            .unwrap();
    }
}

/// Raw inserts whose transactions stay open for a few milliseconds and do not wait for a
/// position: the events that commit late behind others.
async fn slow_raw_writer(ledger: Ledger, writer: usize) {
    let pool = ledger.postgres_pool().unwrap().clone();
    for sequence in 1..=RAW_EVENTS_PER_WRITER {
        let mut tx = pool.begin().await.unwrap();
        insert_raw_event(&mut tx, &format!("raw-{writer}"), sequence).await;
        tokio::time::sleep(Duration::from_millis(
            (sequence as u64 * 7 + writer as u64) % 13,
        ))
        .await;
        tx.commit().await.unwrap();
    }
}

async fn insert_raw_event(tx: &mut sqlx::PgConnection, aggregate_id: &str, sequence: i64) {
    sqlx::query(
        "INSERT INTO events (event_id, aggregate_type, aggregate_id, sequence, event_type, \
         event_version, payload, metadata, effective_at) \
         VALUES ($1, 'Late', $2, $3, 'Noted', '1', '{}', '{}', now())",
    )
    .bind(Uuid::now_v7())
    .bind(aggregate_id)
    .bind(sequence)
    .execute(tx)
    .await
    .unwrap();
}

async fn wait_for_committed_events(pool: &sqlx::PgPool, count: i64) {
    for _ in 0..500 {
        let committed: i64 = sqlx::query_scalar("SELECT count(*) FROM events")
            .fetch_one(pool)
            .await
            .unwrap();
        if committed >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the writers did not commit");
}

fn summary(log: &[RecordedEvent]) -> Vec<(i64, Uuid)> {
    log.iter().map(|e| (e.position, e.event_id)).collect()
}
