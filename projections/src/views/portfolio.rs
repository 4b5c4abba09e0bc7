//! The portfolio: a summary line per partner in scope, optionally one PAM's partners only.

use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::{Classification, PartnerId, PartnerType, Tier};
use channel_ledger_domain::{StaffId, Territory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{
    active_partners, current_pam, is_active, partner_arr_won, partner_raps, PersonRef,
};
use super::profile::QarStatus;
use super::Scope;
use crate::model::ProgramModel;

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

/// Every partner in scope still in the program, or only `pam`'s when given.
pub fn portfolio(
    model: &ProgramModel,
    scope: &Scope,
    now: DateTime<Utc>,
    pam: Option<StaffId>,
) -> Portfolio {
    let mut partners: Vec<PartnerSummary> = active_partners(model, scope)
        .filter(|(_, _, p)| pam.is_none() || p.pam == pam)
        .map(|(id, entry, p)| PartnerSummary {
            partner_id: p.partner_id,
            name: p.name.to_string(),
            partner_type: p.partner_type,
            territory: p.territory.clone(),
            tier: p.tier,
            classification: p.classification,
            pam: current_pam(model, entry),
            raps_active: count(partner_raps(model, entry).filter(|r| is_active(r)).count()),
            qar: QarStatus::of(model.qars.get(id), now),
            arr_won: partner_arr_won(model, entry),
            last_activity_at: entry.last_activity.as_ref().map(|t| t.effective_at),
            last_activity_by: entry.last_activity.as_ref().map(|t| t.actor_name.clone()),
        })
        .collect();
    partners.sort_by(|a, b| (&a.name, a.partner_id).cmp(&(&b.name, b.partner_id)));
    Portfolio { pam, partners }
}

pub(super) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
