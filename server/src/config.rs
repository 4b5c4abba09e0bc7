//! Settings for the service. The CLI fills them from flags and environment variables; the defaults
//! work with no configuration at all (an SQLite file in the working directory).

use std::net::SocketAddr;
use std::time::Duration;

/// Where the service listens and which ledger it serves.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: String,
    /// How long a request holds its `Idempotency-Key` before a retry may take it over
    /// (docs/adr/0010-idempotency-after-a-crash.md).
    pub idempotency_lease: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: DEFAULT_BIND.parse().expect("the default address parses"),
            database_url: DEFAULT_DATABASE_URL.to_owned(),
            idempotency_lease: channel_ledger_store::DEFAULT_IDEMPOTENCY_LEASE,
        }
    }
}

/// How logs are written (to stderr, so stdout stays for command output).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The embedded default ledger.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://channel-ledger.db";
/// The default listening address.
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
