//! `channel-ledger bench`: the project's own benchmark (design.md §6).
//!
//! On a fresh ledger it measures commands per second through the real command path (load the
//! aggregate, decide, append with its global position) at each writer count, and, as the
//! reference the targets are ratios of, raw single-row inserts of an event-shaped row into the
//! same database in the same run. Then it writes a realistic log of `--events` events fast,
//! times a full projection rebuild over it, and times "as of" answers: one partner with
//! `--partner-events` events through its snapshots, and the whole program's portfolio. Prints a
//! table, or JSON with `--json`.

mod as_of;
mod commands;
mod http;
mod log;
mod raw;
mod rebuild;
mod report;

use std::time::Duration;

use anyhow::{bail, Context};
use channel_ledger_store::{Backend, Ledger};

use report::{Report, Row, COMMAND, RAW};

/// Random moments per axis for one partner "as of".
const PARTNER_DATES: usize = 200;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Writer counts to measure, e.g. `1,8`.
    #[arg(long, value_delimiter = ',', default_value = "1,8")]
    pub writers: Vec<usize>,
    /// Commands per measurement (spread over the writers).
    #[arg(long, default_value_t = 4000)]
    pub commands: usize,
    /// Events in the generated log the projector rebuilds and "as of" replays.
    #[arg(long, default_value_t = 200_000)]
    pub events: usize,
    /// Events in the history of the one partner timed "as of".
    #[arg(long, default_value_t = 10_000)]
    pub partner_events: usize,
    /// Random moments per axis for the whole program's portfolio "as of" (the manager
    /// console, which refolds the log, takes at most 3).
    #[arg(long, default_value_t = 200)]
    pub program_dates: usize,
    /// HTTP reads spread over 64 concurrent clients.
    #[arg(long, default_value_t = 20_000)]
    pub http_requests: usize,
    /// Print a JSON summary instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the benchmark against `database_url`, which must hold an empty ledger. With the default
/// SQLite URL a throwaway database in a temporary directory is used instead, so a bench never
/// writes into `./channel-ledger.db`.
pub async fn run(database_url: &str, args: BenchArgs) -> anyhow::Result<()> {
    if args.writers.contains(&0)
        || args.commands == 0
        || args.events == 0
        || args.partner_events == 0
        || args.program_dates == 0
        || args.http_requests == 0
    {
        bail!("--writers, --commands, --events, --partner-events, --program-dates and --http-requests must be positive");
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
        report.push(Row::new(RAW, writers, args.commands, raw));
        let took = commands::run(&ledger, writers, args.commands).await?;
        report.push(Row::new(COMMAND, writers, args.commands, took));
    }
    raw::drop_table(&ledger).await?;

    let pams = log::pams(&ledger).await?;
    let started = std::time::Instant::now();
    let span = log::program(&ledger, &pams, args.events).await?;
    report.push(Row::new(
        "log written (batched appends)",
        1,
        args.events,
        started.elapsed(),
    ));
    let (projector, rows) = rebuild::run(&ledger).await?;
    report.extend(rows);

    let (partner, partner_span) = log::partner(&ledger, &pams, args.partner_events).await?;
    let id = partner.to_string();
    let rows = as_of::partner(
        &ledger,
        &projector,
        &id,
        args.partner_events,
        &partner_span,
        PARTNER_DATES,
    )
    .await?;
    report.extend(rows);
    report.extend(as_of::program(&ledger, &span, args.program_dates).await?);
    drop(projector);
    report.push(http::reads(&ledger, args.http_requests).await?);
    report.print(args.json)
}

/// Per-second rate of `n` operations taking `took`.
fn rate(n: usize, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64().max(f64::EPSILON)
}
