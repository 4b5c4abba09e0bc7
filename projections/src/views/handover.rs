//! The handover brief: everything an incoming PAM reads before the first call — the cohort
//! strategy the partner inherits, open commitments of the QAR plan, active RAPs and where each
//! named account stands, QAR history, the last concerns (the latest QAR discussion), MDF owed
//! (approved, not yet paid) and the PAMs before them, with dates.

use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::qar::{CommitmentId, Discussion, OutcomeCounts};
use channel_ledger_domain::{StaffId, Territory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{
    current_pam, is_active, partner_raps, partner_requests, remaining, sum, PersonRef, RapSummary,
};
use super::profile::{strategy_in_force, CohortStrategyInForce, QarStatus};
use super::Scope;
use crate::model::ProgramModel;
use channel_ledger_domain::mdf::FundRequestStatus;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentView {
    pub id: CommitmentId,
    /// `None` for readers who do not see QAR notes (Finance).
    pub description: Option<String>,
    pub owner: String,
    pub due_at: DateTime<Utc>,
    pub times_deferred: u32,
    /// Due before `now` and still open.
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QarRecord {
    pub number: u32,
    pub due_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub late: bool,
    pub outcomes: OutcomeCounts,
    pub commitments_locked: u32,
    /// `None` for readers who do not see QAR notes (Finance).
    pub discussion: Option<Discussion>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviousPam {
    pub pam_id: StaffId,
    pub pam_name: String,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverBrief {
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub territory: Territory,
    pub pam: Option<PersonRef>,
    /// When the current PAM took the partner over.
    pub pam_since: Option<DateTime<Utc>>,
    /// Earlier PAMs, oldest first, each until the next one took over.
    pub previous_pams: Vec<PreviousPam>,
    pub cohort_strategy: Option<CohortStrategyInForce>,
    pub qar: QarStatus,
    /// Still owed from the QAR plan, deferred ones with their new due date.
    pub open_commitments: Vec<CommitmentView>,
    /// Active RAPs with every named account's status.
    pub active_raps: Vec<RapSummary>,
    /// Completed QARs, oldest first.
    pub qar_history: Vec<QarRecord>,
    /// What was discussed, agreed and why at the latest completed QAR (or the current one, if
    /// its discussion is already recorded).
    pub last_concerns: Option<Discussion>,
    /// MDF approved on the partner's fund requests and not yet paid.
    pub mdf_owed: Money,
}

/// The brief for partner `partner_id`; `None` when absent or outside the scope.
pub fn handover_brief(
    model: &ProgramModel,
    scope: &Scope,
    now: DateTime<Utc>,
    partner_id: &str,
) -> Option<HandoverBrief> {
    let entry = model.partners.get(partner_id)?;
    if !scope.sees_partner(entry) {
        return None;
    }
    let p = entry.partner.profile.as_ref()?;
    let notes = scope.sees_qar_notes();
    let series = model.qars.get(partner_id);
    let tenures = &entry.pam_history;
    let previous_pams = tenures
        .windows(2)
        .map(|w| PreviousPam {
            pam_id: w[0].pam_id,
            pam_name: w[0].pam_name.clone(),
            from: w[0].from,
            until: w[1].from,
        })
        .collect();
    let open_commitments = series
        .map(|s| s.open_commitments())
        .unwrap_or_default()
        .into_iter()
        .map(|c| CommitmentView {
            id: c.id,
            description: notes.then(|| c.description.to_string()),
            owner: c.owner.to_string(),
            due_at: c.due_at,
            times_deferred: c.times_deferred,
            overdue: c.due_at < now,
        })
        .collect();
    let qar_history = series
        .map(|s| s.history())
        .unwrap_or_default()
        .iter()
        .map(|q| QarRecord {
            number: q.number,
            due_at: q.due_at,
            completed_at: q.completed_at,
            late: q.was_late(),
            outcomes: q.outcomes,
            commitments_locked: q.commitments_locked,
            discussion: q.discussion.clone().filter(|_| notes),
        })
        .collect();
    let current_discussion = series
        .and_then(|s| s.current.as_ref())
        .and_then(|q| q.discussion.clone());
    let last_concerns = current_discussion
        .or_else(|| series.and_then(|s| s.history.iter().rev().find_map(|q| q.discussion.clone())))
        .filter(|_| notes);
    let mut active_raps: Vec<RapSummary> = partner_raps(model, entry)
        .filter(|r| is_active(r))
        .map(RapSummary::of)
        .collect();
    active_raps.sort_by(|a, b| (a.period, &a.title).cmp(&(b.period, &b.title)));
    let mdf_owed = sum(partner_requests(model, entry)
        .filter(|r| r.status == FundRequestStatus::Approved)
        .map(|r| remaining(r.approved_total(), r.paid_total())));
    Some(HandoverBrief {
        partner_id: p.partner_id,
        partner_name: p.name.to_string(),
        territory: p.territory.clone(),
        pam: current_pam(model, entry),
        pam_since: tenures.last().map(|t| t.from),
        previous_pams,
        cohort_strategy: strategy_in_force(model, p.classification),
        qar: QarStatus::of(series, now),
        open_commitments,
        active_raps,
        qar_history,
        last_concerns,
        mdf_owed,
    })
}
