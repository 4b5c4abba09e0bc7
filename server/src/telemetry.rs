//! The process's one tracing subscriber: text or JSON, always on stderr so that stdout carries
//! only command output (the bootstrap token, for instance).

use tracing_subscriber::{fmt, EnvFilter};

use crate::config::LogFormat;

/// Installs the subscriber. `RUST_LOG` overrides the default filter.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}
