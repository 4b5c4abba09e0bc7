//! What can stop the projector.

use channel_ledger_store::StoreError;

use crate::event::DecodeError;

#[derive(Debug, thiserror::Error)]
pub enum ProjectorError {
    #[error("projector: {0}")]
    Store(#[from] StoreError),
    /// A log entry this build cannot read: the projector stops before it rather than skip it.
    #[error("projector: {0}")]
    Decode(#[from] DecodeError),
    /// The log handed over positions out of order or with a hole; applying on would skip or
    /// repeat an event (docs/adr/0002-global-order.md promises a dense order).
    #[error("projector: expected the event at position {expected}, the log gave position {found}")]
    OutOfOrder { expected: i64, found: i64 },
    #[error("projector: the model does not serialize: {0}")]
    Encode(#[source] serde_json::Error),
    #[error("projector: a rebuild is already running")]
    RebuildInProgress,
    /// A blocking task (serializing, folding) panicked or was cancelled.
    #[error("projector: background task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}
