//! `channel-ledger bench`: the project's own benchmark (design.md §6).
//!
//! On a fresh ledger it measures commands per second through the real command path (load the
//! aggregate, decide, append with its global position) at each writer count, and, as the
//! reference the targets are ratios of, raw single-row inserts of an event-shaped row into the
//! same database in the same run. Then it writes a realistic program log of `--events` events
//! (default 1,000,000; see [`log`] for what is in it), times a full projection rebuild over
//! it, and times "as of" answers: one partner with `--partner-events` events through its
//! snapshots, and the whole program's portfolio. Last it starts the real server (`serve`, a
//! child process) on the database and drives its HTTP reads with 64 clients, reading the
//! server's resident memory from the kernel. Prints a table, or JSON with `--json`.
//!
//! The log's mix at the default size (seed 2026, one run; counts vary by a fraction of a
//! percent with the day it runs, which sets where the four years end):
//!
//! 1,000,000 events; 7,752 partners in 6 territories; 278 staff, of whom 173 PAMs left and
//! handed their portfolios over; four years of history (the generator stops at the number of
//! events asked for, here ten days short of the present); 10,874 late corrections (1.09%: tier
//! changes, reclassifications and named-account results recorded after later events of the
//! same partner).
//!
//! | stream | events | by kind |
//! |---|---:|---|
//! | Partner | 65,356 | PartnerReclassified 19,462, PartnerTierChanged 19,100, PamAssigned 17,814, PartnerRegistered 7,752, PartnerOffboarded 1,228 |
//! | Staff | 451 | StaffJoined 278, StaffLeft 173 |
//! | QarSeries | 567,147 | CommitmentReviewed 252,310, QarOpened 76,954, QarDiscussionRecorded 76,817, QarPlanLocked 76,707, QarCompleted 76,607, QarScheduled 7,752 |
//! | Rap | 196,002 | NamedAccountAdvanced 77,246, RapSubmitted 17,702, RapApprovedByManager 16,082, RapDrafted 15,602, RapActivated 15,413, RapClosed 14,231, NamedAccountWon 13,760, NamedAccountLost 12,332, RapRevised 6,076, RapRejected 2,169, RapAmendmentProposed 1,800, RapAmendmentApprovedByManager 1,795, RapAmendmentApproved 1,794 |
//! | MdfProgramBudget | 18,020 | MdfAllocationGranted 14,079, MdfExemptionRequested 1,281, MdfExemptionApprovedByManager 1,275, MdfExemptionApprovedByCxo 1,274, MdfBudgetRaised 94, MdfBudgetSet 17 |
//! | MdfFundRequest | 152,880 | MdfProofSubmitted 18,791, MdfActivityAdded 18,724, MdfActivityApproved 18,279, MdfClaimSubmitted 17,185, MdfProofAccepted 16,953, MdfFundRequestSubmitted 15,969, MdfFundRequestDrafted 15,303, MdfFundRequestApproved 15,186, MdfPaymentRecorded 13,801, MdfProofRejected 1,686, MdfFundRequestReturned 706, MdfActivityRejected 297 |
//! | CohortStrategy | 144 | CohortStrategyReviewed 96, CohortStrategyApproved 24, CohortStrategyRevised 18, CohortStrategyDrafted 6 |
//!
//! The commands measure (before the log) adds `--commands` events per writer count, and the one
//! long-history partner `--partner-events` more (after the rebuild).

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
    /// Events in the generated program log the projector rebuilds and "as of" replays.
    #[arg(long, default_value_t = 1_000_000)]
    pub events: usize,
    /// Seed of the generated program's choices.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
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

    let started = std::time::Instant::now();
    let program = log::program(&ledger, args.events, args.seed).await?;
    report.push(Row::new(
        "log generated and written (batched)",
        1,
        program.mix.events,
        started.elapsed(),
    ));
    report.log = Some(program.mix.clone());
    let span = program.span;
    let (projector, rows) = rebuild::run(&ledger).await?;
    report.extend(rows);

    let (partner, partner_span) = log::partner(&ledger, &program, args.partner_events).await?;
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
    let target = http::target(&projector).await?;
    drop(projector);
    let (reads, server) = http::reads(&ledger, &url, target, args.http_requests).await?;
    report.push(reads);
    report.server = Some(server);
    report.print(args.json)
}

/// Per-second rate of `n` operations taking `took`.
fn rate(n: usize, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64().max(f64::EPSILON)
}
