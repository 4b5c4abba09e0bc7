//! The benchmark's output: a table for people, JSON for tools.

use std::io::Write;
use std::time::Duration;

use channel_ledger_store::Backend;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Row {
    pub measure: &'static str,
    pub clients: usize,
    pub operations: usize,
    pub seconds: f64,
    pub per_second: f64,
}

impl Row {
    pub fn new(measure: &'static str, clients: usize, operations: usize, took: Duration) -> Self {
        Self {
            measure,
            clients,
            operations,
            seconds: took.as_secs_f64(),
            per_second: super::rate(operations, took),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub backend: &'static str,
    pub rows: Vec<Row>,
    /// Commands/s divided by raw inserts/s at the same client count (design.md §6 wants ≥ 0.5 at 8).
    pub command_to_raw_ratio: Vec<(usize, f64)>,
}

impl Report {
    pub fn new(backend: Backend) -> Self {
        Self {
            backend: backend.as_str(),
            rows: Vec::new(),
            command_to_raw_ratio: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Row) {
        if let Some(raw) = self
            .rows
            .iter()
            .find(|r| r.clients == row.clients && r.measure != row.measure)
        {
            self.command_to_raw_ratio
                .push((row.clients, row.per_second / raw.per_second));
        }
        self.rows.push(row);
    }

    pub fn print(&self, json: bool) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        if json {
            serde_json::to_writer_pretty(&mut out, self)?;
            writeln!(out)?;
            return Ok(());
        }
        writeln!(out, "backend: {}", self.backend)?;
        writeln!(
            out,
            "{:<32} {:>7} {:>10} {:>9} {:>12}",
            "measure", "clients", "operations", "seconds", "per second"
        )?;
        for r in &self.rows {
            writeln!(
                out,
                "{:<32} {:>7} {:>10} {:>9.2} {:>12.0}",
                r.measure, r.clients, r.operations, r.seconds, r.per_second
            )?;
        }
        for (clients, ratio) in &self.command_to_raw_ratio {
            writeln!(
                out,
                "commands / raw inserts at {clients} clients: {:.0}%",
                ratio * 100.0
            )?;
        }
        Ok(())
    }
}
