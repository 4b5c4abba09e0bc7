//! Channel Ledger's event log on SQLite (the embedded default) and PostgreSQL.
//!
//! [`Ledger`] is the one handle the rest of the program holds. It appends events with optimistic
//! concurrency through cqrs-es ([`LedgerRepository`] implements its `PersistedEventRepository`),
//! reads the log in one gapless global order ([`Ledger::read_global`]), and keeps the two small
//! mutable tables beside the log: API tokens and idempotency keys. The database itself refuses
//! any update or delete of the log (design.md §3 rule 1), and every position carries a link of
//! a hash chain that [`Ledger::verify_chain`] recomputes (`src/chain/`). [`Ledger::export`] and
//! [`Ledger::import`] move a whole log between databases, links included. [`Ledger::lock`]
//! holds a key across every writer of the database, for invariants that span aggregates
//! (`src/lock.rs`).
//!
//! Why we write our own repository instead of using postgres-es / sqlite-es, and how PostgreSQL
//! readers never skip an event that commits late: `docs/adr/0001-own-event-repository.md` and
//! `docs/adr/0002-global-order.md`.
#![forbid(unsafe_code)]

mod append;
mod backend;
pub mod chain;
mod error;
mod export;
mod idempotency;
mod import;
mod ledger;
mod lock;
mod log_entry;
mod raw;
mod reads;
mod record;
mod repository;
mod sequencer;
mod snapshots;
mod sqlite_append;
mod sqlite_scan;
mod sqlite_text;
mod tokens;

pub use backend::Backend;
pub use error::{StorageFault, StoreError};
pub use export::{ExportError, EXPORT_FORMAT, EXPORT_VERSION};
pub use idempotency::{
    Claim, IdempotencyOutcome, DEFAULT_IDEMPOTENCY_LEASE, IDEMPOTENCY_ATTEMPT_KEY,
    IDEMPOTENCY_CLAIM_KEY,
};
pub use import::ImportError;
pub use ledger::Ledger;
pub use lock::{KeyLock, LOCK_WAIT};
pub use log_entry::LogEntry;
pub use raw::{RawEvent, RawEventRef};
pub use record::RecordedEvent;
pub use repository::LedgerRepository;
pub use snapshots::Snapshot;
pub use tokens::{NewToken, TokenRecord};
