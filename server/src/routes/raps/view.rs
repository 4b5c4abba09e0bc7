//! A RAP as the API shows it: its terms and economics, named accounts, every approval record and
//! the sign-off it waits for, with its due date and whether it is late at the time of reading.

use channel_ledger_domain::actor::Territory;
use channel_ledger_domain::approval::{ApprovalRecord, ApprovalStep, StaffRef};
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::{PartnerId, Tier};
use channel_ledger_domain::rap::{
    Amendment, Closure, NamedAccount, PendingApproval, PendingSubject, Rap, RapEconomics, RapId,
    RapPlan, RapStatus, RapTerms,
};
use channel_ledger_domain::text::{Name, Reason};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The partner a RAP is with, as recorded on it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RapPartner {
    pub partner_id: PartnerId,
    pub name: Name,
    pub territory: Territory,
    /// The tier at the latest drafting, submission or amendment proposal.
    pub tier: Tier,
}

/// New terms waiting for sign-off on an Active RAP; the RAP's `terms` stay in force meanwhile.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AmendmentView {
    pub terms: RapTerms,
    pub reason: Reason,
    pub economics: RapEconomics,
    pub submitted_by: StaffRef,
    pub submitted_at: DateTime<Utc>,
}

impl From<&Amendment> for AmendmentView {
    fn from(a: &Amendment) -> Self {
        Self {
            terms: a.terms.clone(),
            reason: a.reason.clone(),
            economics: a.round.submission.economics,
            submitted_by: a.round.submission.by.clone(),
            submitted_at: a.round.submission.at,
        }
    }
}

/// The sign-off a RAP waits for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PendingApprovalView {
    /// The proposal, or an amendment of an Active RAP.
    pub subject: PendingSubject,
    /// Who must act next: `Manager` (of the partner's territory) or `CxO`.
    pub step: ApprovalStep,
    /// When the step became pending.
    pub requested_at: DateTime<Utc>,
    /// `requested_at` plus the approval SLA (5 business days).
    pub due_at: DateTime<Utc>,
    /// Past `due_at` at the time of reading.
    pub overdue: bool,
    pub submitted_by: StaffRef,
    /// The approver signs off an MDF exemption too.
    pub mdf_exemption: bool,
}

impl PendingApprovalView {
    fn of(p: PendingApproval, now: DateTime<Utc>) -> Self {
        Self {
            overdue: p.is_overdue(now),
            subject: p.subject,
            step: p.step,
            requested_at: p.requested_at,
            due_at: p.due_at,
            submitted_by: p.submitted_by,
            mdf_exemption: p.mdf_exemption,
        }
    }
}

/// A RAP as it stands.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RapView {
    pub rap_id: RapId,
    /// "Ironclad MSP · Q2 2026".
    pub title: String,
    pub partner: RapPartner,
    pub period: FiscalQuarter,
    pub status: RapStatus,
    /// The terms being drafted or under approval until activation; the terms in force after.
    pub terms: RapTerms,
    /// The version of the terms in force: 0 until activation, one more per approved amendment.
    pub version: u32,
    /// The modelled economics as agreed at the latest submission (of the terms in force once Active).
    pub economics: Option<RapEconomics>,
    pub pending_amendment: Option<AmendmentView>,
    /// The named accounts of the terms in force and their progress; empty until Active.
    pub named_accounts: Vec<NamedAccount>,
    /// The ARR of the won named accounts.
    pub arr_won: Money,
    /// Every approval and rejection, in order.
    pub approvals: Vec<ApprovalRecord>,
    pub pending_approval: Option<PendingApprovalView>,
    pub closure: Option<Closure>,
}

impl RapView {
    /// The view of a drafted RAP, with lateness judged at `now`.
    pub fn of(rap: &Rap, now: DateTime<Utc>) -> Option<Self> {
        let pending = rap.pending_approval();
        let plan: &RapPlan = rap.plan.as_ref()?;
        Some(Self {
            rap_id: plan.rap_id,
            title: plan.title.clone(),
            partner: RapPartner {
                partner_id: plan.partner_id,
                name: plan.partner_name.clone(),
                territory: plan.territory.clone(),
                tier: plan.tier,
            },
            period: plan.period,
            status: plan.status,
            terms: plan.terms.clone(),
            version: plan.version,
            economics: plan.economics,
            pending_amendment: plan.amendment.as_ref().map(AmendmentView::from),
            named_accounts: plan.accounts.clone(),
            arr_won: plan.arr_won(),
            approvals: plan.approvals.clone(),
            pending_approval: pending.map(|p| PendingApprovalView::of(p, now)),
            closure: plan.closure.clone(),
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RapList {
    pub raps: Vec<RapView>,
}
