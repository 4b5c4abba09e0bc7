//! `Ledger::lock` on both backends: holders of one key never overlap, different keys do not wait
//! for each other, and a guard dropped or a wait cancelled never leaves a key locked.
//!
//! Every scenario gets two handles on one database. On SQLite they are clones of one ledger (one
//! process owns the file); on PostgreSQL they are two ledgers with their own pools and
//! in-process state, as two servers have, so only the advisory lock can keep them apart.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use channel_ledger_store::Ledger;
use channel_ledger_tests::{postgres_ledger_pair, sqlite_ledger};

/// Long enough for any free key, even on a loaded CI machine.
const PROMPTLY: Duration = Duration::from_secs(5);

macro_rules! both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $scenario() {
                    let (ledger, _dir) = super::sqlite_ledger().await;
                    super::$scenario(ledger.clone(), ledger).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $scenario() {
                    let Some((a, b)) = super::postgres_ledger_pair().await else { return };
                    super::$scenario(a, b).await;
                }
            )*
        }
    };
}

both_backends!(
    holders_of_one_key_never_overlap,
    different_keys_do_not_wait_for_each_other,
    a_guard_dropped_without_release_frees_its_key,
    a_cancelled_wait_leaves_the_key_free,
);

async fn holders_of_one_key_never_overlap(a: Ledger, b: Ledger) {
    // Arrange: four writers, two on each handle, sharing a count of who is inside.
    let inside = Arc::new(AtomicUsize::new(0));
    let entered = Arc::new(AtomicUsize::new(0));
    let writers = (0..4).map(|w| {
        let ledger = if w % 2 == 0 { a.clone() } else { b.clone() };
        let (inside, entered) = (Arc::clone(&inside), Arc::clone(&entered));
        tokio::spawn(async move {
            for round in 0..8 {
                let guard = ledger.lock("mdf-commitments:p:FY26 Q2").await.unwrap();
                // Act: hold the key across a pause, as a decision holds it across its reads.
                assert_eq!(
                    inside.fetch_add(1, Ordering::SeqCst),
                    0,
                    "two holders at once"
                );
                entered.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(2)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
                // Now and then leave as a panic or a cancelled request would: without release.
                if (w + round) % 3 == 0 {
                    drop(guard);
                } else {
                    guard.release().await;
                }
            }
        })
    });

    // Assert: every writer finished (none panicked) and each round ran.
    for writer in futures::future::join_all(writers).await {
        writer.unwrap();
    }
    assert_eq!(entered.load(Ordering::SeqCst), 32);
}

async fn different_keys_do_not_wait_for_each_other(a: Ledger, b: Ledger) {
    // Arrange
    let held = a.lock("mdf-commitments:p1:FY26 Q2").await.unwrap();

    // Act
    let other_partner = tokio::time::timeout(PROMPTLY, b.lock("mdf-commitments:p2:FY26 Q2"))
        .await
        .expect("another key is not held")
        .unwrap();
    let other_quarter = tokio::time::timeout(PROMPTLY, a.lock("mdf-commitments:p1:FY26 Q3"))
        .await
        .expect("another key is not held, on the same handle either")
        .unwrap();

    // Assert
    assert_eq!(other_partner.key(), "mdf-commitments:p2:FY26 Q2");
    other_quarter.release().await;
    other_partner.release().await;
    held.release().await;
}

async fn a_guard_dropped_without_release_frees_its_key(a: Ledger, b: Ledger) {
    // Arrange: a holder that goes away without releasing (a panic, a cancelled request).
    drop(a.lock("k").await.unwrap());

    // Act
    let elsewhere = tokio::time::timeout(PROMPTLY, b.lock("k"))
        .await
        .expect("the other handle gets the key")
        .unwrap();
    elsewhere.release().await;
    let again = tokio::time::timeout(PROMPTLY, a.lock("k"))
        .await
        .expect("the same handle gets the key again")
        .unwrap();

    // Assert: a released key is free again at once, on both handles.
    again.release().await;
    for ledger in [&b, &a] {
        tokio::time::timeout(PROMPTLY, ledger.lock("k"))
            .await
            .expect("the key is free")
            .unwrap()
            .release()
            .await;
    }
}

async fn a_cancelled_wait_leaves_the_key_free(a: Ledger, b: Ledger) {
    // Arrange: `b` starts waiting for a key `a` holds, then gives up (its request was cancelled).
    let held = a.lock("k").await.unwrap();
    let gave_up = tokio::time::timeout(Duration::from_millis(200), b.lock("k")).await;
    assert!(
        gave_up.is_err(),
        "the key was held: the wait cannot succeed"
    );

    // Act
    held.release().await;

    // Assert: the abandoned wait took nothing with it, on either handle.
    for ledger in [&b, &a, &b] {
        tokio::time::timeout(PROMPTLY, ledger.lock("k"))
            .await
            .expect("the key is free")
            .unwrap()
            .release()
            .await;
    }
}
