//! `channel-ledger token create --staff <id>` and `token revoke --token <token_id>`: the operator's
//! way to issue and revoke tokens without the API (tokens made here are created by the system).

use anyhow::{bail, Context};
use channel_ledger_domain::StaffId;
use channel_ledger_store::Ledger;
use chrono::Utc;
use uuid::Uuid;

use crate::auth::issue_token;

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Issue a token for an active member of staff and print it (shown once).
    Create {
        /// The staff id.
        #[arg(long)]
        staff: Uuid,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        label: String,
    },
    /// Revoke a token by its id.
    Revoke {
        /// The token id (not the token itself).
        #[arg(long)]
        token: Uuid,
    },
}

pub async fn run(database_url: &str, command: TokenCommand) -> anyhow::Result<()> {
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    let now = Utc::now();
    match command {
        TokenCommand::Create { staff, label } => {
            let staff = StaffId(staff);
            if crate::directory::actor_as_of(&ledger, staff, now)
                .await?
                .is_none()
            {
                bail!("{staff} is not active staff: no token issued");
            }
            let issued = issue_token(&ledger, staff, &label, Uuid::nil(), now).await?;
            tracing::info!(staff.id = %staff, token.id = %issued.token_id, "token issued");
            super::print_line(&issued.token)
        }
        TokenCommand::Revoke { token } => {
            if !ledger.revoke_token(token, Uuid::nil(), now).await? {
                bail!("no active token with id {token}");
            }
            tracing::info!(token.id = %token, "token revoked");
            Ok(())
        }
    }
}
