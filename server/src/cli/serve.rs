//! `channel-ledger serve [--demo]`: run the HTTP API until Ctrl-C or SIGTERM. With `--demo`, an
//! empty ledger first gets the demo program (`channel-ledger demo`) and its tokens are printed on
//! stdout (never logged); a ledger that already holds events is served as it is.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use anyhow::Context;
use channel_ledger_store::Ledger;

use crate::app::Application;
use crate::config::{Config, DEFAULT_BIND};
use crate::state::{system_clock, AppState};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LEDGER_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,
    /// On an empty ledger, write the demo program first and print a token per role.
    #[arg(long)]
    pub demo: bool,
    /// The demo program's seed (with --demo).
    #[arg(long, default_value_t = super::demo::DEFAULT_SEED)]
    pub seed: u64,
    /// Seconds a request holds its Idempotency-Key before a retry may take it over (when the
    /// first attempt crashed or hangs).
    #[arg(long, env = "LEDGER_IDEMPOTENCY_LEASE", default_value_t = channel_ledger_store::DEFAULT_IDEMPOTENCY_LEASE.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    pub idempotency_lease: u64,
}

pub async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    if args.demo {
        demo_first(database_url, args.seed).await?;
    }
    let app = Application::build(Config {
        bind: args.bind,
        database_url: database_url.to_owned(),
        idempotency_lease: Duration::from_secs(args.idempotency_lease),
    })
    .await?;
    // The one line a newcomer needs: where to point the browser.
    let ip = match args.bind.ip() {
        ip if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        ip => ip,
    };
    let url = SocketAddr::new(ip, app.port());
    super::print_line(&format!("console: http://{url}/ (sign in with a token)"))?;
    app.run_until_stopped().await
}

async fn demo_first(database_url: &str, seed: u64) -> anyhow::Result<()> {
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    let head = ledger.head_position().await?;
    if head > 0 {
        tracing::info!(
            events = head,
            "--demo: the ledger is not empty; serving it as it is"
        );
        return Ok(());
    }
    let state = AppState::new(ledger, system_clock()).await?;
    let tokens = super::demo::write_program(&state, seed).await?;
    // Secrets go to stdout only: logs are shipped and kept, tokens must never be in them.
    for t in &tokens {
        super::print_line(&t.line())?;
    }
    tracing::info!(
        people = tokens.len(),
        "demo program written; tokens printed on stdout"
    );
    drop(state);
    Ok(())
}
