//! The program model: every aggregate's state, folded from the global log with the domain's own
//! `apply`, plus the few facts the views need that no aggregate keeps (when a partner was
//! registered, who its PAMs were and from when, who last touched what).
//!
//! Maps are keyed by stream id and ordered (`BTreeMap`), so a model serializes to the same bytes
//! however it was built: folding the log once, in batches, or after a restart from a snapshot.

mod apply;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use channel_ledger_domain::cohort::CohortStrategy;
use channel_ledger_domain::mdf::{FundRequest, ProgramBudget};
use channel_ledger_domain::partner::Partner;
use channel_ledger_domain::qar::QarSeries;
use channel_ledger_domain::rap::Rap;
use channel_ledger_domain::staff::Staff;
use channel_ledger_domain::StaffId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::event::LedgerEvent;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgramModel {
    /// The last position folded in; 0 for an empty log.
    pub position: i64,
    pub staff: BTreeMap<String, StaffEntry>,
    pub partners: BTreeMap<String, PartnerEntry>,
    pub raps: BTreeMap<String, Rap>,
    /// A partner's QAR series, keyed by partner id.
    pub qars: BTreeMap<String, QarSeries>,
    /// Keyed by classification wire name.
    pub cohorts: BTreeMap<String, CohortStrategy>,
    /// Keyed by fiscal quarter label, "FY26 Q2".
    pub budgets: BTreeMap<String, ProgramBudget>,
    pub fund_requests: BTreeMap<String, FundRequest>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StaffEntry {
    pub staff: Staff,
    pub joined_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PartnerEntry {
    pub partner: Partner,
    pub registered_at: Option<DateTime<Utc>>,
    /// Every PAM the partner had, in order, from when (effective time).
    pub pam_history: Vec<PamTenure>,
    /// The partner's RAPs and fund requests, by stream id.
    pub raps: BTreeSet<String>,
    pub fund_requests: BTreeSet<String>,
    /// The last decision about the partner or anything of its own (RAP, QAR, MDF).
    pub last_activity: Option<Touch>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PamTenure {
    pub pam_id: StaffId,
    pub pam_name: String,
    pub from: DateTime<Utc>,
}

/// Who last did something, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touch {
    pub position: i64,
    pub effective_at: DateTime<Utc>,
    pub actor_id: StaffId,
    pub actor_name: String,
}

impl ProgramModel {
    /// Folds one event in. Events must come in global order: each exactly once.
    pub fn apply(&mut self, e: &LedgerEvent) {
        apply::apply(self, apply::Folded::cloned(e));
        self.position = e.position;
    }

    /// [`ProgramModel::apply`] of an event the caller is done with: its payload and ids move
    /// into the model instead of being cloned, which is most of what a fold over the whole log
    /// would otherwise copy.
    pub fn apply_owned(&mut self, e: LedgerEvent) {
        let position = e.position;
        apply::apply(self, apply::Folded::taken(e));
        self.position = position;
    }

    /// The model of `events` folded from nothing.
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a LedgerEvent>) -> Self {
        let mut model = Self::default();
        for e in events {
            model.apply(e);
        }
        model
    }

    /// The partner a stream belongs to, for streams that belong to one.
    pub fn partner_of(&self, e: &LedgerEvent) -> Option<String> {
        apply::partner_of(self, e)
    }
}
