//! `channel-ledger verify [--position N --hash H] [--json]`: recompute the log's hash chain
//! from what is stored and name the first event that was altered, removed or reordered.
//!
//! Prints the outcome on stdout (one sentence, or one line of JSON with `--json`) and exits
//! non-zero when the chain is broken. A digest kept earlier (`GET /api/v1/ledger/digest`) can be
//! given to prove that nothing up to its position was rewritten since.

use anyhow::{bail, Context};
use channel_ledger_store::chain::{ChainHead, Link, Verification};
use channel_ledger_store::Ledger;

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The position of a digest kept earlier.
    #[arg(long, requires = "hash")]
    pub position: Option<i64>,
    /// The hash of a digest kept earlier (64 hex digits).
    #[arg(long, requires = "position")]
    pub hash: Option<Link>,
    /// Print JSON instead of a sentence.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(database_url: &str, args: VerifyArgs) -> anyhow::Result<()> {
    let kept = args
        .position
        .zip(args.hash)
        .map(|(position, hash)| ChainHead { position, hash });
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    let verification = ledger
        .verify_chain(kept)
        .await
        .context("could not read the chain")?;
    if args.json {
        super::print_line(&serde_json::to_string(&verification)?)?;
    }
    match verification {
        Verification::Intact { head } => {
            if !args.json {
                super::print_line(&format!(
                    "the chain verifies: {} events, head hash {}",
                    head.position, head.hash
                ))?;
            }
            Ok(())
        }
        Verification::Broken(broken) => bail!("the chain is broken: {broken}"),
    }
}
