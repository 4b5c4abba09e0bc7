//! "As of" latency at random moments on both axes: one partner with a long history through
//! [`PartnerSnapshots`] (the server's path, snapshot every [`EVERY`] events), and the whole
//! program: the portfolio through [`ProgramHistory`], the manager console through
//! [`program_as_of`].

use std::time::{Duration, Instant};

use channel_ledger_domain::{Role, StaffId};
use channel_ledger_projections::views::{manager_console, Scope};
use channel_ledger_projections::Projector;
use channel_ledger_replay::{program_as_of, Axis, PartnerSnapshots, ProgramHistory};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};

use super::log::Span;
use super::report::Row;
use crate::snapshot_cache::EVERY;

const AXES: [Axis; 2] = [Axis::Recorded, Axis::Effective];

/// A small deterministic generator, so runs pick comparable moments.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) % n
    }

    /// A moment of `span` on `axis`, uniformly.
    fn moment(&mut self, span: &Span, axis: Axis) -> DateTime<Utc> {
        let (from, to) = match axis {
            Axis::Recorded => span.recorded,
            Axis::Effective => span.effective,
        };
        let width = (to - from).num_microseconds().unwrap_or(i64::MAX).max(1) as u64;
        from + chrono::Duration::microseconds(self.below(width) as i64)
    }
}

/// Loads the partner's snapshots over the projector's live model, then answers `dates` random
/// moments per axis with the partner's model, as the partner views do.
pub async fn partner(
    ledger: &Ledger,
    projector: &Projector,
    partner_id: &str,
    events: usize,
    span: &Span,
    dates: usize,
) -> anyhow::Result<Vec<Row>> {
    projector.catch_up().await?;
    let started = Instant::now();
    let snapshots = {
        let live = projector.read().await;
        PartnerSnapshots::load(ledger, &live, partner_id, EVERY).await?
    };
    let mut rows = vec![Row::new(
        "partner snapshots load (one-time)",
        1,
        events,
        started.elapsed(),
    )];
    let mut rng = Lcg(42);
    for axis in AXES {
        let mut samples = Vec::with_capacity(dates);
        for _ in 0..dates {
            let t = rng.moment(span, axis);
            let started = Instant::now();
            std::hint::black_box(snapshots.state_as_of(axis, t));
            samples.push(started.elapsed());
        }
        rows.push(Row::latencies(
            format!("partner as of, {axis} axis"),
            samples,
        ));
    }
    Ok(rows)
}

/// The whole program as a CxO reads it: the portfolio at `dates` random moments per axis from
/// the [`ProgramHistory`] (after timing its one-time load), and the manager console, which is
/// still folded from the log ([`program_as_of`]), at a few.
pub async fn program(ledger: &Ledger, span: &Span, dates: usize) -> anyhow::Result<Vec<Row>> {
    let scope = Scope::new(StaffId::new(), Role::Cxo, None);
    let started = Instant::now();
    let history = ProgramHistory::load(ledger).await?;
    let took = started.elapsed();
    let size = history.size();
    let mut rows = vec![Row::new(
        format!(
            "program history load (one-time): {} partners, {} versions, {} lines; events",
            size.partners, size.versions, size.lines
        ),
        1,
        usize::try_from(history.position()).unwrap_or(usize::MAX),
        took,
    )];
    let mut rng = Lcg(7);
    for axis in AXES {
        let mut samples: Vec<Duration> = Vec::with_capacity(dates);
        for _ in 0..dates {
            let t = rng.moment(span, axis);
            let started = Instant::now();
            std::hint::black_box(
                history
                    .portfolio_as_of(ledger, axis, t, t, &scope, None)
                    .await?,
            );
            samples.push(started.elapsed());
        }
        rows.push(Row::latencies(
            format!("program portfolio as of, {axis} axis"),
            samples,
        ));
    }
    drop(history);
    for axis in AXES {
        let mut samples: Vec<Duration> = Vec::with_capacity(CONSOLE_DATES);
        for _ in 0..CONSOLE_DATES.min(dates) {
            let t = rng.moment(span, axis);
            let started = Instant::now();
            let model = program_as_of(ledger, axis, t).await?;
            std::hint::black_box(manager_console(&model, &scope, t));
            samples.push(started.elapsed());
        }
        rows.push(Row::latencies(
            format!("manager console as of (log fold), {axis} axis"),
            samples,
        ));
    }
    Ok(rows)
}

/// The console as of a moment folds the whole log: a few samples say enough.
const CONSOLE_DATES: usize = 3;
