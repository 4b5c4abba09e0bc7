//! Test harness shared by the end-to-end tests: a fresh database per test on either backend,
//! and a small aggregate to drive the store through cqrs-es.
//!
//! PostgreSQL tests need a cluster: `scripts/test` starts a throwaway one and exports
//! `LEDGER_TEST_PG_URL`; with `LEDGER_SKIP_POSTGRES=1` they are skipped instead.

pub mod browser;
pub mod counter;
pub mod db;
pub mod demo;
pub mod http;
pub mod mdf;

pub use counter::{counter_cqrs, metadata_at, Counter, CounterCommand, CounterEvent};
pub use db::{postgres_ledger, postgres_ledger_pair, raw_execute, sqlite_ledger};

/// One test per backend for each scenario: every scenario is an async fn taking a fresh
/// [`channel_ledger_store::Ledger`]; the PostgreSQL test returns early when no cluster is set.
#[macro_export]
macro_rules! on_both_backends {
    ($($scenario:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $scenario() {
                    let (ledger, _dir) = $crate::sqlite_ledger().await;
                    super::$scenario(&ledger).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $scenario() {
                    let Some(ledger) = $crate::postgres_ledger().await else { return };
                    super::$scenario(&ledger).await;
                }
            )*
        }
    };
}
