//! Going back in time (design.md §3.8): the state of one partner, or of the whole program, as of
//! any moment, on either axis.
//!
//! - [`Axis::Recorded`] — *what the ledger knew at T*: every event with `recorded_at <= T`,
//!   folded in global-position order.
//! - [`Axis::Effective`] — *what was true at T, with every later correction applied*: every event
//!   recorded so far with `effective_at <= T`, folded in effective order, ties by position (the
//!   semantics of `channel_ledger_domain::as_of::fold_as_effective`).
//!
//! [`program_as_of`] folds the global log; [`partner_as_of`] reads only the streams that belong to
//! one partner (and the staff and cohort streams its views need). [`PartnerSnapshots`] answers the
//! per-partner question from temporal snapshots held in memory, for the latency target of
//! design.md §6. Why and with what figures: `docs/adr/0005-time-travel.md`.
#![forbid(unsafe_code)]

mod as_of;
mod axis;
mod error;
mod fold;
mod history;
mod partner;
mod program;
mod snapshots;

pub use as_of::{parse_as_of, AsOfParseError};
pub use axis::{Axis, AxisParseError};
pub use error::ReplayError;
pub use fold::fold_on_axis;
pub use history::{HistorySize, ProgramHistory};
pub use partner::{partner_as_of, partner_events, PartnerEvents, PartnerHistory};
pub use program::program_as_of;
pub use snapshots::PartnerSnapshots;
