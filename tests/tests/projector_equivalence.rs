//! The projector's model is the fold of the log, however it got there (issue 4, tests (a) and
//! (d)): caught up a few commands at a time with any batch size, rebuilt from scratch, or
//! stopped anywhere and restarted from whatever snapshot it last stored. Compared byte for byte.

mod projector_support;

use std::time::Duration;

use channel_ledger_projections::projector::SNAPSHOT_NAME;
use channel_ledger_projections::{Projector, ProjectorConfig};
use channel_ledger_store::Ledger;
use channel_ledger_tests::{postgres_ledger, sqlite_ledger};
use projector_support::{fixed_scenario, fold_of_log, json, runtime, step, Step, Writer};
use proptest::collection::vec;
use proptest::prelude::*;

fn config(batch: u32, snapshot_every: i64, save_when_caught_up: bool) -> ProjectorConfig {
    ProjectorConfig {
        batch,
        snapshot_every,
        snapshot_interval: if save_when_caught_up {
            Duration::ZERO
        } else {
            Duration::MAX
        },
        ..ProjectorConfig::default()
    }
}

/// (a) Writes `chunks`, catching the projector up after each; then checks it against the fold
/// of the whole log, against a rebuild, and against a projector restarted from its snapshot.
async fn incremental_equals_fold_and_rebuild(
    ledger: &Ledger,
    chunks: &[Vec<Step>],
    batch: u32,
) -> Result<(), TestCaseError> {
    let mut writer = Writer::new(ledger);
    let projector = Projector::start_with(ledger.clone(), config(batch, 5, true))
        .await
        .unwrap();
    for chunk in chunks {
        writer.run_all(chunk).await;
        projector.catch_up().await.unwrap();
        prop_assert_eq!(projector.lag().await.unwrap(), 0);
    }

    let incremental = json(&*projector.read().await);
    let folded = json(&fold_of_log(ledger).await);
    prop_assert_eq!(&incremental, &folded);
    prop_assert_eq!(projector.position(), ledger.head_position().await.unwrap());

    let report = projector.rebuild().await.unwrap();
    prop_assert_eq!(report.matched_live, Some(true));
    prop_assert_eq!(report.position, projector.position());
    prop_assert_eq!(json(&*projector.read().await), folded.clone());

    let restarted = Projector::start_with(ledger.clone(), config(batch, 5, true))
        .await
        .unwrap();
    prop_assert_eq!(restarted.position(), projector.position());
    prop_assert_eq!(json(&*restarted.read().await), folded);
    Ok(())
}

/// (d) A projector stopped after `kill_after` batches, then restarted from whatever snapshot
/// was on disk at that moment, ends equal to the fold of the log.
async fn restart_ends_equal(
    ledger: &Ledger,
    before: &[Step],
    after: &[Step],
    config: ProjectorConfig,
    kill_after: usize,
) -> Result<(), TestCaseError> {
    let mut writer = Writer::new(ledger);
    writer.run_all(before).await;
    let first = Projector::start_with(ledger.clone(), config.clone())
        .await
        .unwrap();
    first.catch_up_batches(kill_after).await.unwrap();
    let stopped_at = first.position();
    drop(first);
    let on_disk = ledger.load_snapshot(SNAPSHOT_NAME).await.unwrap();
    let saved = on_disk.map_or(0, |s| s.position);
    prop_assert!(saved <= stopped_at);

    writer.run_all(after).await;
    let second = Projector::start_with(ledger.clone(), config).await.unwrap();
    prop_assert_eq!(second.position(), saved);
    second.catch_up().await.unwrap();

    prop_assert_eq!(
        json(&*second.read().await),
        json(&fold_of_log(ledger).await)
    );
    prop_assert_eq!(second.position(), ledger.head_position().await.unwrap());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 16,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_projection_equals_the_fold_and_a_rebuild(
        chunks in vec(vec(step(), 1..6), 1..8),
        batch in 1u32..8,
    ) {
        runtime().block_on(async {
            let (ledger, _dir) = sqlite_ledger().await;
            incremental_equals_fold_and_rebuild(&ledger, &chunks, batch).await
        })?;
    }

    #[test]
    fn a_projector_stopped_anywhere_and_restarted_ends_in_the_same_state(
        before in vec(step(), 0..30),
        after in vec(step(), 0..12),
        batch in 1u32..6,
        snapshot_every in 1i64..12,
        save_when_caught_up in any::<bool>(),
        kill_after in 0usize..10,
    ) {
        runtime().block_on(async {
            let (ledger, _dir) = sqlite_ledger().await;
            let config = config(batch, snapshot_every, save_when_caught_up);
            restart_ends_equal(&ledger, &before, &after, config, kill_after).await
        })?;
    }

    /// Cancelled at an arbitrary await point (mid-read, mid-apply, mid-snapshot), the projector
    /// leaves a snapshot that is still exactly the fold of the log up to its position.
    #[test]
    fn a_catch_up_cancelled_at_any_moment_leaves_a_consistent_snapshot(
        steps in vec(step(), 5..30),
        batch in 1u32..4,
        cancel_after_micros in 0u64..20_000,
    ) {
        runtime().block_on(async {
            let (ledger, _dir) = sqlite_ledger().await;
            Writer::new(&ledger).run_all(&steps).await;
            let config = config(batch, 1, true);
            let first = Projector::start_with(ledger.clone(), config.clone()).await.unwrap();
            let cancel = Duration::from_micros(cancel_after_micros);
            let _ = tokio::time::timeout(cancel, first.catch_up()).await;
            drop(first);

            let second = Projector::start_with(ledger.clone(), config).await.unwrap();
            second.catch_up().await.unwrap();
            prop_assert_eq!(json(&*second.read().await), json(&fold_of_log(&ledger).await));
            Ok(())
        })?;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_equals_fold_and_rebuild_on_postgres() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    let steps = fixed_scenario();
    let chunks: Vec<Vec<Step>> = steps.chunks(3).map(<[Step]>::to_vec).collect();
    incremental_equals_fold_and_rebuild(&ledger, &chunks, 4)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_projector_ends_in_the_same_state_on_postgres() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    let steps = fixed_scenario();
    let (before, after) = steps.split_at(steps.len() / 2);
    restart_ends_equal(&ledger, before, after, config(2, 3, false), 2)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_fixed_scenario_is_accepted_in_full() {
    let (ledger, _dir) = sqlite_ledger().await;
    let steps = fixed_scenario();
    let accepted = Writer::new(&ledger).run_all(&steps).await;
    assert_eq!(accepted, steps.len());
}
