//! Program intelligence: the classification mix, Longtail Diamond candidates and PAM capacity
//! (rules on [`super`]).

use std::collections::BTreeMap;

use channel_ledger_domain::partner::{Classification, PartnerId};
use channel_ledger_domain::rap::NamedAccountStatus;
use channel_ledger_domain::{StaffId, Territory};
use serde::{Deserialize, Serialize};

use super::common::{active_partners, current_pam, is_active, partner_raps, PersonRef};
use super::portfolio::count;
use super::Scope;
use crate::model::ProgramModel;

/// Partners one PAM can manage well.
pub const PAM_CAPACITY: u32 = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassificationCount {
    /// `None` for partners not classified yet.
    pub classification: Option<Classification>,
    /// "High-Potential", "Unclassified".
    pub label: String,
    pub partners: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiamondCandidate {
    pub partner_id: PartnerId,
    pub name: String,
    pub territory: Territory,
    pub pam: Option<PersonRef>,
    pub active_raps: u32,
    pub named_accounts_won: u32,
    /// "an active RAP", "2 named accounts won", or both.
    pub evidence: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PamCapacity {
    pub pam_id: StaffId,
    pub pam_name: String,
    pub partners: u32,
    pub capacity: u32,
    /// Partners ÷ capacity in basis points: 11,000 is 110 %.
    pub load_bps: u32,
    pub over_capacity: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgramIntelligence {
    /// Every classification in the program's order, then Unclassified; zero counts included.
    pub classification_mix: Vec<ClassificationCount>,
    /// By name, then id.
    pub longtail_diamond_candidates: Vec<DiamondCandidate>,
    /// By PAM name, then id; only PAMs with partners in scope.
    pub pam_capacity: Vec<PamCapacity>,
}

pub fn program_intelligence(model: &ProgramModel, scope: &Scope) -> ProgramIntelligence {
    let mut mix: BTreeMap<Option<Classification>, u32> = BTreeMap::new();
    let mut candidates = Vec::new();
    let mut load: BTreeMap<StaffId, (String, u32)> = BTreeMap::new();
    for (_, entry, p) in active_partners(model, scope) {
        *mix.entry(p.classification).or_default() += 1;
        if let Some(pam) = current_pam(model, entry) {
            load.entry(pam.staff_id).or_insert((pam.name, 0)).1 += 1;
        }
        if p.classification != Some(Classification::Longtail) {
            continue;
        }
        let raps: Vec<_> = partner_raps(model, entry).collect();
        let active_raps = count(raps.iter().filter(|r| is_active(r)).count());
        let won = count(
            raps.iter()
                .flat_map(|r| &r.accounts)
                .filter(|a| a.status == NamedAccountStatus::Won)
                .count(),
        );
        let mut evidence = Vec::new();
        if active_raps > 0 {
            evidence.push(plural(active_raps, "an active RAP", "active RAPs"));
        }
        if won > 0 {
            evidence.push(plural(won, "a named account won", "named accounts won"));
        }
        if !evidence.is_empty() {
            candidates.push(DiamondCandidate {
                partner_id: p.partner_id,
                name: p.name.to_string(),
                territory: p.territory.clone(),
                pam: current_pam(model, entry),
                active_raps,
                named_accounts_won: won,
                evidence: evidence.join(" and "),
            });
        }
    }
    candidates.sort_by(|a, b| (&a.name, a.partner_id).cmp(&(&b.name, b.partner_id)));
    let classification_mix = Classification::ALL
        .iter()
        .map(|c| Some(*c))
        .chain([None])
        .map(|c| ClassificationCount {
            classification: c,
            label: c.map_or("Unclassified", Classification::label).to_owned(),
            partners: mix.get(&c).copied().unwrap_or(0),
        })
        .collect();
    let mut pam_capacity: Vec<PamCapacity> = load
        .into_iter()
        .map(|(pam_id, (pam_name, partners))| PamCapacity {
            pam_id,
            pam_name,
            partners,
            capacity: PAM_CAPACITY,
            load_bps: partners.saturating_mul(10_000) / PAM_CAPACITY,
            over_capacity: partners > PAM_CAPACITY,
        })
        .collect();
    pam_capacity.sort_by(|a, b| (&a.pam_name, a.pam_id).cmp(&(&b.pam_name, b.pam_id)));
    ProgramIntelligence {
        classification_mix,
        longtail_diamond_candidates: candidates,
        pam_capacity,
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        one.to_owned()
    } else {
        format!("{n} {many}")
    }
}
