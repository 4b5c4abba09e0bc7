//! What staff ask of a RAP. Facts the domain cannot know by itself (the partner as it stands,
//! a delegation in force) come inside the command, resolved by the server as of the effective time.

use serde::{Deserialize, Serialize};

use super::terms::{AccountDomain, RapTerms};
use super::values::{NamedAccountStatus, RapId, RapOutcome};
use crate::approval::{ApprovalStep, Delegation};
use crate::fiscal::FiscalQuarter;
use crate::money::Money;
use crate::partner::PartnerFacts;
use crate::text::Reason;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RapCommand {
    /// Starts a plan with one partner for one fiscal quarter.
    Draft {
        rap_id: RapId,
        partner: PartnerFacts,
        period: FiscalQuarter,
        terms: RapTerms,
    },
    /// Replaces the terms of a Draft, or of a Rejected RAP (which returns it to Draft).
    Revise {
        terms: RapTerms,
    },
    /// Sends the terms for approval; the economics are computed and frozen "as agreed".
    Submit {
        partner: PartnerFacts,
    },
    /// Signs the step that is pending: the proposal's or an amendment's. The command's actor
    /// approves; `on_behalf_of` is the principal's delegation when they act as a delegate.
    Approve {
        step: ApprovalStep,
        on_behalf_of: Option<Delegation>,
        comment: Option<Reason>,
    },
    /// Turns down the pending step, with the reason the partner and the PAM will read.
    Reject {
        step: ApprovalStep,
        on_behalf_of: Option<Delegation>,
        reason: Reason,
    },
    /// New terms for an Active RAP; the approved terms stay in force until both sign-offs.
    ProposeAmendment {
        partner: PartnerFacts,
        terms: RapTerms,
        reason: Reason,
    },
    /// Identified → Qualified → In Progress, one step at a time.
    AdvanceNamedAccount {
        domain: AccountDomain,
        to: NamedAccountStatus,
    },
    WinNamedAccount {
        domain: AccountDomain,
        arr: Money,
    },
    LoseNamedAccount {
        domain: AccountDomain,
        reason: Reason,
    },
    Close {
        outcome: RapOutcome,
        note: Reason,
    },
}
