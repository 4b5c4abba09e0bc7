//! The `channel-ledger` binary: parses the command line, installs logging, runs the command.
//! Errors are printed on stderr and exit with status 1.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use channel_ledger_server::cli::{self, Cli};
use clap::Parser;

/// The folds over the whole log allocate and free millions of small strings across threads;
/// mimalloc does that at about twice the speed of glibc's allocator (docs/adr/0008-bulk-reads.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args = Cli::parse();
    channel_ledger_server::telemetry::init(args.log_format);
    match cli::run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "command failed");
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
