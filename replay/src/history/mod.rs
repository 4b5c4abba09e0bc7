//! The whole program's portfolio as of any moment, on either axis, without refolding the log:
//! a bitemporal read model of one line per partner per version (ADR 0005).
//!
//! [`ProgramHistory`] folds the log once, in order, like the projector. After every event that
//! belongs to a partner it stores the partner's [`PortfolioLine`] with the event's position,
//! recorded time, effective time and author. As of T is then, per partner, a binary search:
//!
//! - **recorded**: the last version recorded at or before T. Where recorded times go backwards
//!   within a partner (PostgreSQL stamps them at statement start and orders the log by commit)
//!   and T falls among them, that partner alone is folded from its streams.
//! - **effective**: the last version in (effective time, position) order at or before T. While a
//!   partner's events arrive in effective order, log order is that order. Once one arrives
//!   back-dated, [`ProgramHistory::catch_up`] refolds that partner's own streams in effective
//!   order (and again after each later event of it), so queries never fold.
//!
//! Staff events are kept decoded (a few per person): PAM names are resolved as of T from them.
//! Lines an event leaves unchanged are shared, and so are partners' identities between lines.

mod partners;
mod portfolio;
mod versions;

use std::collections::HashSet;
use std::sync::Arc;

use channel_ledger_projections::{DomainEvent, LedgerEvent, ProgramModel};
use channel_ledger_store::Ledger;

use crate::partner::{own_streams, read_streams};
use crate::ReplayError;
use partners::Partners;
use versions::Version;

/// How many events one read of the global log brings back.
const PAGE: u32 = 10_000;

/// Every partner's portfolio line, version after version; see the module docs.
#[derive(Debug, Default)]
pub struct ProgramHistory {
    /// The fold of the log up to its position, in log order.
    model: ProgramModel,
    partners: Partners,
    /// Every staff event, in log order.
    staff: Vec<LedgerEvent>,
    /// Authors' names, stored once.
    actors: HashSet<Arc<str>>,
    /// Partners whose effective versions need refolding.
    stale: HashSet<String>,
}

/// What a [`ProgramHistory`] holds; see [`ProgramHistory::size`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistorySize {
    /// Versions on both axes (the effective axis stores its own only for back-dated partners).
    pub versions: usize,
    /// Distinct lines: versions whose event changed nothing share their predecessor's.
    pub lines: usize,
    pub partners: usize,
}

impl ProgramHistory {
    /// The last log position folded in; 0 before any.
    pub fn position(&self) -> i64 {
        self.model.position
    }

    /// What is stored: versions, distinct lines among them, and partners.
    pub fn size(&self) -> HistorySize {
        let mut lines = HashSet::new();
        let mut versions = 0;
        for (_, v) in self.partners.iter() {
            let effective = v.by_effective.iter().flatten();
            for version in v.by_position.iter().chain(effective) {
                versions += 1;
                lines.extend(version.line.as_ref().map(Arc::as_ptr));
            }
        }
        HistorySize {
            versions,
            lines: lines.len(),
            partners: self.partners.len(),
        }
    }

    /// A history of the whole log as it stands.
    pub async fn load(ledger: &Ledger) -> Result<Self, ReplayError> {
        let mut history = Self::default();
        history.catch_up(ledger).await?;
        Ok(history)
    }

    /// Folds every event appended since [`ProgramHistory::position`], then refolds the effective
    /// axis of each partner that needs it. Returns how many events were folded.
    #[tracing::instrument(name = "history.catch_up", skip_all, fields(log.from = self.position(), log.events, history.refolded), err)]
    pub async fn catch_up(&mut self, ledger: &Ledger) -> Result<usize, ReplayError> {
        let mut folded = 0;
        loop {
            let page = ledger.read_global_raw(self.position(), PAGE).await?;
            for record in &page {
                self.apply(&LedgerEvent::try_from(record)?);
            }
            folded += page.len();
            if page.len() < PAGE as usize {
                break;
            }
        }
        let refolded = self.refold_stale(ledger).await?;
        self.partners.sort();
        let span = tracing::Span::current();
        span.record("log.events", folded);
        span.record("history.refolded", refolded);
        Ok(folded)
    }

    /// Folds the next event of the log.
    fn apply(&mut self, e: &LedgerEvent) {
        self.model.apply(e);
        if matches!(e.event, DomainEvent::Staff(_)) {
            self.staff.push(e.clone());
        }
        let Some(id) = self.model.partner_of(e) else {
            return;
        };
        let actor = self.actor(&e.meta.actor_name);
        let before = self
            .partners
            .get_mut(&id)
            .and_then(|v| v.by_position.last().cloned());
        let line = Version::line_after(before.as_ref(), &self.model, &id);
        if self
            .partners
            .push(&id, Version::new(e, actor, line))
            .effective_stale
        {
            self.stale.insert(id);
        }
    }

    fn actor(&mut self, name: &str) -> Arc<str> {
        if let Some(shared) = self.actors.get(name) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(name);
        self.actors.insert(Arc::clone(&shared));
        shared
    }

    /// An author's stored name; every author was stored when their event was folded.
    fn known_actor(&self, name: &str) -> Arc<str> {
        self.actors
            .get(name)
            .cloned()
            .unwrap_or_else(|| Arc::from(name))
    }

    /// Refolds the effective axis of every stale partner from its own streams.
    async fn refold_stale(&mut self, ledger: &Ledger) -> Result<usize, ReplayError> {
        let stale: Vec<String> = self.stale.drain().collect();
        for id in &stale {
            let list = self
                .refold(ledger, id, |mut events| {
                    events.sort_by_key(|e| (e.effective_at, e.position));
                    events
                })
                .await?;
            let versions = self
                .partners
                .get_mut(id)
                .expect("stale partners have versions");
            versions.by_effective = Some(list);
            versions.effective_stale = false;
        }
        Ok(stale.len())
    }

    /// The partner's versions, folded from its own streams (up to this history's position) in
    /// the order `order` leaves them, with exactly the events `order` keeps.
    async fn refold(
        &self,
        ledger: &Ledger,
        id: &str,
        order: impl FnOnce(Vec<LedgerEvent>) -> Vec<LedgerEvent>,
    ) -> Result<Vec<Version>, ReplayError> {
        let mut events = read_streams(ledger, own_streams(&self.model, id)).await?;
        events.retain(|e| e.position <= self.position());
        let mut model = ProgramModel::default();
        let mut list: Vec<Version> = Vec::new();
        for e in order(events) {
            model.apply(&e);
            if model.partner_of(&e).as_deref() != Some(id) {
                continue;
            }
            let line = Version::line_after(list.last(), &model, id);
            list.push(Version::new(&e, self.known_actor(&e.meta.actor_name), line));
        }
        Ok(list)
    }
}
