//! The manager console: a card per PAM in scope, the workflow queue and program intelligence.
//! The card figures and the On Track / Needs Attention rule are documented on [`super`].

use std::collections::BTreeMap;

use channel_ledger_domain::money::Money;
use channel_ledger_domain::staff::StaffStatus;
use channel_ledger_domain::{Role, StaffId, Territory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{active_partners, is_active, partner_raps, remaining, staff_name, sum};
use super::intelligence::{program_intelligence, ProgramIntelligence, PAM_CAPACITY};
use super::portfolio::count;
use super::queue::{workflow_queue, WorkflowQueue};
use super::Scope;
use crate::model::ProgramModel;

/// This many overdue QARs make a PAM Need Attention.
pub const NEEDS_ATTENTION_OVERDUE_QARS: u32 = 2;
/// One QAR overdue by more than this many days makes a PAM Need Attention.
pub const NEEDS_ATTENTION_DAYS_LATE: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PamStatus {
    OnTrack,
    NeedsAttention,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PamCard {
    pub pam_id: StaffId,
    pub pam_name: String,
    pub territory: Option<Territory>,
    /// False for a PAM who left but still has partners assigned.
    pub on_staff: bool,
    pub partners: u32,
    pub raps_active: u32,
    pub qars_open: u32,
    pub qars_overdue: u32,
    /// The most days any of the PAM's QARs is overdue; 0 when none is.
    pub most_days_overdue: i64,
    pub revenue_under_management: Money,
    pub capacity: u32,
    pub over_capacity: bool,
    pub status: PamStatus,
    /// Why the PAM Needs Attention; empty when On Track.
    pub attention_reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManagerConsole {
    /// By PAM name, then id.
    pub cards: Vec<PamCard>,
    pub queue: WorkflowQueue,
    pub intelligence: ProgramIntelligence,
}

pub fn manager_console(model: &ProgramModel, scope: &Scope, now: DateTime<Utc>) -> ManagerConsole {
    ManagerConsole {
        cards: pam_cards(model, scope, now),
        queue: workflow_queue(model, scope, now),
        intelligence: program_intelligence(model, scope),
    }
}

/// Active PAMs of the territories in scope, and any PAM still assigned to a partner in scope.
pub(super) fn pam_cards(model: &ProgramModel, scope: &Scope, now: DateTime<Utc>) -> Vec<PamCard> {
    let mut cards: BTreeMap<StaffId, PamCard> = BTreeMap::new();
    if !scope.reads() {
        return Vec::new();
    }
    for entry in model.staff.values() {
        let Some(p) = entry.staff.profile.as_ref() else {
            continue;
        };
        let in_scope = p
            .territory
            .as_ref()
            .is_some_and(|t| scope.sees_territory(t));
        if p.role == Role::Pam && p.status == StaffStatus::Active && in_scope {
            cards.insert(
                p.staff_id,
                card(p.staff_id, p.name.to_string(), p.territory.clone(), true),
            );
        }
    }
    for (id, entry, partner) in active_partners(model, scope) {
        let Some(pam) = partner.pam else { continue };
        let c = cards.entry(pam).or_insert_with(|| {
            let name = staff_name(model, pam).unwrap_or_else(|| pam.to_string());
            card(pam, name, Some(partner.territory.clone()), false)
        });
        c.partners += 1;
        let raps: Vec<_> = partner_raps(model, entry).collect();
        c.raps_active += count(raps.iter().filter(|r| is_active(r)).count());
        let rum = raps.iter().map(|r| {
            if is_active(r) {
                let won = r.arr_won();
                remaining(r.terms.arr_target, won)
                    .checked_add(won)
                    .unwrap_or(won)
            } else {
                r.arr_won()
            }
        });
        c.revenue_under_management = sum(std::iter::once(c.revenue_under_management).chain(rum));
        if let Some(series) = model.qars.get(id) {
            if let Some(q) = &series.current {
                c.qars_open += u32::from(q.opened_at.is_some());
                if series.is_overdue(now) {
                    c.qars_overdue += 1;
                    c.most_days_overdue = c.most_days_overdue.max((now - q.due_at).num_days());
                }
            }
        }
    }
    let mut cards: Vec<PamCard> = cards.into_values().map(judge).collect();
    cards.sort_by(|a, b| (&a.pam_name, a.pam_id).cmp(&(&b.pam_name, b.pam_id)));
    cards
}

fn card(
    pam_id: StaffId,
    pam_name: String,
    territory: Option<Territory>,
    on_staff: bool,
) -> PamCard {
    PamCard {
        pam_id,
        pam_name,
        territory,
        on_staff,
        partners: 0,
        raps_active: 0,
        qars_open: 0,
        qars_overdue: 0,
        most_days_overdue: 0,
        revenue_under_management: super::common::zero(),
        capacity: PAM_CAPACITY,
        over_capacity: false,
        status: PamStatus::OnTrack,
        attention_reasons: Vec::new(),
    }
}

/// Applies the On Track / Needs Attention rule and the capacity check.
fn judge(mut c: PamCard) -> PamCard {
    c.over_capacity = c.partners > c.capacity;
    if c.qars_overdue >= NEEDS_ATTENTION_OVERDUE_QARS {
        c.attention_reasons
            .push(format!("{} QARs overdue", c.qars_overdue));
    }
    if c.most_days_overdue > NEEDS_ATTENTION_DAYS_LATE {
        c.attention_reasons
            .push(format!("a QAR overdue by {} days", c.most_days_overdue));
    }
    if !c.attention_reasons.is_empty() {
        c.status = PamStatus::NeedsAttention;
    }
    c
}
