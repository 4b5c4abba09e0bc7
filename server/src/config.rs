//! Settings for the service. The CLI fills them from flags and environment variables; the defaults
//! work with no configuration at all (an SQLite file in the working directory).

use std::net::SocketAddr;

/// Where the service listens and which ledger it serves.
#[derive(Debug, Clone)]
pub struct Config {
    pub bind: SocketAddr,
    pub database_url: String,
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
