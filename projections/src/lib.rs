//! Read models are projections of the global log (design.md §3.7): disposable, rebuilt by
//! folding the log in order, and equal byte for byte however they were built.
//!
//! [`LedgerEvent`] is a log entry decoded into the domain's own event types, with its metadata;
//! every projection folds those.
#![forbid(unsafe_code)]

pub mod event;

pub use event::{DecodeError, DomainEvent, LedgerEvent};
pub use model::ProgramModel;
pub mod model;
pub mod projector;
pub use projector::{Projector, ProjectorConfig, ProjectorError, RebuildReport, MODEL_VERSION};
pub mod views;
