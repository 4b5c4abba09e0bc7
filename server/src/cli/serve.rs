//! `channel-ledger serve`: run the HTTP API until Ctrl-C or SIGTERM.

use std::net::SocketAddr;

use crate::app::Application;
use crate::config::{Config, DEFAULT_BIND};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "LEDGER_BIND", default_value = DEFAULT_BIND)]
    pub bind: SocketAddr,
}

pub async fn run(database_url: &str, args: ServeArgs) -> anyhow::Result<()> {
    let app = Application::build(Config {
        bind: args.bind,
        database_url: database_url.to_owned(),
    })
    .await?;
    app.run_until_stopped().await
}
