//! The command line: `serve`, `bootstrap`, `demo`, `token`, `bench`, `replay`, `rebuild`, `verify`,
//! `export` and `import`. Every setting also comes from an
//! environment variable. Command output (a token) goes to stdout; logs and errors go to stderr.

pub mod bench;
pub mod bootstrap;
pub mod demo;
pub mod export;
pub mod import;
pub mod rebuild;
pub mod replay;
pub mod serve;
pub mod token;
pub mod verify;

use std::io::Write;

use clap::{Parser, Subcommand};

use crate::config::{LogFormat, DEFAULT_DATABASE_URL};

#[derive(Debug, Parser)]
#[command(
    name = "channel-ledger",
    version,
    about = "Channel Ledger: the partner program's memory"
)]
pub struct Cli {
    /// The ledger's database: sqlite://<file> (created if missing) or postgres://…
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,
    /// Log format on stderr.
    #[arg(long, env = "LEDGER_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API.
    Serve(serve::ServeArgs),
    /// Create the first Admin of an empty ledger and print their token.
    Bootstrap(bootstrap::BootstrapArgs),
    /// Write a realistic four-year demo program into an empty ledger and print a token per role.
    Demo(demo::DemoArgs),
    /// Issue or revoke API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Measure commands/s against raw inserts on a fresh ledger (design.md §6).
    Bench(bench::BenchArgs),
    /// Print one partner's state and timeline as of a date, on either time axis.
    Replay(replay::ReplayArgs),
    /// Rebuild the read models from the log, store their snapshot, print the report as JSON.
    Rebuild(rebuild::RebuildArgs),
    /// Recompute the log's hash chain and name the first event altered, removed or reordered.
    Verify(verify::VerifyArgs),
    /// Write the whole log as JSON lines (docs/export-format.md).
    Export(export::ExportArgs),
    /// Load an export into an empty ledger, verifying its chain.
    Import(import::ImportArgs),
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => serve::run(&cli.database_url, args).await,
        Command::Bootstrap(args) => bootstrap::run(&cli.database_url, args).await,
        Command::Demo(args) => demo::run(&cli.database_url, args).await,
        Command::Token(cmd) => token::run(&cli.database_url, cmd).await,
        Command::Bench(args) => bench::run(&cli.database_url, args).await,
        Command::Replay(args) => replay::run(&cli.database_url, args).await,
        Command::Rebuild(args) => rebuild::run(&cli.database_url, args).await,
        Command::Verify(args) => verify::run(&cli.database_url, args).await,
        Command::Export(args) => export::run(&cli.database_url, args).await,
        Command::Import(args) => import::run(&cli.database_url, args).await,
    }
}

/// Prints a secret on its own line on stdout: the command's only output.
pub fn print_line(line: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}")?;
    out.flush()?;
    Ok(())
}
