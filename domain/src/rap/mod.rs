//! The RAP — Revenue Acceleration Program (design.md §2): a co-built commercial plan with one
//! partner for one fiscal quarter. Drafted and revised by the PAM, approved by a Manager of the
//! partner's territory and then a CxO (neither the submitter), Active on the CxO's approval,
//! amended through the same two sign-offs while the approved terms stay in force, its named
//! accounts tracked to Won or Lost, and closed with an outcome.
//!
//! A Rejected RAP is not final: revising it returns it to Draft, and it may be submitted again
//! (with or without a revision) as a new approval round; the rejection stays in `approvals`. The partner's territory is recorded at drafting and approvals are
//! checked against it (partners do not move territory); its tier is refreshed at each submission.

mod apply;
mod approving;
mod command;
mod decide;
mod error;
mod event;
mod permission;
mod terms;
#[cfg(test)]
mod tests;
mod values;

pub use approving::{
    ApprovalRound, PendingApproval, PendingSubject, Submission, APPROVAL_SLA_BUSINESS_DAYS,
};
pub use command::RapCommand;
pub use error::RapError;
pub use event::RapEvent;
pub use permission::{decision_permission, permission_for};
pub use terms::{AccountDomain, NamedAccountTarget, PolicyCheck, RapTerms, MAX_NAMED_ACCOUNTS};
pub use values::{
    rap_title, NamedAccount, NamedAccountStatus, RapEconomics, RapId, RapOutcome, RapStatus,
};

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::actor::Territory;
use crate::approval::ApprovalRecord;
use crate::authored::Authored;
use crate::fiscal::FiscalQuarter;
use crate::money::Money;
use crate::partner::{PartnerId, Tier};
use crate::text::{Name, Reason};

/// The default value is "not drafted".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rap {
    pub plan: Option<RapPlan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RapPlan {
    pub rap_id: RapId,
    pub partner_id: PartnerId,
    pub partner_name: Name,
    pub territory: Territory,
    /// The partner's tier at the latest drafting, submission or amendment proposal.
    pub tier: Tier,
    pub period: FiscalQuarter,
    pub title: String,
    pub status: RapStatus,
    /// The terms being drafted or under approval until activation; the terms in force after.
    pub terms: RapTerms,
    /// The economics as agreed at the latest submission (of the terms in force once Active).
    pub economics: Option<RapEconomics>,
    /// The version of the terms in force: 0 until activation, then one more per amendment.
    pub version: u32,
    /// The proposal's sign-off while Submitted or ManagerApproved.
    pub round: Option<ApprovalRound>,
    /// New terms waiting for sign-off on an Active RAP.
    pub amendment: Option<Amendment>,
    /// The named accounts of the terms in force and their progress; empty until Active.
    pub accounts: Vec<NamedAccount>,
    /// Every approval and rejection, in order.
    pub approvals: Vec<ApprovalRecord>,
    pub closure: Option<Closure>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub terms: RapTerms,
    pub reason: Reason,
    pub round: ApprovalRound,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Closure {
    pub outcome: RapOutcome,
    pub note: Reason,
    pub arr_won: Money,
    pub closed_at: DateTime<Utc>,
}

impl Rap {
    fn plan(&self) -> Result<&RapPlan, RapError> {
        self.plan.as_ref().ok_or(RapError::NotFound)
    }

    /// The Active plan: what amendments, named-account tracking and closing act on.
    fn active(&self) -> Result<&RapPlan, RapError> {
        let plan = self.plan()?;
        match plan.status {
            RapStatus::Active => Ok(plan),
            status => Err(RapError::NotActive { status }),
        }
    }
}

impl RapPlan {
    /// The ARR of the won named accounts.
    pub fn arr_won(&self) -> Money {
        let won = self.accounts.iter().filter_map(|a| a.arr_won);
        // Every won ARR was checked to be in the program currency, so the sum cannot mix.
        won.fold(Money::zero(self.terms.arr_target.currency), |sum, arr| {
            sum.checked_add(arr).unwrap_or(sum)
        })
    }
}

impl Aggregate for Rap {
    const TYPE: &'static str = "Rap";
    type Command = Authored<RapCommand>;
    type Event = RapEvent;
    type Error = RapError;
    type Services = ();

    async fn handle(
        &mut self,
        Authored { actor, at, command }: Self::Command,
        _: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = self.decide(&actor, at, command)?;
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        self.evolve(event);
    }
}
