//! The portfolio: a summary line per partner in scope, optionally one PAM's partners only.
//!
//! A line is built in two steps so the whole program's portfolio as of a moment can be answered
//! from stored versions (`replay::ProgramHistory`) with the very code the live view uses:
//! [`PortfolioLine::of`] takes from the model what belongs to the partner alone, and
//! [`PortfolioLine::summary`] adds what depends on the moment and on others — the PAM's name in
//! the staff directory, the last activity, and "now" for QAR due dates.

use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::{
    Classification, PartnerId, PartnerProfile, PartnerType, Tier,
};
use channel_ledger_domain::qar::QarSeries;
use channel_ledger_domain::{StaffId, Territory};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{
    active_partners, is_active, pam_tenure_name, partner_arr_won, partner_raps, staff_name,
    PersonRef,
};
use super::profile::QarStatus;
use super::Scope;
use crate::model::{PartnerEntry, ProgramModel};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerSummary {
    pub partner_id: PartnerId,
    pub name: String,
    pub partner_type: PartnerType,
    pub territory: Territory,
    pub tier: Tier,
    pub classification: Option<Classification>,
    pub pam: Option<PersonRef>,
    pub raps_active: u32,
    pub qar: QarStatus,
    pub arr_won: Money,
    /// The last decision about the partner or anything of its own.
    pub last_activity_at: Option<DateTime<Utc>>,
    pub last_activity_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Portfolio {
    /// The PAM filter applied, if any.
    pub pam: Option<StaffId>,
    /// By name, then id. Offboarded partners are left out.
    pub partners: Vec<PartnerSummary>,
}

/// What a registered partner's portfolio line holds of the partner alone, at one version.
///
/// Kept small: `replay::ProgramHistory` stores one per partner per change, and shares the
/// identity (which hardly ever changes) between versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioLine {
    pub identity: Arc<PartnerIdentity>,
    pub tier: Tier,
    pub classification: Option<Classification>,
    pub offboarded: bool,
    pub pam: Option<StaffId>,
    /// The current PAM's name as the assignment recorded it, for when the directory has none.
    pub pam_assigned_name: Option<Arc<str>>,
    pub raps_active: u32,
    pub arr_won: Money,
    pub qar: QarLine,
}

/// Who the partner is: what its portfolio line names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerIdentity {
    pub partner_id: PartnerId,
    pub name: String,
    pub partner_type: PartnerType,
    pub territory: Territory,
}

/// The QAR cadence of a partner, before "now" says whether it is overdue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QarLine {
    /// The QAR due now: its number, due date, and whether it was opened.
    pub current: Option<(u32, DateTime<Utc>, bool)>,
    pub completed: u32,
    pub last_completed_at: Option<DateTime<Utc>>,
}

impl QarLine {
    pub fn of(series: Option<&QarSeries>) -> Self {
        let Some(s) = series else {
            return Self::default();
        };
        Self {
            current: s
                .current
                .as_ref()
                .map(|q| (q.number, q.due_at, q.opened_at.is_some())),
            completed: count(s.history.len()),
            last_completed_at: s.history.last().map(|q| q.completed_at),
        }
    }
}

impl PortfolioLine {
    /// The line of partner `id` in `model`; `None` until it is registered. Whatever is equal to
    /// `previous`'s (the partner's line before) is shared with it rather than copied.
    pub fn of(
        model: &ProgramModel,
        id: &str,
        entry: &PartnerEntry,
        previous: Option<&PortfolioLine>,
    ) -> Option<Self> {
        let p = entry.partner.profile.as_ref()?;
        let identity = match previous {
            Some(before) if before.identity.is(p) => Arc::clone(&before.identity),
            _ => Arc::new(PartnerIdentity {
                partner_id: p.partner_id,
                name: p.name.to_string(),
                partner_type: p.partner_type,
                territory: p.territory.clone(),
            }),
        };
        let assigned = p.pam.and_then(|pam| pam_tenure_name(entry, pam));
        let pam_assigned_name = match (previous, assigned) {
            (Some(before), Some(name))
                if before.pam_assigned_name.as_deref() == Some(name.as_str()) =>
            {
                before.pam_assigned_name.clone()
            }
            (_, name) => name.map(Arc::from),
        };
        Some(Self {
            identity,
            tier: p.tier,
            classification: p.classification,
            offboarded: p.offboarded,
            pam: p.pam,
            pam_assigned_name,
            raps_active: count(partner_raps(model, entry).filter(|r| is_active(r)).count()),
            arr_won: partner_arr_won(model, entry),
            qar: QarLine::of(model.qars.get(id)),
        })
    }

    /// Shown to `scope`, with `pam` as the PAM filter: in scope, still in the program, that PAM's.
    pub fn shown(&self, scope: &Scope, pam: Option<StaffId>) -> bool {
        scope.sees_territory(&self.identity.territory)
            && !self.offboarded
            && (pam.is_none() || self.pam == pam)
    }

    /// The summary at `now`, naming the PAM as the directory does (`directory_name`) or as the
    /// assignment did; `last_activity` is when and by whom the partner was last touched.
    pub fn summary(
        &self,
        directory_name: Option<String>,
        last_activity: Option<(DateTime<Utc>, &str)>,
        now: DateTime<Utc>,
    ) -> PartnerSummary {
        let who = &self.identity;
        PartnerSummary {
            partner_id: who.partner_id,
            name: who.name.clone(),
            partner_type: who.partner_type,
            territory: who.territory.clone(),
            tier: self.tier,
            classification: self.classification,
            pam: self.pam.map(|pam| PersonRef {
                staff_id: pam,
                name: directory_name
                    .or_else(|| self.pam_assigned_name.as_deref().map(str::to_owned))
                    .unwrap_or_else(|| pam.to_string()),
            }),
            raps_active: self.raps_active,
            qar: QarStatus::at(&self.qar, now),
            arr_won: self.arr_won,
            last_activity_at: last_activity.map(|(at, _)| at),
            last_activity_by: last_activity.map(|(_, by)| by.to_owned()),
        }
    }
}

impl PartnerIdentity {
    fn is(&self, p: &PartnerProfile) -> bool {
        self.partner_id == p.partner_id
            && self.name == p.name.as_str()
            && self.partner_type == p.partner_type
            && self.territory == p.territory
    }
}

impl Portfolio {
    /// Sorted into the portfolio's order: by name, then id. A stable sort, because it finishes
    /// in one pass over lines that come almost in order (the program history keeps them so).
    pub fn sorted(pam: Option<StaffId>, mut partners: Vec<PartnerSummary>) -> Self {
        partners.sort_by(|a, b| (&a.name, a.partner_id).cmp(&(&b.name, b.partner_id)));
        Self { pam, partners }
    }
}

/// Every partner in scope still in the program, or only `pam`'s when given.
pub fn portfolio(
    model: &ProgramModel,
    scope: &Scope,
    now: DateTime<Utc>,
    pam: Option<StaffId>,
) -> Portfolio {
    let partners = active_partners(model, scope)
        .filter_map(|(id, entry, _)| {
            let line = PortfolioLine::of(model, id, entry, None)?;
            line.shown(scope, pam).then(|| {
                let name = line.pam.and_then(|p| staff_name(model, p));
                let last = entry.last_activity.as_ref();
                line.summary(
                    name,
                    last.map(|t| (t.effective_at, t.actor_name.as_str())),
                    now,
                )
            })
        })
        .collect();
    Portfolio::sorted(pam, partners)
}

pub(super) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
