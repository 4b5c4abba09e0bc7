//! `channel-ledger rebuild`: fold every read model afresh from the log, store the new snapshot,
//! and print the report as one line of JSON on stdout.
//!
//! A running `serve` keeps answering from its own model meanwhile; it picks the new snapshot up
//! on its next start (its live model already equals it: the fold is deterministic).

use anyhow::Context;
use channel_ledger_projections::Projector;
use channel_ledger_store::Ledger;

#[derive(Debug, clap::Args)]
pub struct RebuildArgs {}

pub async fn run(database_url: &str, _args: RebuildArgs) -> anyhow::Result<()> {
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    let projector = Projector::start(ledger)
        .await
        .context("could not start the projector")?;
    // With a stored snapshot, bring it to the head first, so the report says whether the rebuilt
    // model equals the incrementally built one (`matched_live`). Without one there is nothing
    // to compare: fold the log once, in the rebuild.
    if projector.position() > 0 {
        projector
            .catch_up()
            .await
            .context("could not catch up from the stored snapshot")?;
    }
    let report = projector.rebuild().await.context("the rebuild failed")?;
    super::print_line(&serde_json::to_string(&report)?)
}
