//! Temporal snapshots of one partner: the answer to "as of T" without refolding its history.
//!
//! The partner's events are kept decoded, once per axis in fold order, with a snapshot of the
//! folded model every `every` events. As of T is then a binary search for how many events count,
//! a clone of the snapshot at or below that count, and at most `every - 1` events applied.
//!
//! On the effective axis the events that count are a prefix of the (effective time, position)
//! order. On the recorded axis they are a prefix of position order only if recorded times never
//! go backwards; on PostgreSQL positions follow commit settle order, so a few events may carry a
//! recorded time slightly earlier than their predecessor's. The prefix is therefore found with the
//! running maximum of recorded times, and the stragglers after it with the running minimum from
//! the end, so the answer is exact either way.

use std::sync::Arc;

use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};

use crate::partner::{partner_events, PartnerEvents, PartnerHistory};
use crate::{Axis, ReplayError};

/// One axis's fold order and its snapshots.
#[derive(Debug, Clone)]
struct Line {
    axis: Axis,
    /// The events in fold order, each flagged when it is the partner's own (for the timeline).
    events: Vec<(bool, Arc<LedgerEvent>)>,
    /// Running maximum of the axis time; the prefix that counts is where it is `<= t`.
    high: Vec<DateTime<Utc>>,
    /// Running minimum of the axis time from the end: past `i`, nothing counts once it is `> t`.
    low_from: Vec<DateTime<Utc>>,
    /// `snapshots[k]` is the model of the first `k * every` events.
    snapshots: Vec<ProgramModel>,
}

/// A partner's history with snapshots on both axes, for answers in microseconds.
///
/// Holds the log as it was when built: rebuild (or build anew) once the partner's streams move
/// past [`PartnerSnapshots::position`].
#[derive(Debug, Clone)]
pub struct PartnerSnapshots {
    partner_id: String,
    every: usize,
    position: i64,
    recorded: Line,
    effective: Line,
}

impl Line {
    fn new(axis: Axis, mut events: Vec<(bool, Arc<LedgerEvent>)>, every: usize) -> Self {
        events.sort_by_key(|(_, e)| axis.sort_key(e));
        let times: Vec<_> = events.iter().map(|(_, e)| axis.time_of(e)).collect();
        let high = times
            .iter()
            .scan(DateTime::<Utc>::MIN_UTC, |m, t| {
                *m = (*m).max(*t);
                Some(*m)
            })
            .collect();
        let mut low_from: Vec<_> = times
            .iter()
            .rev()
            .scan(DateTime::<Utc>::MAX_UTC, |m, t| {
                *m = (*m).min(*t);
                Some(*m)
            })
            .collect();
        low_from.reverse();
        let mut snapshots = vec![ProgramModel::default()];
        let mut model = ProgramModel::default();
        let mut highest = 0;
        for (i, (_, e)) in events.iter().enumerate() {
            model.apply(e);
            highest = highest.max(e.position);
            model.position = highest;
            if (i + 1) % every == 0 {
                snapshots.push(model.clone());
            }
        }
        Self {
            axis,
            events,
            high,
            low_from,
            snapshots,
        }
    }

    /// How many leading events count at `t`, and the indices of later ones that also do.
    fn counted(&self, t: DateTime<Utc>) -> (usize, Vec<usize>) {
        let prefix = self.high.partition_point(|h| *h <= t);
        let stragglers = (prefix..self.events.len())
            .take_while(|i| self.low_from[*i] <= t)
            .filter(|i| self.axis.time_of(&self.events[*i].1) <= t)
            .collect();
        (prefix, stragglers)
    }

    fn state(&self, every: usize, t: DateTime<Utc>) -> ProgramModel {
        let (prefix, stragglers) = self.counted(t);
        let k = prefix / every;
        let mut model = self.snapshots[k].clone();
        let rest = (k * every..prefix).chain(stragglers);
        for i in rest {
            let e = &self.events[i].1;
            let highest = model.position.max(e.position);
            model.apply(e);
            model.position = highest;
        }
        model
    }

    fn timeline(&self, t: DateTime<Utc>) -> impl Iterator<Item = &LedgerEvent> {
        let (prefix, stragglers) = self.counted(t);
        (0..prefix)
            .chain(stragglers)
            .map(|i| &self.events[i])
            .filter(|(own, _)| *own)
            .map(|(_, e)| e.as_ref())
    }
}

impl PartnerSnapshots {
    /// Reads the partner's streams (see [`partner_events`]) and snapshots them every `every`
    /// events on each axis.
    #[tracing::instrument(skip_all, fields(partner.id = %partner_id), err)]
    pub async fn load(
        ledger: &Ledger,
        model_now: &ProgramModel,
        partner_id: &str,
        every: usize,
    ) -> Result<Self, ReplayError> {
        let events = partner_events(ledger, model_now, partner_id).await?;
        Ok(Self::build(partner_id, events, every))
    }

    /// Snapshots already-read events every `every` (at least 1) events on each axis.
    pub fn build(partner_id: &str, events: PartnerEvents, every: usize) -> Self {
        let every = every.max(1);
        let flagged: Vec<(bool, Arc<LedgerEvent>)> = (events.own.into_iter().map(|e| (true, e)))
            .chain(events.context.into_iter().map(|e| (false, e)))
            .map(|(own, e)| (own, Arc::new(e)))
            .collect();
        let position = flagged.iter().map(|(_, e)| e.position).max().unwrap_or(0);
        Self {
            partner_id: partner_id.to_owned(),
            every,
            position,
            recorded: Line::new(Axis::Recorded, flagged.clone(), every),
            effective: Line::new(Axis::Effective, flagged, every),
        }
    }

    /// The highest log position these snapshots hold.
    pub fn position(&self) -> i64 {
        self.position
    }

    fn line(&self, axis: Axis) -> &Line {
        match axis {
            Axis::Recorded => &self.recorded,
            Axis::Effective => &self.effective,
        }
    }

    /// The partner's model as of `t` on `axis`, without the timeline.
    pub fn state_as_of(&self, axis: Axis, t: DateTime<Utc>) -> ProgramModel {
        self.line(axis).state(self.every, t)
    }

    /// The partner's own events that count as of `t` on `axis`, in fold order, borrowed.
    pub fn timeline_as_of(
        &self,
        axis: Axis,
        t: DateTime<Utc>,
    ) -> impl Iterator<Item = &LedgerEvent> {
        self.line(axis).timeline(t)
    }

    /// The partner as of `t` on `axis`, model and timeline, equal to
    /// [`partner_as_of`](crate::partner_as_of) over the same log.
    pub fn as_of(&self, axis: Axis, t: DateTime<Utc>) -> PartnerHistory {
        PartnerHistory {
            partner_id: self.partner_id.clone(),
            axis,
            as_of: t,
            model: self.state_as_of(axis, t),
            events: self.timeline_as_of(axis, t).cloned().collect(),
        }
    }
}
