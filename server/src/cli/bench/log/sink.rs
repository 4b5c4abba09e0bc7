//! Where generated events go: batches, in the order they were decided, to the one appender
//! that writes them (so the log's global order is the program's order), and the mix they make.

use std::collections::BTreeMap;

use anyhow::bail;
use chrono::{DateTime, Utc};
use cqrs_es::persist::SerializedEvent;
use serde::Serialize;
use tokio::sync::mpsc;

/// Events per append: one transaction each.
pub(super) const BATCH: usize = 500;

/// What a generated log holds, by event kind.
#[derive(Debug, Clone, Serialize)]
pub struct Mix {
    pub events: usize,
    pub partners: usize,
    pub staff: usize,
    pub territories: usize,
    /// Events whose effective time is earlier than an event already recorded for the same
    /// partner (in any of its streams): late corrections.
    pub late_corrections: usize,
    /// Events per aggregate type, e.g. `Rap`.
    pub by_aggregate: BTreeMap<String, usize>,
    /// Events per event type, e.g. `RapActivated`.
    pub by_event: BTreeMap<String, usize>,
    pub effective_from: DateTime<Utc>,
    pub effective_to: DateTime<Utc>,
}

impl Mix {
    fn new() -> Self {
        Self {
            events: 0,
            partners: 0,
            staff: 0,
            territories: 0,
            late_corrections: 0,
            by_aggregate: BTreeMap::new(),
            by_event: BTreeMap::new(),
            effective_from: DateTime::<Utc>::MAX_UTC,
            effective_to: DateTime::<Utc>::MIN_UTC,
        }
    }
}

pub(super) struct Sink {
    now: DateTime<Utc>,
    batch: Vec<SerializedEvent>,
    out: Option<mpsc::Sender<Vec<SerializedEvent>>>,
    /// Per partner, the latest effective time recorded so far.
    latest: Vec<DateTime<Utc>>,
    pub mix: Mix,
}

impl Sink {
    /// A sink sending full batches to `out` (a closed channel stops the program with an error),
    /// or keeping every event until [`Sink::take`] without one.
    pub fn new(now: DateTime<Utc>, out: Option<mpsc::Sender<Vec<SerializedEvent>>>) -> Self {
        Self {
            now,
            batch: Vec::with_capacity(BATCH),
            out,
            latest: Vec::new(),
            mix: Mix::new(),
        }
    }

    /// Sends what is pending and lets go of the channel: the appender sees the end of it.
    pub fn close(&mut self) -> anyhow::Result<()> {
        self.flush()?;
        self.out = None;
        Ok(())
    }

    /// The events kept by a sink without a channel.
    pub fn take(&mut self) -> Vec<SerializedEvent> {
        std::mem::take(&mut self.batch)
    }

    /// "Now" for effective-time validation: every generated time is before it.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn events(&self) -> usize {
        self.mix.events
    }

    pub fn push(
        &mut self,
        event: SerializedEvent,
        effective_at: DateTime<Utc>,
        partner: Option<usize>,
    ) -> anyhow::Result<()> {
        let mix = &mut self.mix;
        mix.events += 1;
        mix.effective_from = mix.effective_from.min(effective_at);
        mix.effective_to = mix.effective_to.max(effective_at);
        *mix.by_aggregate
            .entry(event.aggregate_type.clone())
            .or_default() += 1;
        *mix.by_event.entry(event.event_type.clone()).or_default() += 1;
        if let Some(p) = partner {
            if self.latest.len() <= p {
                self.latest.resize(p + 1, DateTime::<Utc>::MIN_UTC);
            }
            if effective_at < self.latest[p] {
                mix.late_corrections += 1;
            }
            self.latest[p] = self.latest[p].max(effective_at);
        }
        self.batch.push(event);
        if self.batch.len() >= BATCH && self.out.is_some() {
            self.flush()?;
        }
        Ok(())
    }

    /// Sends what is pending.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let Some(out) = &self.out else {
            return Ok(());
        };
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        if out.blocking_send(batch).is_err() {
            bail!("the appender stopped");
        }
        Ok(())
    }
}
