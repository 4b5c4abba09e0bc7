//! One partner's portfolio line, version after version: after every event of its own, with the
//! event's times and author, in log order — and, once events arrived out of effective order, a
//! second list refolded in effective order.

use std::sync::Arc;

use channel_ledger_projections::views::PortfolioLine;
use channel_ledger_projections::{LedgerEvent, ProgramModel};
use chrono::{DateTime, Utc};

use crate::Axis;

/// The partner's line right after one of its events was folded.
#[derive(Debug, Clone)]
pub(super) struct Version {
    pub recorded_at: DateTime<Utc>,
    pub effective_at: DateTime<Utc>,
    /// Who decided the event: the portfolio's "last activity by".
    pub actor: Arc<str>,
    /// `None` before the partner is registered. Shared with the previous version when the event
    /// left the line as it was (most events change only the last activity).
    pub line: Option<Arc<PortfolioLine>>,
}

impl Version {
    pub fn new(e: &LedgerEvent, actor: Arc<str>, line: Option<Arc<PortfolioLine>>) -> Self {
        Self {
            recorded_at: e.recorded_at,
            effective_at: e.effective_at,
            actor,
            line,
        }
    }

    /// The line of partner `id` in `model` after this version's event, shared with the previous
    /// version's (`before`) when the event left it unchanged, as most events do.
    pub fn line_after(
        before: Option<&Version>,
        model: &ProgramModel,
        id: &str,
    ) -> Option<Arc<PortfolioLine>> {
        let previous = before.and_then(|v| v.line.as_deref());
        let line = PortfolioLine::of(model, id, model.partners.get(id)?, previous)?;
        match before.and_then(|v| v.line.as_ref()) {
            Some(shared) if **shared == line => Some(Arc::clone(shared)),
            _ => Some(Arc::new(line)),
        }
    }
}

/// What the versions say about the partner as of a moment.
#[derive(Debug)]
pub(super) enum Found<'a> {
    /// The version in force (none: nothing of the partner counts yet).
    At(Option<&'a Version>),
    /// Recorded times went backwards in this partner's history around the moment, so the events
    /// that count are not a prefix of the log: the caller folds them from the streams.
    Refold,
}

#[derive(Debug, Default)]
pub(super) struct Versions {
    /// In log order: the recorded axis, and the effective axis while `by_effective` is `None`.
    pub by_position: Vec<Version>,
    /// In (effective time, position) order, refolded from the streams; `None` while every event
    /// arrived in effective order, when `by_position` is that order too.
    pub by_effective: Option<Vec<Version>>,
    /// The effective axis needs refolding: an event arrived since `by_effective` was built, or
    /// one arrived back-dated.
    pub effective_stale: bool,
    /// Some event was recorded earlier than one before it in the log (PostgreSQL orders the log
    /// by commit, stamps recorded time at statement start).
    pub recorded_out_of_order: bool,
}

impl Versions {
    /// Appends the version of the next event in log order. While no event arrived back-dated,
    /// the last version is the latest in effective time too.
    pub fn push(&mut self, version: Version) {
        if let Some(last) = self.by_position.last() {
            self.effective_stale |=
                self.by_effective.is_some() || version.effective_at < last.effective_at;
            self.recorded_out_of_order |= version.recorded_at < last.recorded_at;
        }
        self.by_position.push(version);
    }

    /// The version in force at `t` on `axis`. The effective axis must not be stale.
    pub fn at(&self, axis: Axis, t: DateTime<Utc>) -> Found<'_> {
        match axis {
            Axis::Effective => {
                debug_assert!(!self.effective_stale, "refold the effective axis first");
                let list = self.by_effective.as_ref().unwrap_or(&self.by_position);
                let n = list.partition_point(|v| v.effective_at <= t);
                Found::At(n.checked_sub(1).map(|i| &list[i]))
            }
            Axis::Recorded if !self.recorded_out_of_order => {
                let n = self.by_position.partition_point(|v| v.recorded_at <= t);
                Found::At(n.checked_sub(1).map(|i| &self.by_position[i]))
            }
            Axis::Recorded => {
                let counts = |v: &Version| v.recorded_at <= t;
                let n = self.by_position.iter().take_while(|v| counts(v)).count();
                if self.by_position[n..].iter().any(counts) {
                    Found::Refold
                } else {
                    Found::At(n.checked_sub(1).map(|i| &self.by_position[i]))
                }
            }
        }
    }
}
