//! The hash chain over the log (design.md §3 rule 10, docs/adr/0007-hash-chain.md).
//!
//! Every position has a link: SHA-256 over the previous link (32 zero bytes before position 1)
//! and the event's canonical encoding ([`Linked::link_after`]). A link is written in the same
//! transaction that gives the event its position: by the SQLite append (`sqlite.rs`), by the
//! PostgreSQL sequencer (migration 0006, which computes the same bytes in SQL), or by an import.
//! [`crate::Ledger::verify_chain`] recomputes every link from what is stored and names the first
//! event that no longer matches.

mod canonical;
mod head;
mod link;
mod slots;
pub(crate) mod sqlite;
mod verify;

pub use canonical::{canonical_json, JsonError};
pub(crate) use link::Linked;
pub use link::{ChainHead, Link, LinkParseError};
pub use verify::{BrokenEvent, ChainBreak, Problem, Verification};
