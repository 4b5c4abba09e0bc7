//! The projector's contract beyond equality: `wait_for` is woken by catch-up and times out,
//! snapshots of another model version (or untrustworthy ones) are ignored, an undecodable event
//! stops it before the event, and the snapshot table keeps the furthest checkpoint.

mod projector_support;

use std::sync::Arc;
use std::time::Duration;

use channel_ledger_projections::projector::SNAPSHOT_NAME;
use channel_ledger_projections::{
    DecodeError, ProgramModel, Projector, ProjectorConfig, ProjectorError, MODEL_VERSION,
};
use channel_ledger_store::Ledger;
use channel_ledger_tests::{
    counter_cqrs, metadata_at, postgres_ledger, sqlite_ledger, CounterCommand,
};
use chrono::Utc;
use projector_support::{fixed_scenario, fold_of_log, json, Writer};
use tokio::sync::{oneshot, Notify};

fn saving_on_every_catch_up() -> ProjectorConfig {
    ProjectorConfig {
        snapshot_interval: Duration::ZERO,
        ..ProjectorConfig::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_for_is_woken_by_catch_up_and_times_out_otherwise() {
    // Arrange: a running projector that only polls once an hour, so only `wake` moves it.
    let (ledger, _dir) = sqlite_ledger().await;
    let config = ProjectorConfig {
        poll_interval: Duration::from_secs(3600),
        ..ProjectorConfig::default()
    };
    let projector = Arc::new(Projector::start_with(ledger.clone(), config).await.unwrap());
    let wake = Arc::new(Notify::new());
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(Arc::clone(&projector).run(Arc::clone(&wake), async {
        stopped.await.ok();
    }));

    // Act / Assert: nothing to wait for yet, then a write and a wake.
    assert!(projector.wait_for(0, Duration::ZERO).await);
    assert!(!projector.wait_for(1, Duration::from_millis(100)).await);
    Writer::new(&ledger).run_all(&fixed_scenario()).await;
    let head = ledger.head_position().await.unwrap();
    assert!(!projector.wait_for(head, Duration::from_millis(100)).await);
    wake.notify_one();
    assert!(projector.wait_for(head, Duration::from_secs(10)).await);
    assert_eq!(projector.lag().await.unwrap(), 0);
    assert!(
        !projector
            .wait_for(head + 1, Duration::from_millis(50))
            .await
    );

    // Shutting down stores the snapshot the default interval had not stored yet.
    stop.send(()).unwrap();
    running.await.unwrap();
    let snapshot = ledger.load_snapshot(SNAPSHOT_NAME).await.unwrap().unwrap();
    assert_eq!(snapshot.position, head);
    assert_eq!(snapshot.version, MODEL_VERSION);
}

async fn snapshot_of_another_version_is_ignored(ledger: &Ledger) {
    // Arrange: a snapshot at the head, then the same body under another version.
    Writer::new(ledger).run_all(&fixed_scenario()).await;
    let head = ledger.head_position().await.unwrap();
    let first = Projector::start_with(ledger.clone(), saving_on_every_catch_up())
        .await
        .unwrap();
    first.catch_up().await.unwrap();
    let stored = ledger.load_snapshot(SNAPSHOT_NAME).await.unwrap().unwrap();
    assert_eq!(stored.position, head);
    let resumed = Projector::start(ledger.clone()).await.unwrap();
    assert_eq!(resumed.position(), head, "a current snapshot is used");
    assert!(ledger
        .save_snapshot(SNAPSHOT_NAME, MODEL_VERSION + 1, head, &stored.body)
        .await
        .unwrap());

    // Act
    let restarted = Projector::start(ledger.clone()).await.unwrap();
    let start = restarted.position();
    let replayed = restarted.catch_up().await.unwrap();

    // Assert: a full replay.
    assert_eq!(start, 0);
    assert_eq!(i64::try_from(replayed).unwrap(), head);
    assert_eq!(
        json(&*restarted.read().await),
        json(&fold_of_log(ledger).await)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_of_another_model_version_is_ignored() {
    let (ledger, _dir) = sqlite_ledger().await;
    snapshot_of_another_version_is_ignored(&ledger).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_of_another_model_version_is_ignored_on_postgres() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    snapshot_of_another_version_is_ignored(&ledger).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_untrustworthy_snapshot_is_dropped_and_the_log_replayed() {
    let (ledger, _dir) = sqlite_ledger().await;
    Writer::new(&ledger).run_all(&fixed_scenario()).await;
    let head = ledger.head_position().await.unwrap();
    let ahead_of_the_log = serde_json::to_string(&ProgramModel {
        position: head + 100,
        ..ProgramModel::default()
    })
    .unwrap();
    for (position, body) in [
        (head, "{\"not\": \"a model\"}"),
        (head + 100, ahead_of_the_log.as_str()),
    ] {
        ledger
            .save_snapshot(SNAPSHOT_NAME, MODEL_VERSION, position, body)
            .await
            .unwrap();

        let projector = Projector::start_with(ledger.clone(), saving_on_every_catch_up())
            .await
            .unwrap();

        assert_eq!(projector.position(), 0);
        assert_eq!(ledger.load_snapshot(SNAPSHOT_NAME).await.unwrap(), None);
        projector.catch_up().await.unwrap();
        assert_eq!(
            json(&*projector.read().await),
            json(&fold_of_log(&ledger).await)
        );
        let saved = ledger.load_snapshot(SNAPSHOT_NAME).await.unwrap().unwrap();
        assert_eq!(saved.position, head);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_undecodable_event_stops_the_projector_before_it() {
    // Arrange: partner events, then an event of an aggregate the projections do not know.
    let (ledger, _dir) = sqlite_ledger().await;
    Writer::new(&ledger).run_all(&fixed_scenario()).await;
    let before = ledger.head_position().await.unwrap();
    counter_cqrs(&ledger)
        .execute_with_metadata("c-1", CounterCommand::Add(1), metadata_at(Utc::now()))
        .await
        .unwrap();
    let projector = Projector::start(ledger.clone()).await.unwrap();

    // Act
    let err = projector.catch_up().await.unwrap_err();

    // Assert: the error names the position; the model stopped at the last good batch.
    assert!(
        matches!(
            &err,
            ProjectorError::Decode(DecodeError::UnknownAggregate { position, .. }) if *position == before + 1
        ),
        "{err}"
    );
    assert!(err
        .to_string()
        .contains(&format!("position {}", before + 1)));
    assert!(projector.position() <= before);
    assert_eq!(projector.read().await.position, projector.position());
}

async fn snapshots_keep_the_furthest_checkpoint(ledger: &Ledger) {
    assert_eq!(ledger.load_snapshot("v").await.unwrap(), None);
    assert!(ledger.save_snapshot("v", 1, 10, "ten").await.unwrap());
    assert!(!ledger.save_snapshot("v", 1, 9, "nine").await.unwrap());
    let kept = ledger.load_snapshot("v").await.unwrap().unwrap();
    assert_eq!(
        (kept.version, kept.position, kept.body.as_str()),
        (1, 10, "ten")
    );

    assert!(ledger.save_snapshot("v", 1, 12, "twelve").await.unwrap());
    assert!(ledger.save_snapshot("v", 2, 3, "three").await.unwrap());
    let replaced = ledger.load_snapshot("v").await.unwrap().unwrap();
    assert_eq!(
        (replaced.version, replaced.position, replaced.body.as_str()),
        (2, 3, "three")
    );
    assert!(replaced.saved_at <= Utc::now());

    assert!(ledger.delete_snapshot("v").await.unwrap());
    assert!(!ledger.delete_snapshot("v").await.unwrap());
    assert_eq!(ledger.load_snapshot("v").await.unwrap(), None);
}

#[tokio::test]
async fn snapshots_keep_the_furthest_checkpoint_on_sqlite() {
    let (ledger, _dir) = sqlite_ledger().await;
    snapshots_keep_the_furthest_checkpoint(&ledger).await;
}

#[tokio::test]
async fn snapshots_keep_the_furthest_checkpoint_on_postgres() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    snapshots_keep_the_furthest_checkpoint(&ledger).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_are_served_during_a_rebuild_and_a_second_rebuild_is_refused() {
    let (ledger, _dir) = sqlite_ledger().await;
    let mut writer = Writer::new(&ledger);
    for _ in 0..20 {
        writer.run_all(&fixed_scenario()).await;
    }
    let projector = Arc::new(
        Projector::start_with(
            ledger.clone(),
            ProjectorConfig {
                batch: 1,
                ..ProjectorConfig::default()
            },
        )
        .await
        .unwrap(),
    );
    projector.catch_up().await.unwrap();
    let live = json(&*projector.read().await);

    let rebuilding = tokio::spawn({
        let projector = Arc::clone(&projector);
        async move { projector.rebuild().await }
    });
    // While the first rebuild pages through the log one event at a time.
    tokio::time::sleep(Duration::from_millis(5)).await;
    let second = projector.rebuild().await;
    let read = tokio::time::timeout(Duration::from_millis(50), projector.read()).await;

    assert!(matches!(second, Err(ProjectorError::RebuildInProgress)));
    assert!(read.is_ok(), "a read waited on the rebuild");
    drop(read);
    let report = rebuilding.await.unwrap().unwrap();
    assert_eq!(report.matched_live, Some(true));
    assert_eq!(json(&*projector.read().await), live);
}
