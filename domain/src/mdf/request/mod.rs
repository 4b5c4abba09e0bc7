//! A partner's MDF fund request: activities against its allocation, each approved on its own,
//! then a claim per approved activity, proof of performance, review and reimbursement.
//!
//! Statuses: Draft → Submitted → Approved, or Returned (more information asked) / Rejected,
//! both editable and resubmittable; Declined (final) and Withdrawn end it. Due dates are on the
//! state: `approval_due` while Submitted, `reimbursement_due` on each accepted claim.

mod apply;
mod claims;
mod command;
mod decide;
mod draft;
mod event;
mod permission;
mod review;
#[cfg(test)]
mod tests;

pub use command::{ActivityInput, FundRequestCommand, Settlement};
pub use event::FundRequestEvent;
pub use permission::permission_for;

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use decide::{Closing, Ctx};

use super::error::MdfError;
use super::facts::FundingLink;
use super::ids::{ActivityId, FundRequestId};
use crate::actor::{StaffId, Territory};
use crate::approval::{ApprovalRecord, StaffRef};
use crate::authored::Authored;
use crate::fiscal::FiscalQuarter;
use crate::mdf_policy::PROGRAM_CURRENCY;
use crate::money::{ExchangeRate, Money};
use crate::partner::PartnerId;
use crate::text::{Name, Reason};

/// Days the ISV has to reimburse after proof is accepted (design.md §2).
pub const REIMBURSEMENT_SLA_DAYS: i64 = 30;
/// Days ahead of an activity its plan must be submitted, unless a late reason is given.
pub const PLAN_LEAD_DAYS: i64 = 30;

/// The default value is "no such request".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundRequest {
    pub details: Option<RequestDetails>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FundRequestStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
    Rejected,
    Declined,
    Withdrawn,
}

impl FundRequestStatus {
    /// Activities may be changed and the plan (re)submitted.
    pub fn is_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned | Self::Rejected)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDetails {
    pub request_id: FundRequestId,
    pub partner_id: PartnerId,
    pub partner_name: Name,
    pub territory: Territory,
    pub quarter: FiscalQuarter,
    pub link: FundingLink,
    pub title: Name,
    pub named_accounts: Vec<String>,
    pub status: FundRequestStatus,
    pub activities: Vec<Activity>,
    pub submitted_by: Option<StaffRef>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// 5 business days after submission; present while Submitted.
    pub approval_due: Option<DateTime<Utc>>,
    pub late_reason: Option<Reason>,
    /// Why it was last returned, rejected, declined or withdrawn.
    pub status_reason: Option<Reason>,
    /// Every activity decision, across submissions.
    pub approvals: Vec<ApprovalRecord>,
    pub payments: Vec<Payment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    pub activity_id: ActivityId,
    pub description: Reason,
    pub starts_on: NaiveDate,
    pub requested: Money,
    pub rate: Option<ExchangeRate>,
    /// `requested` in the program currency at `rate`.
    pub requested_program: Money,
    pub decision: ActivityDecision,
    pub claim: Option<Claim>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ActivityDecision {
    Pending,
    /// In the program currency.
    Approved {
        amount: Money,
    },
    Rejected {
        reason: Reason,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ClaimStatus {
    AwaitingProof,
    ProofSubmitted,
    /// Resubmittable with new proof.
    ProofRejected,
    Accepted,
    /// Accepted and reimbursed in full.
    Paid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Claim {
    pub amount: Money,
    pub rate: Option<ExchangeRate>,
    pub amount_program: Money,
    pub status: ClaimStatus,
    pub proof: Option<Reason>,
    pub proof_submitted_by: Option<StaffId>,
    pub review_reason: Option<Reason>,
    /// 30 days after the proof was accepted; present until paid in full.
    pub reimbursement_due: Option<DateTime<Utc>>,
    /// Reimbursed so far, in the program currency.
    pub paid: Money,
}

impl Claim {
    /// The amount accepted for reimbursement, in the program currency.
    pub fn accepted(&self) -> Option<Money> {
        matches!(self.status, ClaimStatus::Accepted | ClaimStatus::Paid)
            .then_some(self.amount_program)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Payment {
    pub payment_reference: Name,
    /// In the program currency.
    pub settled: Vec<Settlement>,
    pub paid_at: DateTime<Utc>,
}

impl Activity {
    pub fn approved(&self) -> Option<Money> {
        match self.decision {
            ActivityDecision::Approved { amount } => Some(amount),
            _ => None,
        }
    }
}

fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    Money::new(
        amounts.fold(0i64, |s, m| s.saturating_add(m.minor)),
        PROGRAM_CURRENCY,
    )
}

impl RequestDetails {
    pub fn activity(&self, id: ActivityId) -> Result<&Activity, MdfError> {
        self.activities
            .iter()
            .find(|a| a.activity_id == id)
            .ok_or(MdfError::ActivityNotFound(id))
    }

    /// The totals finance reconciles, all in the program currency.
    pub fn requested_total(&self) -> Money {
        sum(self.activities.iter().map(|a| a.requested_program))
    }
    pub fn approved_total(&self) -> Money {
        sum(self.activities.iter().filter_map(Activity::approved))
    }
    pub fn claimed_total(&self) -> Money {
        sum(self.claims().map(|(_, c)| c.amount_program))
    }
    pub fn accepted_total(&self) -> Money {
        sum(self.claims().filter_map(|(_, c)| c.accepted()))
    }
    pub fn paid_total(&self) -> Money {
        sum(self.claims().map(|(_, c)| c.paid))
    }

    pub fn claims(&self) -> impl Iterator<Item = (&Activity, &Claim)> {
        self.activities
            .iter()
            .filter_map(|a| a.claim.as_ref().map(|c| (a, c)))
    }

    fn require(&self, action: &'static str, ok: bool) -> Result<(), MdfError> {
        if ok {
            Ok(())
        } else {
            Err(MdfError::RequestWrongStatus {
                action,
                status: self.status,
            })
        }
    }
}

impl FundRequest {
    fn current(&self) -> Result<&RequestDetails, MdfError> {
        self.details.as_ref().ok_or(MdfError::RequestNotFound)
    }
}

impl Aggregate for FundRequest {
    const TYPE: &'static str = "MdfFundRequest";
    type Command = Authored<FundRequestCommand>;
    type Event = FundRequestEvent;
    type Error = MdfError;
    type Services = ();

    async fn handle(
        &mut self,
        command: Self::Command,
        _: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        for event in self.decide(command)? {
            sink.write(event, self).await;
        }
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        apply::apply(self, event);
    }
}
