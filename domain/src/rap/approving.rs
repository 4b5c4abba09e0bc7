//! Sign-off of a proposal or an amendment: a Manager of the partner's territory, then a CxO,
//! each somebody else (design.md §3.4), each decision an [`ApprovalRecord`], each step due
//! within the approval SLA.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::RapError;
use super::event::RapEvent;
use super::permission::decision_permission;
use super::terms::RapTerms;
use super::values::{RapEconomics, RapStatus};
use super::Rap;
use crate::actor::{Actor, Territory};
use crate::approval::{ApprovalRecord, ApprovalStep, Approver, Delegation, StaffRef, Verdict};
use crate::fiscal::add_business_days;
use crate::money::Money;
use crate::partner::{PartnerFacts, Tier};
use crate::text::Reason;

/// Each approval step is due within this many business days of becoming pending.
pub const APPROVAL_SLA_BUSINESS_DAYS: u32 = 5;

/// Terms sent for approval, as agreed: who sent them, when, under which tier policy, and the
/// economics computed from them then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Submission {
    pub by: StaffRef,
    pub at: DateTime<Utc>,
    pub tier: Tier,
    pub quarterly_cap: Money,
    pub economics: RapEconomics,
    /// The MDF is above the tier's cap: both approvers sign off the exemption with the terms.
    pub mdf_exemption_required: bool,
}

impl Submission {
    /// Checks `terms` for submission by `actor` at `at` for the partner as it stands then.
    pub(super) fn of(
        actor: &Actor,
        at: DateTime<Utc>,
        partner: &PartnerFacts,
        terms: &RapTerms,
    ) -> Result<Self, RapError> {
        terms.check()?;
        if terms.named_accounts.is_empty() {
            return Err(RapError::NoNamedAccounts);
        }
        let policy = terms.check_policy(partner.tier)?;
        Ok(Self {
            by: StaffRef::from(actor),
            at,
            tier: partner.tier,
            quarterly_cap: policy.quarterly_cap,
            economics: terms.economics()?,
            mdf_exemption_required: policy.exemption_required,
        })
    }
}

/// One round of sign-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRound {
    pub submission: Submission,
    pub manager_approval: Option<ApprovalRecord>,
}

impl ApprovalRound {
    pub fn new(submission: Submission) -> Self {
        Self {
            submission,
            manager_approval: None,
        }
    }

    pub fn pending_step(&self) -> ApprovalStep {
        match self.manager_approval {
            None => ApprovalStep::Manager,
            Some(_) => ApprovalStep::Cxo,
        }
    }

    /// When the pending step started waiting: the submission, then the Manager's approval.
    pub fn requested_at(&self) -> DateTime<Utc> {
        self.manager_approval
            .as_ref()
            .map_or(self.submission.at, |m| m.decided_at)
    }

    /// Records `approver`'s verdict on `step` at `at`, or says why they may not give it.
    fn decide(
        &self,
        step: ApprovalStep,
        verdict: Verdict,
        approver: &Approver,
        comment: Option<Reason>,
        at: DateTime<Utc>,
        territory: &Territory,
    ) -> Result<ApprovalRecord, RapError> {
        match (self.pending_step(), step) {
            (ApprovalStep::Manager, ApprovalStep::Cxo) => return Err(RapError::CxoBeforeManager),
            (ApprovalStep::Cxo, ApprovalStep::Manager) => {
                return Err(RapError::StepNotPending { step })
            }
            _ => {}
        }
        approver
            .check_delegation(at)
            .map_err(|_| RapError::InvalidDelegation)?;
        decision_permission(step, verdict).check(approver.authority(), territory)?;
        if approver.involves(self.submission.by.staff_id) {
            return Err(RapError::SelfApproval);
        }
        if let Some(m) = &self.manager_approval {
            let manager_side = std::iter::once(&m.approver).chain(m.on_behalf_of.as_ref());
            if manager_side
                .into_iter()
                .any(|p| approver.involves(p.staff_id))
            {
                return Err(RapError::SameApproverTwice);
            }
        }
        let requested_at = self.requested_at();
        if at < requested_at {
            return Err(RapError::DecidedBeforeRequested { requested_at });
        }
        Ok(ApprovalRecord::new(
            step,
            verdict,
            approver,
            comment,
            requested_at,
            at,
        ))
    }
}

/// What a pending sign-off is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PendingSubject {
    Proposal,
    Amendment,
}

/// The sign-off a RAP waits for, for the approval queue and the console's "late" flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = RapPendingApproval))]
pub struct PendingApproval {
    pub subject: PendingSubject,
    /// Who must act next: a Manager of the partner's territory, or the CxO.
    pub step: ApprovalStep,
    pub requested_at: DateTime<Utc>,
    /// `requested_at` plus the approval SLA in business days.
    pub due_at: DateTime<Utc>,
    pub submitted_by: StaffRef,
    /// The approver signs off an MDF exemption too.
    pub mdf_exemption: bool,
}

impl PendingApproval {
    fn of(subject: PendingSubject, round: &ApprovalRound) -> Self {
        let requested_at = round.requested_at();
        Self {
            subject,
            step: round.pending_step(),
            requested_at,
            due_at: add_business_days(requested_at, APPROVAL_SLA_BUSINESS_DAYS),
            submitted_by: round.submission.by.clone(),
            mdf_exemption: round.submission.mdf_exemption_required,
        }
    }

    /// Late is a query-time fact: past due and still pending at `now`.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        now > self.due_at
    }
}

impl Rap {
    /// The sign-off this RAP is waiting for, if any.
    pub fn pending_approval(&self) -> Option<PendingApproval> {
        let plan = self.plan.as_ref()?;
        match (&plan.round, &plan.amendment) {
            (Some(round), _) => Some(PendingApproval::of(PendingSubject::Proposal, round)),
            (None, Some(a)) => Some(PendingApproval::of(PendingSubject::Amendment, &a.round)),
            (None, None) => None,
        }
    }

    /// An approval or rejection of whatever step is pending.
    pub(super) fn decide_verdict(
        &self,
        actor: &Actor,
        at: DateTime<Utc>,
        step: ApprovalStep,
        verdict: Verdict,
        on_behalf_of: Option<Delegation>,
        comment: Option<Reason>,
    ) -> Result<RapEvent, RapError> {
        let plan = self.plan()?;
        let (round, amendment) = match (plan.status, &plan.round, &plan.amendment) {
            (RapStatus::Submitted | RapStatus::ManagerApproved, Some(round), _) => (round, false),
            (RapStatus::Active, None, Some(a)) => (&a.round, true),
            _ => return Err(RapError::NothingToApprove),
        };
        let approver = Approver::new(actor.clone(), on_behalf_of);
        let approval = round.decide(step, verdict, &approver, comment, at, &plan.territory)?;
        let mdf_exemption_signed_off = round.submission.mdf_exemption_required;
        let version = plan.version + 1;
        Ok(match (amendment, step, verdict) {
            (_, _, Verdict::Rejected) if amendment => RapEvent::RapAmendmentRejected { approval },
            (_, _, Verdict::Rejected) => RapEvent::RapRejected { approval },
            (false, ApprovalStep::Manager, _) => RapEvent::RapApprovedByManager {
                approval,
                mdf_exemption_signed_off,
            },
            (false, ApprovalStep::Cxo, _) => RapEvent::RapActivated {
                approval,
                mdf_exemption_signed_off,
                version,
            },
            (true, ApprovalStep::Manager, _) => RapEvent::RapAmendmentApprovedByManager {
                approval,
                mdf_exemption_signed_off,
            },
            (true, ApprovalStep::Cxo, _) => RapEvent::RapAmendmentApproved {
                approval,
                mdf_exemption_signed_off,
                version,
            },
        })
    }
}
