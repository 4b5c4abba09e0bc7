//! `channel-ledger import FILE`: load an export (docs/export-format.md) into an empty ledger,
//! keeping positions, times and hashes; the file's chain is verified as it is read, and nothing
//! is written unless all of it verifies. Prints the imported chain's head on stdout: it equals
//! the export's last line.

use std::path::PathBuf;

use anyhow::Context;
use channel_ledger_store::Ledger;
use tokio::io::BufReader;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The export file to load.
    pub file: PathBuf,
}

pub async fn run(database_url: &str, args: ImportArgs) -> anyhow::Result<()> {
    let file = tokio::fs::File::open(&args.file)
        .await
        .with_context(|| format!("could not open {}", args.file.display()))?;
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    let head = ledger
        .import(BufReader::new(file))
        .await
        .with_context(|| format!("could not import {}", args.file.display()))?;
    super::print_line(&serde_json::to_string(&head)?)
}
