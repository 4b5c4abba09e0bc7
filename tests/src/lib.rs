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
