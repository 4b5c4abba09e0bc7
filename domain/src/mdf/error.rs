//! Why an MDF command was refused: one enum for both aggregates, since approvals, amounts and
//! currencies follow the same rules in each. Every variant has a stable kebab-case code.

use chrono::NaiveDate;

use super::budget::AllocationStatus;
use super::ids::ActivityId;
use super::request::{ClaimStatus, FundRequestStatus};
use crate::actor::{Role, Territory};
use crate::approval::ApprovalStep;
use crate::money::{Currency, Money, MoneyError};
use crate::rejection::{Forbidden, Rejection, RejectionKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MdfError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("nobody approves their own submission: the approver (or the person they act for) submitted it")]
    SelfApproval,
    #[error("the same person cannot sign both the Manager and the CxO step")]
    SameApproverTwice,
    #[error("the {step:?} step must be signed by a {needed}, not a {role}")]
    WrongApproverRole {
        step: ApprovalStep,
        needed: Role,
        role: Role,
    },
    #[error("the approver is not a Manager of {territory}, the partner's territory")]
    ApproverOutsideTerritory { territory: Territory },
    #[error("the delegation does not cover this approval: it must name the approver as delegate and be in force at the time")]
    InvalidDelegation,

    #[error("the {field} must be positive")]
    NotPositive { field: &'static str },
    #[error("the amount is in {currency}: give the exchange rate of its transaction date")]
    MissingExchangeRate { currency: Currency },
    #[error("the exchange rate must convert {currency} into the program currency")]
    ExchangeRateMismatch { currency: Currency },
    #[error(transparent)]
    Money(#[from] MoneyError),

    #[error("no budget has been set for this quarter")]
    BudgetNotSet,
    #[error("the budget for this quarter is already set; raise it instead")]
    BudgetAlreadySet,
    #[error("an allocation with this id already exists")]
    AllocationExists,
    #[error("no such allocation")]
    AllocationNotFound,
    #[error("over the tier's quarterly cap of {cap} ({allocated} already allocated): request an exemption with a justification")]
    OverTierCap { cap: Money, allocated: Money },
    #[error("over the quarter's program budget: {available} is left to allocate")]
    OverBudget { available: Money },
    #[error("the partner has been offboarded")]
    PartnerOffboarded,
    #[error("the exemption is not awaiting approval (it is {status:?})")]
    ExemptionNotPending { status: AllocationStatus },

    #[error("a fund request with this id already exists")]
    RequestExists,
    #[error("no such fund request")]
    RequestNotFound,
    #[error("cannot {action} a fund request that is {status:?}")]
    RequestWrongStatus {
        action: &'static str,
        status: FundRequestStatus,
    },
    #[error("an activity with this id already exists")]
    ActivityExists,
    #[error("no such activity: {0}")]
    ActivityNotFound(ActivityId),
    #[error("a fund request needs at least one activity")]
    NoActivities,
    #[error("activity {activity_id} starts on {starts_on}, less than 30 days ahead (earliest {earliest}): give a late_reason")]
    LatePlan {
        activity_id: ActivityId,
        starts_on: NaiveDate,
        earliest: NaiveDate,
    },
    #[error("the facts given are for another RAP or exemption than the request is linked to")]
    SourceMismatch,
    #[error("the RAP is not Active: MDF inside a RAP needs the RAP approved")]
    RapNotActive,
    #[error("the RAP or exemption belongs to another partner or quarter")]
    SourceOfAnotherPartner,
    #[error("MDF inside a RAP is tied to its named accounts: name at least one")]
    NoNamedAccounts,
    #[error("{domain} is not among the RAP's named accounts")]
    NamedAccountNotInRap { domain: String },
    #[error("the request exceeds the MDF approved in the RAP ({mdf})")]
    OverRapMdf { mdf: Money },
    #[error("the exemption has not been approved by both the Manager and the CxO")]
    ExemptionNotApproved,
    #[error("the request exceeds the partner's available allocation ({available})")]
    OverAvailableAllocation { available: Money },
    #[error("activity {0} has already been decided")]
    ActivityAlreadyDecided(ActivityId),
    #[error("the approved amount exceeds the {requested} requested")]
    ApprovedAboveRequested { requested: Money },
    #[error("activity {0} was not approved")]
    ActivityNotApproved(ActivityId),
    #[error("a claim for activity {0} was already submitted")]
    ClaimExists(ActivityId),
    #[error("the claim exceeds the {approved} approved for the activity")]
    ClaimAboveApproved { approved: Money },
    #[error("no claim for activity {0}")]
    ClaimNotFound(ActivityId),
    #[error("cannot {action} a claim that is {status:?}")]
    ClaimWrongStatus {
        action: &'static str,
        status: ClaimStatus,
    },
    #[error("proof of performance comes after the activity, which starts on {starts_on}")]
    ProofBeforeActivity { starts_on: NaiveDate },
    #[error(
        "the claim for activity {0} has no accepted proof of performance: it cannot be reimbursed"
    )]
    ClaimNotAccepted(ActivityId),
    #[error("the payment exceeds the accepted claim for activity {activity_id}: {outstanding} is outstanding")]
    PaymentAboveAccepted {
        activity_id: ActivityId,
        outstanding: Money,
    },
    #[error("a payment with this reference was already recorded")]
    DuplicatePaymentReference,
    #[error("a payment settles at least one claim")]
    NoSettlements,
}

impl Rejection for MdfError {
    fn kind(&self) -> RejectionKind {
        use MdfError as E;
        let invalid = |field| RejectionKind::Invalid { field };
        match self {
            E::Forbidden(_)
            | E::SelfApproval
            | E::SameApproverTwice
            | E::WrongApproverRole { .. }
            | E::ApproverOutsideTerritory { .. }
            | E::InvalidDelegation => RejectionKind::Forbidden,
            E::BudgetNotSet
            | E::AllocationNotFound
            | E::RequestNotFound
            | E::ActivityNotFound(_)
            | E::ClaimNotFound(_) => RejectionKind::NotFound,
            E::BudgetAlreadySet
            | E::AllocationExists
            | E::PartnerOffboarded
            | E::ExemptionNotPending { .. }
            | E::RequestExists
            | E::RequestWrongStatus { .. }
            | E::ActivityExists
            | E::ActivityAlreadyDecided(_)
            | E::ActivityNotApproved(_)
            | E::ClaimExists(_)
            | E::ClaimWrongStatus { .. }
            | E::ProofBeforeActivity { .. }
            | E::ClaimNotAccepted(_)
            | E::DuplicatePaymentReference => RejectionKind::Conflict,
            E::NotPositive { field } => invalid(field),
            E::MissingExchangeRate { .. } | E::ExchangeRateMismatch { .. } => invalid("rate"),
            E::Money(_)
            | E::OverTierCap { .. }
            | E::OverBudget { .. }
            | E::OverRapMdf { .. }
            | E::OverAvailableAllocation { .. }
            | E::ApprovedAboveRequested { .. }
            | E::ClaimAboveApproved { .. }
            | E::PaymentAboveAccepted { .. } => invalid("amount"),
            E::NoActivities => invalid("activities"),
            E::LatePlan { .. } => invalid("late_reason"),
            E::SourceMismatch | E::SourceOfAnotherPartner | E::ExemptionNotApproved => {
                invalid("source")
            }
            E::RapNotActive => invalid("rap_id"),
            E::NoNamedAccounts | E::NamedAccountNotInRap { .. } => invalid("named_accounts"),
            E::NoSettlements => invalid("settlements"),
        }
    }

    fn code(&self) -> &'static str {
        use MdfError as E;
        match self {
            E::Forbidden(_) => "forbidden",
            E::SelfApproval => "self-approval",
            E::SameApproverTwice => "same-approver-twice",
            E::WrongApproverRole { .. } => "wrong-approver-role",
            E::ApproverOutsideTerritory { .. } => "approver-outside-territory",
            E::InvalidDelegation => "invalid-delegation",
            E::NotPositive { .. } => "amount-not-positive",
            E::MissingExchangeRate { .. } => "exchange-rate-missing",
            E::ExchangeRateMismatch { .. } => "exchange-rate-mismatch",
            E::Money(_) => "invalid-amount",
            E::BudgetNotSet => "budget-not-set",
            E::BudgetAlreadySet => "budget-already-set",
            E::AllocationExists => "allocation-already-exists",
            E::AllocationNotFound => "allocation-not-found",
            E::OverTierCap { .. } => "over-tier-cap",
            E::OverBudget { .. } => "over-program-budget",
            E::PartnerOffboarded => "partner-offboarded",
            E::ExemptionNotPending { .. } => "exemption-not-pending",
            E::RequestExists => "fund-request-already-exists",
            E::RequestNotFound => "fund-request-not-found",
            E::RequestWrongStatus { .. } => "fund-request-wrong-status",
            E::ActivityExists => "activity-already-exists",
            E::ActivityNotFound(_) => "activity-not-found",
            E::NoActivities => "no-activities",
            E::LatePlan { .. } => "activity-plan-too-late",
            E::SourceMismatch => "funding-source-mismatch",
            E::RapNotActive => "rap-not-active",
            E::SourceOfAnotherPartner => "funding-source-of-another-partner",
            E::NoNamedAccounts => "named-accounts-required",
            E::NamedAccountNotInRap { .. } => "named-account-not-in-rap",
            E::OverRapMdf { .. } => "over-rap-mdf",
            E::ExemptionNotApproved => "exemption-not-approved",
            E::OverAvailableAllocation { .. } => "over-available-allocation",
            E::ActivityAlreadyDecided(_) => "activity-already-decided",
            E::ApprovedAboveRequested { .. } => "approved-above-requested",
            E::ActivityNotApproved(_) => "activity-not-approved",
            E::ClaimExists(_) => "claim-already-submitted",
            E::ClaimAboveApproved { .. } => "claim-above-approved",
            E::ClaimNotFound(_) => "claim-not-found",
            E::ClaimWrongStatus { .. } => "claim-wrong-status",
            E::ProofBeforeActivity { .. } => "proof-before-activity",
            E::ClaimNotAccepted(_) => "claim-not-accepted",
            E::PaymentAboveAccepted { .. } => "payment-above-accepted-claim",
            E::DuplicatePaymentReference => "duplicate-payment-reference",
            E::NoSettlements => "no-settlements",
        }
    }
}
