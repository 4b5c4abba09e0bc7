//! `channel-ledger replay --partner <id> --as-of 2025-06-30 [--axis recorded|effective] [--json]`:
//! one partner as of a moment, read as a CxO reads it (the whole profile, QAR notes included),
//! and its timeline up to then.
//!
//! Text by default: a header (name, the moment, the axis, tier, classification, PAM), then one
//! line per event, "14 Feb 2026 — Priya M. (Manager, Southeast) …". `--json` prints
//! `{"profile": …, "timeline": […]}` on one line instead.

use anyhow::{anyhow, Context};
use channel_ledger_domain::{Role, StaffId};
use channel_ledger_projections::views::{partner_profile, partner_timeline, Scope};
use channel_ledger_projections::Projector;
use channel_ledger_replay::{parse_as_of, partner_as_of, Axis};
use channel_ledger_store::Ledger;
use uuid::Uuid;

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The partner's id.
    #[arg(long)]
    pub partner: Uuid,
    /// The moment: a date (the end of that day, UTC) or an RFC 3339 instant.
    #[arg(long)]
    pub as_of: String,
    /// `effective` (what was true then, with later corrections) or `recorded` (what the ledger
    /// knew then).
    #[arg(long, default_value = "effective")]
    pub axis: Axis,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(database_url: &str, args: ReplayArgs) -> anyhow::Result<()> {
    let t = parse_as_of(&args.as_of).context("--as-of")?;
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    // The live model names the partner's streams (its RAPs, fund requests, PAMs).
    let projector = Projector::start(ledger.clone())
        .await
        .context("could not start the projector")?;
    projector
        .catch_up()
        .await
        .context("could not catch up with the log")?;
    let id = args.partner.to_string();
    let history = {
        let now = projector.read().await;
        partner_as_of(&ledger, &now, &id, args.axis, t).await?
    };
    let scope = Scope::new(StaffId(Uuid::nil()), Role::Cxo, None);
    let profile = partner_profile(&history.model, &scope, t, &id).ok_or_else(|| {
        anyhow!(
            "partner {id} was not registered as of {t} ({} axis)",
            args.axis
        )
    })?;
    let timeline =
        partner_timeline(&history.events, &history.model, &scope, &id, None).unwrap_or_default();
    if args.json {
        let body = serde_json::json!({
            "partner_id": id,
            "as_of": t,
            "axis": args.axis,
            "profile": profile,
            "timeline": timeline,
        });
        return super::print_line(&body.to_string());
    }
    let classification = profile
        .classification
        .map_or_else(|| "unclassified".to_owned(), |c| c.to_string());
    let pam = profile
        .pam
        .as_ref()
        .map_or_else(|| "no PAM".to_owned(), |p| format!("PAM {}", p.name));
    let mut lines = vec![format!(
        "{} ({}) as of {} on the {} axis — tier {}, {classification}, {pam}, {} active RAP(s), {} event(s)",
        profile.name,
        profile.territory,
        t.to_rfc3339(),
        args.axis,
        profile.tier,
        profile.active_raps.len(),
        timeline.len(),
    )];
    lines.extend(timeline.into_iter().map(|e| e.sentence));
    super::print_line(&lines.join("\n"))
}
