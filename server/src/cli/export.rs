//! `channel-ledger export [--out FILE]`: the whole log as JSON lines (docs/export-format.md), on
//! stdout or into FILE. With `--out`, the chain's head is printed on stdout when done.

use std::path::PathBuf;

use anyhow::Context;
use channel_ledger_store::Ledger;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// Write here instead of stdout (the file is created or truncated).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub async fn run(database_url: &str, args: ExportArgs) -> anyhow::Result<()> {
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    match args.out {
        None => {
            ledger
                .export(tokio::io::stdout())
                .await
                .context("the export failed")?;
        }
        Some(path) => {
            let file = tokio::fs::File::create(&path)
                .await
                .with_context(|| format!("could not create {}", path.display()))?;
            let head = ledger.export(file).await.context("the export failed")?;
            super::print_line(&serde_json::to_string(&head)?)?;
        }
    }
    Ok(())
}
