//! HTTP reads under load against the real server (design.md §6: p99 ≤ 20 ms with 64 clients on
//! loopback; resident set ≤ 200 MB with 1,000,000 events in the log).
//!
//! The bench starts this same binary's `serve` on the bench's database as a child process, as an
//! operator would after the log was written: it resumes from the stored snapshot (or replays
//! the log) and catches up before it listens. Once `/ready` reports no lag, [`CLIENTS`] clients
//! each ask in turn for the profile and the latest timeline page (50 entries) of partners of the
//! PAM with the most partners, with that PAM's token. The child's resident set is read from
//! `/proc/<pid>/status` (Linux): when ready, the most seen while serving, after, and its peak
//! (`VmHWM`, which includes starting up).

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use axum::body::Bytes;
use axum::http::{header, Request, StatusCode};
use channel_ledger_domain::{Actor, StaffId};
use channel_ledger_projections::Projector;
use channel_ledger_store::Ledger;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, BufReader};

use super::report::Row;
use crate::auth::issue_token;

pub const CLIENTS: usize = 64;

/// The timeline as a screen asks for it: the latest page of 50 entries.
const TIMELINE_PAGE: &str = "timeline?limit=50";

/// How long the server may take to start and catch up.
const READY_WITHIN: Duration = Duration::from_secs(600);

/// Whose reads the clients make: the PAM with the most partners, and those partners.
#[derive(Debug, Clone)]
pub struct Target {
    pam: StaffId,
    partners: Vec<String>,
}

/// Picks the PAM with the most partners in the projector's live model.
pub async fn target(projector: &Projector) -> anyhow::Result<Target> {
    projector
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
                .map(|(pam, partners)| Target { pam, partners })
        })
        .await
        .context("the generated log assigned no partner a PAM")
}

/// The served process's memory, in MiB.
#[derive(Debug, Clone, Serialize)]
pub struct ServerMemory {
    /// Seconds from spawning `serve` until `/ready` reported no lag.
    pub ready_seconds: f64,
    /// Seconds from spawning `serve` until its program history (loaded in the background at
    /// start) answered a portfolio "as of": the reads are timed after it, not beside it.
    pub history_seconds: f64,
    /// Resident set once ready and the history loaded, before any read.
    pub ready_rss_mb: f64,
    /// The most resident set seen while the clients read (sampled every 50 ms).
    pub serving_rss_mb: f64,
    /// Resident set after the reads.
    pub after_rss_mb: f64,
    /// The peak resident set of the server's life (`VmHWM`): starting up included.
    pub peak_rss_mb: f64,
    /// CPU time (user and system) the server spent per read, in microseconds.
    pub server_cpu_us_per_request: f64,
    /// CPU time the load's clients (this process) spent per read: they share the machine.
    pub client_cpu_us_per_request: f64,
}

/// `requests` reads spread over [`CLIENTS`] clients against a child `serve` on `database_url`;
/// a row with the latency percentiles of every request and the rate over the wall-clock time,
/// and the server's memory.
pub async fn reads(
    ledger: &Ledger,
    database_url: &str,
    target: Target,
    requests: usize,
) -> anyhow::Result<(Row, ServerMemory)> {
    let issuer = Actor::system().staff_id.0;
    let token = issue_token(ledger, target.pam, "bench", issuer, chrono::Utc::now())
        .await?
        .token;
    let started = Instant::now();
    let server = Server::spawn(database_url).await?;
    let client = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(CLIENTS)
        .build_http::<Empty<Bytes>>();
    server.wait_ready(&client).await?;
    let ready_seconds = started.elapsed().as_secs_f64();
    server.wait_history(&client, &token).await?;
    let history_seconds = started.elapsed().as_secs_f64();
    let ready_rss_mb = server.memory("VmRSS")?;

    let sampling = Arc::new(AtomicBool::new(true));
    let most = Arc::new(AtomicU64::new(0));
    let sampler = {
        let (sampling, most, pid) = (sampling.clone(), most.clone(), server.pid);
        tokio::spawn(async move {
            while sampling.load(Ordering::Relaxed) {
                if let Ok(kib) = status_kib(pid, "VmRSS") {
                    most.fetch_max(kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
    };
    let cpu_before = (cpu_seconds("self")?, cpu_seconds(&server.pid.to_string())?);
    let load = drive(&client, &server.base, &token, &target.partners, requests).await;
    let cpu_after = (cpu_seconds("self")?, cpu_seconds(&server.pid.to_string())?);
    sampling.store(false, Ordering::Relaxed);
    sampler.await?;
    let (samples, took) = load?;
    let memory = ServerMemory {
        ready_seconds,
        history_seconds,
        ready_rss_mb,
        serving_rss_mb: most.load(Ordering::Relaxed) as f64 / 1024.0,
        after_rss_mb: server.memory("VmRSS")?,
        peak_rss_mb: server.memory("VmHWM")?,
        server_cpu_us_per_request: (cpu_after.1 - cpu_before.1) * 1e6 / requests as f64,
        client_cpu_us_per_request: (cpu_after.0 - cpu_before.0) * 1e6 / requests as f64,
    };
    server.stop().await?;

    let mut row = Row::latencies("HTTP reads: partner profile, timeline (latest 50)", samples);
    row.clients = CLIENTS;
    row.seconds = took.as_secs_f64();
    row.per_second = super::rate(requests, took);
    Ok((row, memory))
}

type HttpClient = Client<HttpConnector, Empty<Bytes>>;

/// The load: each client in turn asks for a partner's profile or timeline.
async fn drive(
    client: &HttpClient,
    base: &str,
    token: &str,
    partners: &[String],
    requests: usize,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..CLIENTS {
        let (client, base, token) = (client.clone(), base.to_owned(), token.to_owned());
        let partners = partners.to_vec();
        let mine = requests / CLIENTS + usize::from(c < requests % CLIENTS);
        tasks.spawn(async move {
            let mut samples = Vec::with_capacity(mine);
            for i in 0..mine {
                let partner = &partners[(c * 7_919 + i) % partners.len()];
                let page = if i % 2 == 0 { "profile" } else { TIMELINE_PAGE };
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
    Ok((samples, started.elapsed()))
}

/// A child `channel-ledger serve` on a free loopback port.
struct Server {
    child: tokio::process::Child,
    pid: u32,
    base: String,
}

impl Server {
    async fn spawn(database_url: &str) -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("finding the channel-ledger binary")?;
        let mut child = tokio::process::Command::new(exe)
            .args([
                "--database-url",
                database_url,
                "serve",
                "--bind",
                "127.0.0.1:0",
            ])
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .context("starting `channel-ledger serve`")?;
        let pid = child.id().context("the server exited at once")?;
        let stdout = child.stdout.take().context("no stdout from the server")?;
        // `serve` prints the console's URL once it has caught up and listens.
        let mut lines = BufReader::new(stdout).lines();
        let line = tokio::time::timeout(READY_WITHIN, lines.next_line())
            .await
            .context("the server did not start in time")??
            .context("the server exited before it listened")?;
        let base = line
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .map(|rest| format!("http://{}", rest.trim_end_matches('/')))
            .with_context(|| format!("unexpected first line from `serve`: {line}"))?;
        Ok(Self { child, pid, base })
    }

    /// Waits until `/ready` answers with no projection lag.
    async fn wait_ready(&self, client: &HttpClient) -> anyhow::Result<()> {
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            let request = Request::get(format!("{}/ready", self.base)).body(Empty::new())?;
            if let Ok(response) = client.request(request).await {
                let status = response.status();
                let body = response.into_body().collect().await?.to_bytes();
                if status == StatusCode::OK {
                    let ready: serde_json::Value = serde_json::from_slice(&body)?;
                    if ready["projection_lag_events"].as_i64() == Some(0) {
                        return Ok(());
                    }
                }
            }
            if Instant::now() > deadline {
                bail!("the server did not catch up with the log in time");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Asks for the portfolio as of now, which waits for the program history's load.
    async fn wait_history(&self, client: &HttpClient, token: &str) -> anyhow::Result<()> {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let request = Request::get(format!("{}/api/v1/portfolio?as_of={now}", self.base))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Empty::new())?;
        let response = client.request(request).await?;
        let status = response.status();
        response.into_body().collect().await?;
        if !status.is_success() {
            bail!("the portfolio as of now answered {status}");
        }
        Ok(())
    }

    /// One `/proc/<pid>/status` figure in MiB.
    fn memory(&self, field: &str) -> anyhow::Result<f64> {
        Ok(status_kib(self.pid, field)? as f64 / 1024.0)
    }

    async fn stop(mut self) -> anyhow::Result<()> {
        self.child.kill().await?;
        Ok(())
    }
}

/// A `/proc/<pid>/status` figure (`VmRSS`, `VmHWM`) in KiB.
pub fn status_kib(pid: u32, field: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .context("reading the server's memory needs Linux's /proc")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().strip_suffix("kB"))
        .and_then(|v| v.trim().parse().ok())
        .with_context(|| format!("no {field} in /proc/{pid}/status"))
}

/// The user and system CPU seconds of process `pid` (`self` for this one), all its threads,
/// from `/proc/<pid>/stat`, whose clock ticks are Linux's fixed `USER_HZ` of 100 a second.
fn cpu_seconds(pid: &str) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .context("reading CPU time needs Linux's /proc")?;
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks = |i: usize| -> anyhow::Result<f64> {
        let field = fields
            .get(i)
            .with_context(|| format!("short /proc/{pid}/stat"))?;
        Ok(field.parse::<u64>()? as f64)
    };
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}
