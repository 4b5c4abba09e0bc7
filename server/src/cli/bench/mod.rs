//! `channel-ledger bench`: the project's own benchmark (design.md §6).
//!
//! On a fresh ledger it measures commands per second through the real command path (load the
//! aggregate, decide, append with its global position) at each writer count, and, as the
//! reference the targets are ratios of, raw single-row inserts of an event-shaped row into the
//! same database in the same run. Prints a table, or JSON with `--json`.

mod commands;
mod raw;
mod report;

use std::time::Duration;

use anyhow::{bail, Context};
use channel_ledger_store::{Backend, Ledger};

use report::{Report, Row};

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Writer counts to measure, e.g. `1,8`.
    #[arg(long, value_delimiter = ',', default_value = "1,8")]
    pub writers: Vec<usize>,
    /// Commands per measurement (spread over the writers).
    #[arg(long, default_value_t = 4000)]
    pub commands: usize,
    /// Print a JSON summary instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the benchmark against `database_url`, which must hold an empty ledger. With the default
/// SQLite URL a throwaway database in a temporary directory is used instead, so a bench never
/// writes into `./channel-ledger.db`.
pub async fn run(database_url: &str, args: BenchArgs) -> anyhow::Result<()> {
    if args.writers.contains(&0) || args.commands == 0 {
        bail!("--writers and --commands must be positive");
    }
    let scratch = tempfile::tempdir().context("creating a scratch directory")?;
    let url = match Backend::from_url(database_url)? {
        Backend::Sqlite if database_url == crate::config::DEFAULT_DATABASE_URL => {
            format!("sqlite://{}", scratch.path().join("bench.db").display())
        }
        _ => database_url.to_owned(),
    };
    let ledger = Ledger::connect(&url).await?;
    if ledger.head_position().await? != 0 {
        bail!("the bench appends thousands of events: point it at an empty ledger");
    }
    let mut report = Report::new(ledger.backend());
    for &writers in &args.writers {
        let raw = raw::single_row_inserts(&ledger, writers, args.commands).await?;
        report.push(Row::new(
            "raw single-row INSERT",
            writers,
            args.commands,
            raw,
        ));
        let took = commands::run(&ledger, writers, args.commands).await?;
        report.push(Row::new(
            "command (load, decide, append)",
            writers,
            args.commands,
            took,
        ));
    }
    raw::drop_table(&ledger).await?;
    report.print(args.json)
}

/// Per-second rate of `n` operations taking `took`.
fn rate(n: usize, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64().max(f64::EPSILON)
}
