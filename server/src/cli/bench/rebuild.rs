//! The projector over the whole log: catch-up from empty (a first start), then a full
//! [`Projector::rebuild`] (design.md §6 asks for ≥ 250,000 events/s end to end).

use std::time::{Duration, Instant};

use channel_ledger_projections::{Projector, ProjectorConfig};
use channel_ledger_store::Ledger;

use super::report::Row;

/// Starts a projector, catches it up and rebuilds it; returns it caught up, with its rows.
pub async fn run(ledger: &Ledger) -> anyhow::Result<(Projector, Vec<Row>)> {
    let started = Instant::now();
    let projector = Projector::start_with(ledger.clone(), ProjectorConfig::default()).await?;
    let events = projector.catch_up().await?;
    let catch_up = Row::new(
        "projector catch-up from empty",
        1,
        events,
        started.elapsed(),
    );
    let report = projector.rebuild().await?;
    let rebuild = Row::new(
        "projector rebuild",
        1,
        report.events,
        Duration::from_secs_f64(report.seconds),
    );
    Ok((projector, vec![catch_up, rebuild]))
}
