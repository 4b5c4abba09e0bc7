//! Pieces several views share: people, RAP summaries, sums in the program currency, and the
//! partners a scope sees.

use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::RequestDetails;
use channel_ledger_domain::mdf_policy::PROGRAM_CURRENCY;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerProfile;
use channel_ledger_domain::rap::{NamedAccount, RapId, RapPlan, RapStatus};
use channel_ledger_domain::StaffId;
use serde::{Deserialize, Serialize};

use super::Scope;
use crate::model::{PartnerEntry, ProgramModel};

/// A member of staff by id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub staff_id: StaffId,
    pub name: String,
}

/// A RAP as the profile, the handover brief and the console list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RapSummary {
    pub rap_id: RapId,
    pub title: String,
    pub period: FiscalQuarter,
    pub status: RapStatus,
    /// Version of the terms in force (0 before activation).
    pub version: u32,
    pub mdf: Money,
    pub partner_contribution: Money,
    pub arr_target: Money,
    pub arr_won: Money,
    /// Where each named account stands.
    pub named_accounts: Vec<NamedAccount>,
    /// An amendment is waiting for sign-off.
    pub amendment_pending: bool,
}

impl RapSummary {
    pub(super) fn of(plan: &RapPlan) -> Self {
        Self {
            rap_id: plan.rap_id,
            title: plan.title.clone(),
            period: plan.period,
            status: plan.status,
            version: plan.version,
            mdf: plan.terms.mdf,
            partner_contribution: plan.terms.partner_contribution,
            arr_target: plan.terms.arr_target,
            arr_won: plan.arr_won(),
            named_accounts: plan.accounts.clone(),
            amendment_pending: plan.amendment.is_some(),
        }
    }
}

pub(super) fn zero() -> Money {
    Money::zero(PROGRAM_CURRENCY)
}

/// Sum in the program currency (every amount the views add is already in it).
pub(super) fn sum(amounts: impl IntoIterator<Item = Money>) -> Money {
    Money::new(
        amounts
            .into_iter()
            .fold(0i64, |s, m| s.saturating_add(m.minor)),
        PROGRAM_CURRENCY,
    )
}

/// `a - b`, never below zero.
pub(super) fn remaining(a: Money, b: Money) -> Money {
    Money::new(a.minor.saturating_sub(b.minor).max(0), a.currency)
}

/// `num ÷ den` in basis points, rounded down; `None` when `den` is not positive.
pub(super) fn ratio_bps(num: Money, den: Money) -> Option<i64> {
    (den.minor > 0)
        .then(|| i128::from(num.minor) * 10_000 / i128::from(den.minor))
        .and_then(|v| i64::try_from(v).ok())
}

/// Registered partners the scope sees, by stream id.
pub(super) fn visible_partners<'a>(
    model: &'a ProgramModel,
    scope: &'a Scope,
) -> impl Iterator<Item = (&'a str, &'a PartnerEntry, &'a PartnerProfile)> + 'a {
    model.partners.iter().filter_map(move |(id, entry)| {
        let profile = entry.partner.profile.as_ref()?;
        scope
            .sees_territory(&profile.territory)
            .then_some((id.as_str(), entry, profile))
    })
}

/// Visible partners still in the program.
pub(super) fn active_partners<'a>(
    model: &'a ProgramModel,
    scope: &'a Scope,
) -> impl Iterator<Item = (&'a str, &'a PartnerEntry, &'a PartnerProfile)> + 'a {
    visible_partners(model, scope).filter(|(_, _, p)| !p.offboarded)
}

/// Every RAP plan of a partner.
pub(super) fn partner_raps<'a>(
    model: &'a ProgramModel,
    entry: &'a PartnerEntry,
) -> impl Iterator<Item = &'a RapPlan> + 'a {
    entry
        .raps
        .iter()
        .filter_map(|id| model.raps.get(id)?.plan.as_ref())
}

/// Every fund request of a partner.
pub(super) fn partner_requests<'a>(
    model: &'a ProgramModel,
    entry: &'a PartnerEntry,
) -> impl Iterator<Item = &'a RequestDetails> + 'a {
    entry
        .fund_requests
        .iter()
        .filter_map(|id| model.fund_requests.get(id)?.details.as_ref())
}

/// ARR won on all of a partner's RAPs.
pub(super) fn partner_arr_won(model: &ProgramModel, entry: &PartnerEntry) -> Money {
    sum(partner_raps(model, entry).map(RapPlan::arr_won))
}

/// The partner's PAM now, named as the staff directory (or the assignment) names them.
pub(super) fn current_pam(model: &ProgramModel, entry: &PartnerEntry) -> Option<PersonRef> {
    let pam = entry.partner.profile.as_ref()?.pam?;
    Some(PersonRef {
        staff_id: pam,
        name: staff_name(model, pam)
            .or_else(|| pam_tenure_name(entry, pam))
            .unwrap_or_else(|| pam.to_string()),
    })
}

/// The name `pam` was assigned to the partner under, latest first.
pub(super) fn pam_tenure_name(entry: &PartnerEntry, pam: StaffId) -> Option<String> {
    entry
        .pam_history
        .iter()
        .rev()
        .find(|t| t.pam_id == pam)
        .map(|t| t.pam_name.clone())
}

pub(super) fn staff_name(model: &ProgramModel, id: StaffId) -> Option<String> {
    let entry = model.staff.get(&id.to_string())?;
    entry.staff.profile.as_ref().map(|p| p.name.to_string())
}

pub(super) fn is_active(plan: &RapPlan) -> bool {
    plan.status == RapStatus::Active
}
