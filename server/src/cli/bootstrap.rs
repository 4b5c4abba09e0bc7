//! `channel-ledger bootstrap --name "Ada Admin"`: the first Admin of an empty ledger.
//!
//! The system actor registers them through the Staff aggregate, like any other join, so the
//! event carries full metadata. Refused once any active Admin exists: from then on, Admins
//! register staff through the API. Two bootstraps racing on one empty ledger could both succeed;
//! it is an operator's one-off command, so that is accepted rather than locked against.

use anyhow::{bail, Context};
use channel_ledger_domain::staff::{Staff, StaffCommand, MAINTAIN_DIRECTORY};
use channel_ledger_domain::text::Name;
use channel_ledger_domain::{Actor, EffectiveTime, Role, StaffId};
use channel_ledger_store::Ledger;
use uuid::Uuid;

use crate::auth::{issue_token, IssuedToken};
use crate::commands::{execute, metadata, RequestMeta};
use crate::state::{system_clock, AppState};

#[derive(Debug, clap::Args)]
pub struct BootstrapArgs {
    /// The first Admin's name.
    #[arg(long)]
    pub name: String,
}

pub async fn run(database_url: &str, args: BootstrapArgs) -> anyhow::Result<()> {
    let name = Name::parse(&args.name).context("--name")?;
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    let state = AppState::new(ledger, system_clock()).await?;
    let (_, issued) = first_admin(&state, name).await?;
    super::print_line(&issued.token)
}

/// Registers `name` as the first Admin, as the system, and issues their token. Refuses once any
/// active Admin exists.
pub async fn first_admin(state: &AppState, name: Name) -> anyhow::Result<(StaffId, IssuedToken)> {
    let at = EffectiveTime::now(state.now());
    first_admin_at(state, name, at, "first Admin of an empty ledger").await
}

/// [`first_admin`] with the join taking effect at `at` (the demo program back-dates it so the
/// Admin can register staff years ago); `reason` is recorded with the event.
pub async fn first_admin_at(
    state: &AppState,
    name: Name,
    at: EffectiveTime,
    reason: &str,
) -> anyhow::Result<(StaffId, IssuedToken)> {
    let now = state.now();
    if crate::directory::has_active_admin(&state.ledger, now).await? {
        bail!("this ledger already has an active Admin; ask them for a token (bootstrap only starts an empty ledger)");
    }
    let system = Actor::system();
    let staff_id = StaffId(state.new_id());
    let authority = format!("bootstrap: {}", MAINTAIN_DIRECTORY.authority(&system));
    let reason = Some(reason.to_owned());
    let meta = metadata(&system, &at, authority, reason, &RequestMeta::default());
    let command = StaffCommand::Join {
        staff_id,
        name,
        role: Role::Admin,
        territory: None,
    };
    execute::<Staff, _>(state, &staff_id.to_string(), system, command, meta).await?;
    let issued = issue_token(&state.ledger, staff_id, "bootstrap", Uuid::nil(), now).await?;
    tracing::info!(staff.id = %staff_id, token.id = %issued.token_id, "first Admin created");
    Ok((staff_id, issued))
}
