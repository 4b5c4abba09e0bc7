//! Facts from other streams that a fund request needs, resolved by the server as of the
//! decision's effective time, and the currency rule every amount goes through.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::error::MdfError;
use super::ids::AllocationId;
use crate::fiscal::FiscalQuarter;
use crate::mdf_policy::PROGRAM_CURRENCY;
use crate::money::{ExchangeRate, Money};
use crate::partner::PartnerId;
use crate::rap::{RapPlan, RapStatus};

/// A RAP as it stood when the request was submitted. The RAP aggregate lives elsewhere; only
/// these facts matter here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RapFacts {
    pub rap_id: Uuid,
    pub partner_id: PartnerId,
    /// CxO-approved and not closed.
    pub active: bool,
    /// Domains of the RAP's named account targets.
    pub named_account_domains: Vec<String>,
    /// The ISV MDF approved in the RAP: no single request may exceed it.
    pub mdf: Money,
}

impl RapFacts {
    /// What a fund request needs of `plan`, the RAP as it stands.
    pub fn of(plan: &RapPlan) -> Self {
        Self {
            rap_id: plan.rap_id.0,
            partner_id: plan.partner_id,
            active: plan.status == RapStatus::Active,
            named_account_domains: plan
                .terms
                .named_accounts
                .iter()
                .map(|a| a.domain.as_str().to_owned())
                .collect(),
            mdf: plan.terms.mdf,
        }
    }
}

/// An exemption allocation as the quarter's [`ProgramBudget`](super::ProgramBudget) knows it
/// (see `ProgramBudget::exemption_facts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExemptionFacts {
    pub allocation_id: AllocationId,
    pub partner_id: PartnerId,
    pub quarter: FiscalQuarter,
    /// Signed by both the Manager and the CxO.
    pub approved: bool,
    pub amount: Money,
}

/// What a fund request draws on: every MDF dollar traces to a RAP or an exemption.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum FundingLink {
    Rap { rap_id: Uuid },
    Exemption { allocation_id: AllocationId },
}

/// The facts of the linked RAP or exemption at submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SourceFacts {
    Rap(RapFacts),
    Exemption(ExemptionFacts),
}

impl SourceFacts {
    pub fn link(&self) -> FundingLink {
        match self {
            SourceFacts::Rap(r) => FundingLink::Rap { rap_id: r.rap_id },
            SourceFacts::Exemption(e) => FundingLink::Exemption {
                allocation_id: e.allocation_id,
            },
        }
    }
}

/// `amount` in the program currency: as is when already in it (any rate is then ignored),
/// otherwise converted at `rate`, the rate of the transaction's date, which must convert from the
/// amount's currency into the program currency. Refuses a currency mix without a rate.
pub fn in_program_currency(amount: Money, rate: Option<&ExchangeRate>) -> Result<Money, MdfError> {
    if amount.currency == PROGRAM_CURRENCY {
        return Ok(amount);
    }
    let rate = rate.ok_or(MdfError::MissingExchangeRate {
        currency: amount.currency,
    })?;
    if rate.from != amount.currency || rate.to != PROGRAM_CURRENCY {
        return Err(MdfError::ExchangeRateMismatch {
            currency: amount.currency,
        });
    }
    Ok(rate.convert(amount)?)
}

/// A positive amount in the program currency, converted when needed; `field` names it in errors.
pub(crate) fn positive_program_amount(
    amount: Money,
    rate: Option<&ExchangeRate>,
    field: &'static str,
) -> Result<Money, MdfError> {
    if amount.minor <= 0 {
        return Err(MdfError::NotPositive { field });
    }
    let converted = in_program_currency(amount, rate)?;
    if converted.minor <= 0 {
        return Err(MdfError::NotPositive { field });
    }
    Ok(converted)
}
