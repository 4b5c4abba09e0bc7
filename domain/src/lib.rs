//! Channel Ledger's domain: the program's decisions as events, the aggregates that decide them,
//! and the policies that say who may decide what.
//!
//! Pure: no IO, no database, no HTTP. Facts the domain cannot know by itself (who an actor was
//! when the decision took effect, whether a PAM is active) arrive inside the command, resolved by
//! the caller from the ledger, so every decision can be replayed and tested in isolation.

pub mod actor;
pub mod approval;
pub mod as_of;
pub mod authored;
pub mod cohort;
pub mod effective_time;
pub mod fiscal;
pub mod mdf;
pub mod mdf_policy;
pub mod metadata;
pub mod money;
pub mod partner;
pub mod qar;
pub mod rap;
pub mod rejection;
pub mod staff;
pub mod text;
pub mod upcast;

pub use actor::{Actor, Role, StaffId, Territory};
pub use authored::{Authored, Decision};
pub use effective_time::{EffectiveTime, EffectiveTimeError};
pub use metadata::EventMetadata;
pub use rejection::{Rejection, RejectionKind};
