//! The store's contract, run against both backends: every scenario is one async fn taking a
//! fresh [`Ledger`], and `on_both_backends!` makes a SQLite test and a PostgreSQL test of it.

use std::collections::HashSet;

use channel_ledger_store::{Claim, IdempotencyOutcome, Ledger, NewToken, StoreError, TokenRecord};
use channel_ledger_tests::{
    counter_cqrs, metadata_at, raw_execute, Counter, CounterCommand, CounterEvent,
};
use chrono::{Duration, DurationRound, Utc};
use cqrs_es::persist::{PersistedEventRepository, PersistenceError, SerializedEvent};
use cqrs_es::{AggregateError, EventStore};
use serde_json::json;
use uuid::Uuid;

channel_ledger_tests::on_both_backends!(
    appended_events_read_back_with_metadata_and_both_times,
    positions_are_dense_ascending_and_page_without_gaps,
    the_raw_scan_reads_the_same_log_as_read_global,
    a_raw_stream_read_is_the_stream_as_text,
    stream_ids_list_streams_in_order_of_first_appearance,
    a_stale_command_is_refused_as_a_conflict_and_appends_nothing,
    concurrent_commands_on_one_aggregate_never_share_a_sequence,
    metadata_without_effective_time_is_refused,
    the_database_refuses_to_update_or_delete_the_log,
    tokens_are_found_by_hash_listed_and_revoked_once,
    idempotency_keys_replay_refuse_mismatches_and_can_be_abandoned,
    a_claim_whose_lease_ran_out_is_taken_over_and_its_old_attempt_can_append_nothing,
    a_claim_that_appended_before_its_attempt_died_is_resumed,
);

async fn appended_events_read_back_with_metadata_and_both_times(ledger: &Ledger) {
    // Arrange: a late entry, effective three days ago.
    let cqrs = counter_cqrs(ledger);
    let effective = (Utc::now() - Duration::days(3))
        .duration_trunc(Duration::microseconds(1))
        .unwrap();
    let meta = metadata_at(effective);
    let before = Utc::now()
        .duration_trunc(Duration::milliseconds(1))
        .unwrap();

    // Act
    cqrs.execute_with_metadata("c-1", CounterCommand::AddEach(vec![5, 7]), meta.clone())
        .await
        .unwrap();
    cqrs.execute_with_metadata("c-1", CounterCommand::Add(-2), meta.clone())
        .await
        .unwrap();
    let after = Utc::now();

    // Assert
    let stream = ledger.read_stream("Counter", "c-1").await.unwrap();
    assert_eq!(stream.len(), 3);
    let amounts: Vec<_> = stream.iter().map(|e| e.payload.clone()).collect();
    assert_eq!(
        amounts,
        vec![
            json!({"Added": {"amount": 5}}),
            json!({"Added": {"amount": 7}}),
            json!({"Added": {"amount": -2}}),
        ]
    );
    for (i, event) in stream.iter().enumerate() {
        assert_eq!(event.sequence, i as i64 + 1);
        assert_eq!(event.aggregate_type, "Counter");
        assert_eq!(event.aggregate_id, "c-1");
        assert_eq!(event.event_type, "CounterAdded");
        assert_eq!(event.event_version, "1");
        assert_eq!(event.metadata, serde_json::to_value(&meta).unwrap());
        assert_eq!(event.effective_at, effective);
        assert!(
            before <= event.recorded_at && event.recorded_at <= after,
            "recorded_at {} not within [{before}, {after}]",
            event.recorded_at
        );
        assert_eq!(event.event_id.get_version_num(), 7);
    }
    let ids: HashSet<_> = stream.iter().map(|e| e.event_id).collect();
    assert_eq!(ids.len(), 3);

    let loaded = ledger
        .event_store::<Counter>()
        .load_aggregate("c-1")
        .await
        .unwrap();
    let mut context = loaded;
    let counter = cqrs_es::AggregateContext::aggregate(&mut context).clone();
    assert_eq!(
        counter,
        Counter {
            total: 10,
            additions: 3
        }
    );
}

async fn the_raw_scan_reads_the_same_log_as_read_global(ledger: &Ledger) {
    // Arrange: a value with escapes, so the text is compared as text, not as bytes.
    let cqrs = counter_cqrs(ledger);
    let mut meta = metadata_at(Utc::now() - Duration::days(2));
    meta.insert("reason".into(), "a \"late\" entry\\n".into());
    for id in ["a", "b", "a"] {
        cqrs.execute_with_metadata(id, CounterCommand::AddEach(vec![1, 2]), meta.clone())
            .await
            .unwrap();
    }

    // Act: the whole log in pages of 4, and one page from the middle.
    let all = ledger.read_global(0, 100).await.unwrap();
    let mut raw = Vec::new();
    let mut after = 0;
    loop {
        let page = ledger.read_global_raw(after, 4).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.position;
        raw.extend(page);
    }
    let middle = ledger.read_global_raw(2, 3).await.unwrap();

    // Assert
    assert_eq!(raw.len(), all.len());
    for (raw, event) in raw.iter().zip(&all) {
        assert_eq!(raw.position, event.position);
        assert_eq!(raw.event_id, event.event_id);
        assert_eq!(
            (&raw.aggregate_type, &raw.aggregate_id, raw.sequence),
            (&event.aggregate_type, &event.aggregate_id, event.sequence)
        );
        assert_eq!(
            (&raw.event_type, &raw.event_version),
            (&event.event_type, &event.event_version)
        );
        let payload: serde_json::Value = serde_json::from_str(&raw.payload).unwrap();
        let metadata: serde_json::Value = serde_json::from_str(&raw.metadata).unwrap();
        assert_eq!(
            (payload, metadata),
            (event.payload.clone(), event.metadata.clone())
        );
        assert_eq!(
            (raw.effective_at, raw.recorded_at),
            (event.effective_at, event.recorded_at)
        );
    }
    let positions: Vec<i64> = middle.iter().map(|e| e.position).collect();
    assert_eq!(positions, vec![3, 4, 5]);
}

async fn a_raw_stream_read_is_the_stream_as_text(ledger: &Ledger) {
    // Arrange: two streams interleaved, one value with escapes.
    let cqrs = counter_cqrs(ledger);
    let mut meta = metadata_at(Utc::now() - Duration::days(1));
    meta.insert("reason".into(), "a \"late\" entry\\n".into());
    for id in ["a", "b", "a"] {
        cqrs.execute_with_metadata(id, CounterCommand::AddEach(vec![1, 2]), meta.clone())
            .await
            .unwrap();
    }

    // Act
    let stream = ledger.read_stream("Counter", "a").await.unwrap();
    let raw = ledger.read_stream_raw("Counter", "a").await.unwrap();
    let nobody = ledger.read_stream_raw("Counter", "nobody").await.unwrap();

    // Assert: the same events in the same order, payload and metadata as their JSON text.
    assert_eq!(raw.len(), 4);
    assert_eq!(raw.len(), stream.len());
    for (raw, event) in raw.iter().zip(&stream) {
        assert_eq!(
            (raw.position, raw.event_id, raw.sequence),
            (event.position, event.event_id, event.sequence)
        );
        assert_eq!(raw.aggregate_id, "a");
        assert_eq!(
            (&raw.event_type, &raw.event_version),
            (&event.event_type, &event.event_version)
        );
        let payload: serde_json::Value = serde_json::from_str(&raw.payload).unwrap();
        let metadata: serde_json::Value = serde_json::from_str(&raw.metadata).unwrap();
        assert_eq!(
            (payload, metadata),
            (event.payload.clone(), event.metadata.clone())
        );
        assert_eq!(
            (raw.effective_at, raw.recorded_at),
            (event.effective_at, event.recorded_at)
        );
    }
    assert!(nobody.is_empty());
}

async fn positions_are_dense_ascending_and_page_without_gaps(ledger: &Ledger) {
    // Arrange
    assert_eq!(ledger.head_position().await.unwrap(), 0);
    assert!(ledger.read_global(0, 10).await.unwrap().is_empty());
    let cqrs = counter_cqrs(ledger);
    let meta = metadata_at(Utc::now());
    for (id, amounts) in [
        ("a", vec![1]),
        ("b", vec![2, 3]),
        ("a", vec![4]),
        ("c", vec![5, 6, 7]),
        ("b", vec![8]),
    ] {
        cqrs.execute_with_metadata(id, CounterCommand::AddEach(amounts), meta.clone())
            .await
            .unwrap();
    }

    // Act
    let all = ledger.read_global(0, 1000).await.unwrap();
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let page = ledger.read_global(after, 3).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.position;
        paged.extend(page);
    }

    // Assert
    let positions: Vec<i64> = all.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=8).collect::<Vec<_>>());
    let amounts: Vec<i64> = all
        .iter()
        .map(|e| e.payload["Added"]["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(
        amounts,
        vec![1, 2, 3, 4, 5, 6, 7, 8],
        "global order is commit order"
    );
    assert_eq!(paged, all);
    assert_eq!(ledger.head_position().await.unwrap(), 8);
    assert!(ledger.read_global(8, 10).await.unwrap().is_empty());
    assert_eq!(ledger.read_global(6, 10).await.unwrap().len(), 2);
    assert_eq!(
        ledger.position_of("Counter", "b", 2).await.unwrap(),
        Some(3)
    );
    assert_eq!(
        ledger.position_of("Counter", "b", 3).await.unwrap(),
        Some(8)
    );
    assert_eq!(ledger.position_of("Counter", "b", 4).await.unwrap(), None);
    let b: Vec<i64> = ledger
        .read_stream("Counter", "b")
        .await
        .unwrap()
        .iter()
        .map(|e| e.position)
        .collect();
    assert_eq!(b, vec![2, 3, 8]);
    assert!(ledger
        .read_stream("Counter", "nobody")
        .await
        .unwrap()
        .is_empty());
}

async fn stream_ids_list_streams_in_order_of_first_appearance(ledger: &Ledger) {
    let cqrs = counter_cqrs(ledger);
    let meta = metadata_at(Utc::now());
    for id in ["zeta", "alpha", "zeta", "mid", "alpha"] {
        cqrs.execute_with_metadata(id, CounterCommand::Add(1), meta.clone())
            .await
            .unwrap();
    }

    assert_eq!(
        ledger.stream_ids("Counter").await.unwrap(),
        vec!["zeta", "alpha", "mid"]
    );
    assert!(ledger.stream_ids("Partner").await.unwrap().is_empty());
}

async fn a_stale_command_is_refused_as_a_conflict_and_appends_nothing(ledger: &Ledger) {
    // Arrange: two loads of the same aggregate, as two concurrent requests would make.
    let store = ledger.event_store::<Counter>();
    let meta = metadata_at(Utc::now());
    counter_cqrs(ledger)
        .execute_with_metadata("shared", CounterCommand::Add(1), meta.clone())
        .await
        .unwrap();
    let first = store.load_aggregate("shared").await.unwrap();
    let second = store.load_aggregate("shared").await.unwrap();

    // Act
    let won = store
        .commit(
            vec![CounterEvent::Added { amount: 10 }],
            first,
            meta.clone(),
        )
        .await;
    let lost = store
        .commit(
            vec![
                CounterEvent::Added { amount: 20 },
                CounterEvent::Added { amount: 30 },
            ],
            second,
            meta.clone(),
        )
        .await;

    // Assert
    assert!(won.is_ok(), "{won:?}");
    assert!(
        matches!(lost, Err(AggregateError::AggregateConflict)),
        "{lost:?}"
    );
    let stream = ledger.read_stream("Counter", "shared").await.unwrap();
    let amounts: Vec<i64> = stream
        .iter()
        .map(|e| e.payload["Added"]["amount"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, vec![1, 10], "the losing command appended nothing");
    assert_eq!(ledger.head_position().await.unwrap(), 2);
}

async fn concurrent_commands_on_one_aggregate_never_share_a_sequence(ledger: &Ledger) {
    // Arrange
    const WRITERS: usize = 8;
    let meta = metadata_at(Utc::now());
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(WRITERS));

    // Act
    let tasks: Vec<_> = (0..WRITERS)
        .map(|i| {
            let cqrs = counter_cqrs(ledger);
            let meta = meta.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                cqrs.execute_with_metadata(
                    "hot",
                    CounterCommand::AddEach(vec![i as i64 + 1, 100]),
                    meta,
                )
                .await
            })
        })
        .collect();
    let mut appended = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => appended += 1,
            Err(AggregateError::AggregateConflict) => {}
            Err(other) => panic!("unexpected error: {other:?}"),
        }
    }

    // Assert
    assert!(appended >= 1);
    let stream = ledger.read_stream("Counter", "hot").await.unwrap();
    let sequences: Vec<i64> = stream.iter().map(|e| e.sequence).collect();
    assert_eq!(sequences, (1..=2 * appended as i64).collect::<Vec<_>>());
    let positions: Vec<i64> = ledger
        .read_global(0, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| e.position)
        .collect();
    assert_eq!(positions, (1..=2 * appended as i64).collect::<Vec<_>>());
}

async fn metadata_without_effective_time_is_refused(ledger: &Ledger) {
    // Through cqrs-es: no metadata at all.
    let result = counter_cqrs(ledger)
        .execute_with_metadata("m", CounterCommand::Add(1), Default::default())
        .await;
    match result {
        Err(AggregateError::UnexpectedError(e)) => {
            assert!(e.to_string().contains("effective_at"), "{e}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    // Through the repository: a malformed time.
    let event = SerializedEvent::new(
        "m".into(),
        1,
        "Counter".into(),
        "CounterAdded".into(),
        "1".into(),
        json!({"Added": {"amount": 1}}),
        json!({"effective_at": "last Tuesday"}),
    );
    let result = ledger.repository().persist::<Counter>(&[event], None).await;
    match result {
        Err(PersistenceError::UnknownError(e)) => {
            assert!(e.to_string().contains("effective_at"), "{e}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(ledger.head_position().await.unwrap(), 0);
    assert!(ledger.stream_ids("Counter").await.unwrap().is_empty());
}

async fn the_database_refuses_to_update_or_delete_the_log(ledger: &Ledger) {
    // Arrange
    counter_cqrs(ledger)
        .execute_with_metadata(
            "x",
            CounterCommand::AddEach(vec![1, 2]),
            metadata_at(Utc::now()),
        )
        .await
        .unwrap();
    let before = ledger.read_global(0, 10).await.unwrap();
    let mut statements = vec![
        "UPDATE events SET event_type = 'Tampered'",
        "UPDATE events SET payload = '{}' WHERE sequence = 2",
        "DELETE FROM events WHERE sequence = 2",
        "DELETE FROM events",
        "UPDATE event_positions SET position = position + 100",
        "DELETE FROM event_positions",
    ];
    if ledger.postgres_pool().is_some() {
        statements.extend(["TRUNCATE event_positions", "TRUNCATE events CASCADE"]);
    }

    // Act / Assert
    for sql in statements {
        let err = raw_execute(ledger, sql)
            .await
            .expect_err(&format!("`{sql}` must be refused"));
        assert!(
            err.to_string().contains("the event log is append-only"),
            "`{sql}` failed for another reason: {err}"
        );
    }
    assert_eq!(ledger.read_global(0, 10).await.unwrap(), before);
}

async fn tokens_are_found_by_hash_listed_and_revoked_once(ledger: &Ledger) {
    // Arrange
    let now = Utc::now()
        .duration_trunc(Duration::microseconds(1))
        .unwrap();
    let staff = Uuid::now_v7();
    let admin = Uuid::now_v7();
    let token = |n: u8, label: &str| NewToken {
        token_id: Uuid::now_v7(),
        staff_id: staff,
        token_hash: [n; 32],
        label: label.into(),
        created_at: now + Duration::seconds(n.into()),
        created_by: admin,
    };
    let laptop = token(1, "laptop");
    let ci = token(2, "ci");
    ledger.insert_token(&laptop).await.unwrap();
    ledger.insert_token(&ci).await.unwrap();

    // Act / Assert
    let found = find_token(ledger, [1; 32]).await.unwrap();
    assert_eq!(found.token_id, laptop.token_id);
    assert_eq!((found.staff_id, found.created_by), (staff, admin));
    assert_eq!(found.label, "laptop");
    assert_eq!(found.created_at, laptop.created_at);
    assert_eq!(found.token_hash, [1; 32]);
    assert!(!found.is_revoked());
    assert_eq!(find_token(ledger, [9; 32]).await, None);

    let duplicate = NewToken {
        token_id: Uuid::now_v7(),
        ..token(1, "copy")
    };
    assert!(matches!(
        ledger.insert_token(&duplicate).await,
        Err(StoreError::Database(_))
    ));

    let revoked_at = now + Duration::minutes(5);
    assert!(ledger
        .revoke_token(laptop.token_id, admin, revoked_at)
        .await
        .unwrap());
    assert!(!ledger
        .revoke_token(laptop.token_id, admin, revoked_at)
        .await
        .unwrap());
    assert!(!ledger
        .revoke_token(Uuid::now_v7(), admin, revoked_at)
        .await
        .unwrap());
    let found = find_token(ledger, [1; 32]).await.unwrap();
    assert_eq!(
        (found.revoked_at, found.revoked_by),
        (Some(revoked_at), Some(admin))
    );

    let listed = ledger.list_tokens(staff).await.unwrap();
    let labels: Vec<_> = listed
        .iter()
        .map(|t| (t.label.as_str(), t.is_revoked()))
        .collect();
    assert_eq!(labels, vec![("laptop", true), ("ci", false)]);
    assert!(ledger.list_tokens(admin).await.unwrap().is_empty());
}

/// The claim a fresh key gets, or a panic naming what came instead.
fn claimed(outcome: IdempotencyOutcome) -> Claim {
    match outcome {
        IdempotencyOutcome::New(claim) => claim,
        other => panic!("expected a new claim, got {other:?}"),
    }
}

async fn idempotency_keys_replay_refuse_mismatches_and_can_be_abandoned(ledger: &Ledger) {
    use IdempotencyOutcome::*;
    let (scope, other_scope) = ("staff-1", "staff-2");
    let (hash, other_hash) = ([7; 32], [8; 32]);

    // A first request, done and replayed.
    let claim = claimed(ledger.idempotency_begin(scope, "k1", &hash).await.unwrap());
    assert_eq!((claim.attempt, claim.resumed), (1, false));
    assert!(matches!(
        ledger.idempotency_begin(scope, "k1", &hash).await.unwrap(),
        InProgress { .. }
    ));
    ledger
        .idempotency_complete(scope, "k1", &claim, 201, r#"{"id":1}"#)
        .await
        .unwrap();
    assert_eq!(
        ledger.idempotency_begin(scope, "k1", &hash).await.unwrap(),
        Replay {
            status: 201,
            body: r#"{"id":1}"#.into()
        }
    );
    assert_eq!(
        ledger
            .idempotency_begin(scope, "k1", &other_hash)
            .await
            .unwrap(),
        Mismatch
    );
    assert!(matches!(
        ledger
            .idempotency_complete(scope, "k1", &claim, 500, "again")
            .await,
        Err(StoreError::IdempotencyKeyNotPending { .. })
    ));
    // Completed keys are not abandoned.
    ledger
        .idempotency_abandon(scope, "k1", &claim)
        .await
        .unwrap();
    assert!(matches!(
        ledger.idempotency_begin(scope, "k1", &hash).await.unwrap(),
        Replay { .. }
    ));

    // Keys belong to their scope.
    claimed(
        ledger
            .idempotency_begin(other_scope, "k1", &other_hash)
            .await
            .unwrap(),
    );

    // A failed attempt that appended nothing is abandoned and may be retried, even with
    // another body.
    let claim = claimed(ledger.idempotency_begin(scope, "k2", &hash).await.unwrap());
    ledger
        .idempotency_abandon(scope, "k2", &claim)
        .await
        .unwrap();
    let again = claimed(
        ledger
            .idempotency_begin(scope, "k2", &other_hash)
            .await
            .unwrap(),
    );
    assert_ne!(again.id, claim.id);
}

/// Metadata that puts a counter's events under `claim`.
fn metadata_under(claim: &Claim) -> std::collections::HashMap<String, String> {
    let mut meta = metadata_at(Utc::now());
    meta.extend(claim.metadata().map(|(k, v)| (k.to_owned(), v)));
    meta
}

async fn a_claim_whose_lease_ran_out_is_taken_over_and_its_old_attempt_can_append_nothing(
    ledger: &Ledger,
) {
    let lease = std::time::Duration::from_millis(300);
    let ledger = ledger.clone().with_idempotency_lease(lease);
    let cqrs = counter_cqrs(&ledger);
    let (scope, hash) = ("staff-1", [7; 32]);
    let first = claimed(ledger.idempotency_begin(scope, "k", &hash).await.unwrap());
    match ledger.idempotency_begin(scope, "k", &hash).await.unwrap() {
        IdempotencyOutcome::InProgress { retry_after } => assert!(retry_after <= lease),
        other => panic!("the first attempt's lease runs: {other:?}"),
    }

    // The first attempt hangs past its lease: a retry takes the claim over.
    tokio::time::sleep(lease).await;
    let second = claimed(ledger.idempotency_begin(scope, "k", &hash).await.unwrap());
    assert_eq!(second.id, first.id, "the claim keeps its id");
    assert_eq!((second.attempt, second.resumed), (2, false));
    assert!(matches!(
        ledger.idempotency_begin(scope, "k", &hash).await.unwrap(),
        IdempotencyOutcome::InProgress { .. }
    ));

    // The first attempt wakes up: it can neither append nor answer.
    let late = cqrs
        .execute_with_metadata("c-claim", CounterCommand::Add(1), metadata_under(&first))
        .await;
    assert!(
        matches!(&late, Err(AggregateError::UnexpectedError(e)) if e.to_string().contains("taken over")),
        "{late:?}"
    );
    assert!(ledger
        .read_stream("Counter", "c-claim")
        .await
        .unwrap()
        .is_empty());
    assert!(matches!(
        ledger
            .idempotency_complete(scope, "k", &first, 201, "late")
            .await,
        Err(StoreError::IdempotencyKeyNotPending { .. })
    ));
    ledger
        .idempotency_abandon(scope, "k", &first)
        .await
        .unwrap();

    // The second attempt appends and answers; that answer is the key's.
    cqrs.execute_with_metadata("c-claim", CounterCommand::Add(1), metadata_under(&second))
        .await
        .unwrap();
    ledger
        .idempotency_complete(scope, "k", &second, 201, "second")
        .await
        .unwrap();
    assert_eq!(
        ledger.idempotency_begin(scope, "k", &hash).await.unwrap(),
        IdempotencyOutcome::Replay {
            status: 201,
            body: "second".into()
        }
    );
    let stream = ledger.read_stream("Counter", "c-claim").await.unwrap();
    assert_eq!(stream.len(), 1);
    assert_eq!(Claim::of_metadata(&stream[0].metadata), Some((first.id, 2)));
}

async fn a_claim_that_appended_before_its_attempt_died_is_resumed(ledger: &Ledger) {
    let lease = std::time::Duration::from_millis(300);
    let ledger = ledger.clone().with_idempotency_lease(lease);
    let cqrs = counter_cqrs(&ledger);
    let (scope, hash) = ("staff-1", [7; 32]);

    // An attempt appends, then dies before storing its answer.
    let first = claimed(ledger.idempotency_begin(scope, "k", &hash).await.unwrap());
    cqrs.execute_with_metadata("c-resume", CounterCommand::Add(5), metadata_under(&first))
        .await
        .unwrap();
    tokio::time::sleep(lease).await;
    let second = claimed(ledger.idempotency_begin(scope, "k", &hash).await.unwrap());
    assert_eq!(
        (second.id, second.attempt, second.resumed),
        (first.id, 2, true)
    );

    // An attempt that appended and then failed keeps its key bound to its request, and the
    // next retry takes it over at once.
    let other = claimed(ledger.idempotency_begin(scope, "k2", &hash).await.unwrap());
    cqrs.execute_with_metadata("c-resume-2", CounterCommand::Add(5), metadata_under(&other))
        .await
        .unwrap();
    ledger
        .idempotency_abandon(scope, "k2", &other)
        .await
        .unwrap();
    assert_eq!(
        ledger
            .idempotency_begin(scope, "k2", &[8; 32])
            .await
            .unwrap(),
        IdempotencyOutcome::Mismatch
    );
    let retried = claimed(ledger.idempotency_begin(scope, "k2", &hash).await.unwrap());
    assert_eq!(
        (retried.id, retried.attempt, retried.resumed),
        (other.id, 2, true)
    );
}

/// The token with this hash; its owner, a stranger to the log, has no events.
async fn find_token(ledger: &Ledger, hash: [u8; 32]) -> Option<TokenRecord> {
    let found = ledger.find_token_with_owner_events(&hash, "Staff").await;
    let (token, owner_events) = found.unwrap()?;
    assert_eq!(owner_events, 0);
    Some(token)
}
