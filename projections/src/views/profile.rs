//! The partner profile: who the partner is, the cohort strategy it inherits, its PAM, active RAPs
//! with named-account status, QAR status, MDF and ARR won.

use channel_ledger_domain::cohort::Play;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::{Classification, CompanySize, PartnerId, PartnerType, Tier};
use channel_ledger_domain::qar::QarSeries;
use channel_ledger_domain::Territory;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{current_pam, is_active, partner_arr_won, partner_raps, PersonRef, RapSummary};
use super::portfolio::QarLine;
use super::reconciliation::partner_mdf;
use super::Scope;
use crate::model::ProgramModel;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartnerProfileView {
    pub partner_id: PartnerId,
    pub name: String,
    pub partner_type: PartnerType,
    pub territory: Territory,
    pub headquarters: String,
    pub size: CompanySize,
    pub specialization: Option<String>,
    pub tier: Tier,
    pub classification: Option<Classification>,
    pub offboarded: bool,
    /// The approved strategy of the partner's classification, if one is in force.
    pub cohort_strategy: Option<CohortStrategyInForce>,
    pub pam: Option<PersonRef>,
    /// Active RAPs, by period then title.
    pub active_raps: Vec<RapSummary>,
    pub qar: QarStatus,
    pub mdf: MdfTotals,
    /// ARR won on the named accounts of all the partner's RAPs.
    pub arr_won: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CohortStrategyInForce {
    pub classification: Classification,
    pub version: u32,
    pub intent: String,
    /// Ordered: first to do first.
    pub plays: Vec<Play>,
    pub approved_at: Option<DateTime<Utc>>,
}

/// Where the partner's QAR cadence stands at `now`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QarStatus {
    /// The QAR due now; `None` before the cadence starts (no PAM assigned yet).
    pub next_number: Option<u32>,
    pub next_due_at: Option<DateTime<Utc>>,
    /// Opened and not completed.
    pub open: bool,
    /// Past due and not completed at `now`.
    pub overdue: bool,
    /// Whole days past due at `now`; 0 when not overdue.
    pub days_overdue: i64,
    pub completed: u32,
    pub last_completed_at: Option<DateTime<Utc>>,
}

impl QarStatus {
    pub(super) fn of(series: Option<&QarSeries>, now: DateTime<Utc>) -> Self {
        Self::at(&QarLine::of(series), now)
    }

    pub(super) fn at(line: &QarLine, now: DateTime<Utc>) -> Self {
        let overdue = line.current.is_some_and(|(_, due, _)| now > due);
        Self {
            next_number: line.current.map(|(number, _, _)| number),
            next_due_at: line.current.map(|(_, due, _)| due),
            open: line.current.is_some_and(|(_, _, opened)| opened),
            overdue,
            days_overdue: match line.current {
                Some((_, due, _)) if overdue => (now - due).num_days(),
                _ => 0,
            },
            completed: line.completed,
            last_completed_at: line.last_completed_at,
        }
    }
}

/// MDF for the partner, program currency (definitions on [`super`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MdfTotals {
    pub committed: Money,
    pub approved: Money,
    pub claimed: Money,
    pub paid: Money,
}

/// The profile of partner `partner_id` (its stream id); `None` when there is no such partner or
/// the scope does not see it (the server answers 404 either way, so no existence leaks).
pub fn partner_profile(
    model: &ProgramModel,
    scope: &Scope,
    now: DateTime<Utc>,
    partner_id: &str,
) -> Option<PartnerProfileView> {
    let entry = model.partners.get(partner_id)?;
    if !scope.sees_partner(entry) {
        return None;
    }
    let p = entry.partner.profile.as_ref()?;
    let mut active_raps: Vec<RapSummary> = partner_raps(model, entry)
        .filter(|r| is_active(r))
        .map(RapSummary::of)
        .collect();
    active_raps.sort_by(|a, b| (a.period, &a.title).cmp(&(b.period, &b.title)));
    Some(PartnerProfileView {
        partner_id: p.partner_id,
        name: p.name.to_string(),
        partner_type: p.partner_type,
        territory: p.territory.clone(),
        headquarters: p.headquarters.to_string(),
        size: p.size,
        specialization: p.specialization.as_ref().map(ToString::to_string),
        tier: p.tier,
        classification: p.classification,
        offboarded: p.offboarded,
        cohort_strategy: strategy_in_force(model, p.classification),
        pam: current_pam(model, entry),
        active_raps,
        qar: QarStatus::of(model.qars.get(partner_id), now),
        mdf: partner_mdf(model, entry),
        arr_won: partner_arr_won(model, entry),
    })
}

/// The strategy every partner of `classification` inherits.
pub(super) fn strategy_in_force(
    model: &ProgramModel,
    classification: Option<Classification>,
) -> Option<CohortStrategyInForce> {
    let classification = classification?;
    let version = model.cohorts.get(classification.wire())?.in_force()?;
    Some(CohortStrategyInForce {
        classification,
        version: version.version,
        intent: version.intent.to_string(),
        plays: version.plays.clone(),
        approved_at: version.decision.as_ref().map(|d| d.decided_at),
    })
}
