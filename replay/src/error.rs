//! What can go wrong going back in time: reading the log, or decoding what was read.

use channel_ledger_projections::DecodeError;
use channel_ledger_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("reading the log: {0}")]
    Store(#[from] StoreError),
    #[error("decoding the log: {0}")]
    Decode(#[from] DecodeError),
    #[error("no partner `{0}` in the ledger")]
    UnknownPartner(String),
}
