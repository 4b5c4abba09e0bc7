//! The benchmark's output: a table for people, JSON for tools.

use std::io::Write;
use std::time::Duration;

use channel_ledger_store::Backend;
use serde::Serialize;

use super::http::ServerMemory;
use super::log::Mix;

/// The reference measure, and the one compared with it.
pub const RAW: &str = "raw single-row INSERT";
pub const COMMAND: &str = "command (load, decide, append)";

#[derive(Debug, Serialize)]
pub struct Row {
    pub measure: String,
    pub clients: usize,
    pub operations: usize,
    pub seconds: f64,
    pub per_second: f64,
    /// Latency percentiles in milliseconds, for measures timed one operation at a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p50_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p95_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p99_ms: Option<f64>,
}

impl Row {
    pub fn new(
        measure: impl Into<String>,
        clients: usize,
        operations: usize,
        took: Duration,
    ) -> Self {
        Self {
            measure: measure.into(),
            clients,
            operations,
            seconds: took.as_secs_f64(),
            per_second: super::rate(operations, took),
            p50_ms: None,
            p95_ms: None,
            p99_ms: None,
        }
    }

    /// One client's operations timed one by one: the total and its percentiles.
    pub fn latencies(measure: impl Into<String>, mut samples: Vec<Duration>) -> Self {
        samples.sort();
        let total = samples.iter().sum();
        let ms = |p: f64| {
            let rank = (samples.len() as f64 * p).ceil() as usize;
            samples
                .get(rank.clamp(1, samples.len().max(1)) - 1)
                .map(|d| d.as_secs_f64() * 1e3)
        };
        Self {
            p50_ms: ms(0.50),
            p95_ms: ms(0.95),
            // With fewer than 100 samples the 99th percentile is just the slowest one.
            p99_ms: ms(0.99).filter(|_| samples.len() >= 100),
            ..Self::new(measure, 1, samples.len(), total)
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub backend: &'static str,
    pub rows: Vec<Row>,
    /// Commands/s divided by raw inserts/s at the same client count (design.md §6 wants ≥ 0.5 at 8).
    pub command_to_raw_ratio: Vec<(usize, f64)>,
    /// The bench process's peak resident set (Linux's VmHWM): generating the log, the rebuild,
    /// the "as of" replays and the HTTP clients; `None` where the kernel does not say.
    pub peak_resident_mb: Option<f64>,
    /// The served process's memory (design.md §6: ≤ 200 MB with 1,000,000 events in the log).
    pub server: Option<ServerMemory>,
    /// What the generated program log holds.
    pub log: Option<Mix>,
}

impl Report {
    pub fn new(backend: Backend) -> Self {
        Self {
            backend: backend.as_str(),
            rows: Vec::new(),
            command_to_raw_ratio: Vec::new(),
            peak_resident_mb: None,
            server: None,
            log: None,
        }
    }

    pub fn push(&mut self, row: Row) {
        if let Some(raw) = self
            .rows
            .iter()
            .find(|r| r.clients == row.clients && r.measure == RAW && row.measure == COMMAND)
        {
            self.command_to_raw_ratio
                .push((row.clients, row.per_second / raw.per_second));
        }
        self.rows.push(row);
    }

    pub fn extend(&mut self, rows: impl IntoIterator<Item = Row>) {
        for row in rows {
            self.push(row);
        }
    }

    pub fn print(mut self, json: bool) -> anyhow::Result<()> {
        self.peak_resident_mb = peak_resident_mb();
        let mut out = std::io::stdout().lock();
        if json {
            serde_json::to_writer_pretty(&mut out, &self)?;
            writeln!(out)?;
            return Ok(());
        }
        writeln!(out, "backend: {}", self.backend)?;
        writeln!(
            out,
            "{:<40} {:>7} {:>10} {:>9} {:>12} {:>9} {:>9} {:>9}",
            "measure",
            "clients",
            "operations",
            "seconds",
            "per second",
            "p50 ms",
            "p95 ms",
            "p99 ms"
        )?;
        let ms = |v: Option<f64>| v.map_or_else(|| "-".to_owned(), |v| format!("{v:.3}"));
        for r in &self.rows {
            writeln!(
                out,
                "{:<40} {:>7} {:>10} {:>9.2} {:>12.0} {:>9} {:>9} {:>9}",
                r.measure,
                r.clients,
                r.operations,
                r.seconds,
                r.per_second,
                ms(r.p50_ms),
                ms(r.p95_ms),
                ms(r.p99_ms)
            )?;
        }
        for (clients, ratio) in &self.command_to_raw_ratio {
            writeln!(
                out,
                "commands / raw inserts at {clients} clients: {:.0}%",
                ratio * 100.0
            )?;
        }
        if let Some(s) = &self.server {
            writeln!(
                out,
                "server (`serve` child): ready after {:.1} s, program history loaded after {:.1} s; \
                 resident {:.0} MiB then, {:.0} MiB at most while serving, {:.0} MiB after; \
                 peak {:.0} MiB",
                s.ready_seconds,
                s.history_seconds,
                s.ready_rss_mb,
                s.serving_rss_mb,
                s.after_rss_mb,
                s.peak_rss_mb
            )?;
            writeln!(
                out,
                "CPU per HTTP read: server {:.0} µs, load clients {:.0} µs",
                s.server_cpu_us_per_request, s.client_cpu_us_per_request
            )?;
        }
        if let Some(mb) = self.peak_resident_mb {
            writeln!(out, "bench process peak resident memory: {mb:.0} MiB")?;
        }
        if let Some(mix) = &self.log {
            writeln!(
                out,
                "log: {} events, {} partners, {} staff in {} territories, {} late corrections \
                 ({:.2}%), effective {} to {}",
                mix.events,
                mix.partners,
                mix.staff,
                mix.territories,
                mix.late_corrections,
                100.0 * mix.late_corrections as f64 / mix.events.max(1) as f64,
                mix.effective_from.date_naive(),
                mix.effective_to.date_naive(),
            )?;
            let kinds: Vec<String> = mix
                .by_event
                .iter()
                .map(|(kind, n)| format!("{kind} {n}"))
                .collect();
            writeln!(out, "log mix: {}", kinds.join(", "))?;
        }
        Ok(())
    }
}

/// The peak resident set of this process in MiB, from `/proc/self/status` (Linux).
fn peak_resident_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}
