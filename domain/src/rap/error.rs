//! Why a RAP command was refused: each refusal its own variant, with a stable code and, for bad
//! input, the field to point at.

use super::terms::AccountDomain;
use super::values::{NamedAccountStatus, RapStatus};
use crate::approval::ApprovalStep;
use crate::money::{Currency, Money};
use crate::partner::Tier;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RapError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("no such RAP")]
    NotFound,
    #[error("this RAP has already been drafted")]
    AlreadyExists,
    #[error("the partner has been offboarded; it gets no RAP")]
    PartnerOffboarded,
    #[error("the partner is classified Zombie (a candidate for removal); it gets no RAP")]
    ZombiePartner,
    #[error("the partner facts are for another partner than this RAP's")]
    PartnerMismatch,
    #[error("a {status} RAP cannot be edited or submitted; only a Draft or Rejected one")]
    NotEditable { status: RapStatus },
    #[error("only an Active RAP accepts this; this one is {status}")]
    NotActive { status: RapStatus },
    #[error("an amendment is waiting for approval; it must be decided first")]
    AmendmentPending,
    #[error("nothing on this RAP is waiting for approval")]
    NothingToApprove,
    #[error("the {step:?} step is not the one waiting for a decision")]
    StepNotPending { step: ApprovalStep },
    #[error("the CxO decides only after a Manager of the partner's territory has approved")]
    CxoBeforeManager,
    #[error("the delegation does not cover this approval: it must name the approver as delegate and be in force at the time")]
    InvalidDelegation,
    #[error("nobody approves their own submission, in person or through a delegate")]
    SelfApproval,
    #[error("the CxO approval needs someone other than the Manager approver")]
    SameApproverTwice,
    #[error("a decision cannot take effect before {requested_at}, when the step became pending")]
    DecidedBeforeRequested {
        requested_at: chrono::DateTime<chrono::Utc>,
    },
    #[error("`{field}` must not be negative")]
    NegativeAmount { field: &'static str },
    #[error("`{field}` is in {found}; RAP amounts are in the program currency, {expected}")]
    CurrencyMismatch {
        field: &'static str,
        expected: Currency,
        found: Currency,
    },
    #[error("`{field}` is out of range")]
    AmountOutOfRange { field: &'static str },
    #[error("`{0}` is not a customer domain like northwind.example")]
    InvalidAccountDomain(String),
    #[error("{0} is a named account twice; each domain is targeted once")]
    DuplicateNamedAccount(AccountDomain),
    #[error("a RAP targets at most {max} named accounts")]
    TooManyNamedAccounts { max: usize },
    #[error("a RAP is submitted with at least one named account")]
    NoNamedAccounts,
    #[error(
        "{0} is a named account of the approved terms; close it as Lost rather than dropping it"
    )]
    NamedAccountDropped(AccountDomain),
    #[error("the proposed amendment is the same as the terms in force")]
    AmendmentUnchanged,
    #[error("a {tier} partner contributes at least {minimum} beside this MDF")]
    PartnerContributionBelowMatch { tier: Tier, minimum: Money },
    #[error("MDF above the {tier} quarterly cap of {cap} needs an MDF exemption justification")]
    MdfAboveCap { tier: Tier, cap: Money },
    #[error("{0} is not a named account of this RAP")]
    UnknownNamedAccount(AccountDomain),
    #[error("{domain} is already {status}")]
    NamedAccountClosed {
        domain: AccountDomain,
        status: NamedAccountStatus,
    },
    #[error("a named account moves Identified → Qualified → In Progress one stage at a time, then Won or Lost by their own commands: not from {from} to {to}")]
    NamedAccountOutOfOrder {
        from: NamedAccountStatus,
        to: NamedAccountStatus,
    },
    #[error("a won named account has a positive ARR")]
    WonArrNotPositive,
}

impl Rejection for RapError {
    fn kind(&self) -> RejectionKind {
        use RapError as E;
        let invalid = |field| RejectionKind::Invalid { field };
        match self {
            E::Forbidden(_) | E::InvalidDelegation | E::SelfApproval | E::SameApproverTwice => {
                RejectionKind::Forbidden
            }
            E::NotFound | E::UnknownNamedAccount(_) => RejectionKind::NotFound,
            E::AlreadyExists
            | E::PartnerOffboarded
            | E::ZombiePartner
            | E::NotEditable { .. }
            | E::NotActive { .. }
            | E::AmendmentPending
            | E::NothingToApprove
            | E::StepNotPending { .. }
            | E::CxoBeforeManager
            | E::NamedAccountClosed { .. } => RejectionKind::Conflict,
            E::PartnerMismatch => invalid("partner_id"),
            E::DecidedBeforeRequested { .. } => invalid("effective_at"),
            E::NegativeAmount { field }
            | E::CurrencyMismatch { field, .. }
            | E::AmountOutOfRange { field } => invalid(field),
            E::InvalidAccountDomain(_)
            | E::DuplicateNamedAccount(_)
            | E::TooManyNamedAccounts { .. }
            | E::NoNamedAccounts
            | E::NamedAccountDropped(_) => invalid("named_accounts"),
            E::AmendmentUnchanged => invalid("terms"),
            E::PartnerContributionBelowMatch { .. } => invalid("partner_contribution"),
            E::MdfAboveCap { .. } => invalid("mdf"),
            E::NamedAccountOutOfOrder { .. } => invalid("status"),
            E::WonArrNotPositive => invalid("arr"),
        }
    }

    fn code(&self) -> &'static str {
        use RapError as E;
        match self {
            E::Forbidden(_) => "forbidden",
            E::NotFound => "rap-not-found",
            E::AlreadyExists => "rap-already-exists",
            E::PartnerOffboarded => "partner-offboarded",
            E::ZombiePartner => "zombie-partner",
            E::PartnerMismatch => "partner-mismatch",
            E::NotEditable { .. } => "rap-not-editable",
            E::NotActive { .. } => "rap-not-active",
            E::AmendmentPending => "amendment-pending",
            E::NothingToApprove => "no-pending-approval",
            E::StepNotPending { .. } => "approval-step-not-pending",
            E::CxoBeforeManager => "cxo-before-manager",
            E::InvalidDelegation => "invalid-delegation",
            E::SelfApproval => "self-approval",
            E::SameApproverTwice => "same-approver-twice",
            E::DecidedBeforeRequested { .. } => "decided-before-requested",
            E::NegativeAmount { .. } => "negative-amount",
            E::CurrencyMismatch { .. } => "currency-mismatch",
            E::AmountOutOfRange { .. } => "amount-out-of-range",
            E::InvalidAccountDomain(_) => "invalid-account-domain",
            E::DuplicateNamedAccount(_) => "duplicate-named-account",
            E::TooManyNamedAccounts { .. } => "too-many-named-accounts",
            E::NoNamedAccounts => "no-named-accounts",
            E::NamedAccountDropped(_) => "named-account-dropped",
            E::AmendmentUnchanged => "amendment-unchanged",
            E::PartnerContributionBelowMatch { .. } => "partner-contribution-below-match",
            E::MdfAboveCap { .. } => "mdf-above-cap",
            E::UnknownNamedAccount(_) => "named-account-not-found",
            E::NamedAccountClosed { .. } => "named-account-closed",
            E::NamedAccountOutOfOrder { .. } => "named-account-out-of-order",
            E::WonArrNotPositive => "won-arr-not-positive",
        }
    }
}
