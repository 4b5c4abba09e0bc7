//! HTTP reads under load (design.md §6: p99 ≤ 20 ms with 64 clients on loopback): the service's
//! own router on a free port, a PAM's token, and [`CLIENTS`] clients each asking in turn for
//! the profile and the first timeline page of partners of that PAM.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use axum::body::Bytes;
use axum::http::{header, Request};
use channel_ledger_domain::{Actor, StaffId};
use channel_ledger_store::Ledger;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use tokio::net::TcpListener;

use super::report::Row;
use crate::app::router;
use crate::auth::issue_token;
use crate::state::{system_clock, AppState};

pub const CLIENTS: usize = 64;

/// `requests` reads spread over [`CLIENTS`] clients; one row with the latency percentiles of
/// every request and the rate over the wall-clock time.
pub async fn reads(ledger: &Ledger, requests: usize) -> anyhow::Result<Row> {
    let state = AppState::new(ledger.clone(), system_clock()).await?;
    state.projector.catch_up().await?;
    // The PAM with the most partners, and those partners.
    let (pam, partners) = state
        .projector
        .with_model(|model| {
            let mut by_pam: HashMap<StaffId, Vec<String>> = HashMap::new();
            for (id, entry) in &model.partners {
                if let Some(pam) = entry.partner.profile.as_ref().and_then(|p| p.pam) {
                    by_pam.entry(pam).or_default().push(id.clone());
                }
            }
            by_pam
                .into_iter()
                .max_by_key(|(_, partners)| partners.len())
        })
        .await
        .context("the generated log assigned no partner a PAM")?;
    let issuer = Actor::system().staff_id.0;
    let token = issue_token(ledger, pam, "bench", issuer, chrono::Utc::now())
        .await?
        .token;

    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serve = axum::serve(listener, router(state)).with_graceful_shutdown(async {
        stopped.await.ok();
    });
    let server = tokio::spawn(async move { serve.await });

    let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..CLIENTS {
        let (client, base, token) = (client.clone(), base.clone(), token.clone());
        let partners = partners.clone();
        let mine = requests / CLIENTS + usize::from(c < requests % CLIENTS);
        tasks.spawn(async move {
            let mut samples = Vec::with_capacity(mine);
            for i in 0..mine {
                let partner = &partners[(c * 7_919 + i) % partners.len()];
                let page = if i % 2 == 0 { "profile" } else { "timeline" };
                let request = Request::get(format!("{base}/api/v1/partners/{partner}/{page}"))
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .body(Empty::new())?;
                let sent = Instant::now();
                let response = client.request(request).await?;
                let status = response.status();
                response.into_body().collect().await?;
                samples.push(sent.elapsed());
                if !status.is_success() {
                    bail!("GET {page} of partner {partner} answered {status}");
                }
            }
            Ok::<_, anyhow::Error>(samples)
        });
    }
    let mut samples: Vec<Duration> = Vec::with_capacity(requests);
    while let Some(done) = tasks.join_next().await {
        samples.extend(done.context("a load client panicked")??);
    }
    let took = started.elapsed();
    stop.send(()).ok();
    server.await??;

    let mut row = Row::latencies("HTTP reads: partner profile, timeline", samples);
    row.clients = CLIENTS;
    row.seconds = took.as_secs_f64();
    row.per_second = super::rate(requests, took);
    Ok(row)
}
