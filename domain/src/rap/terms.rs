//! A RAP's commercial terms, edited as a whole: named account targets, the co-investment, the
//! ARR target and the partner's expected revenue. Checked here against the value rules (program
//! currency, no negatives, one entry per domain) and against the partner tier's MDF policy.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::error::RapError;
use super::values::RapEconomics;
use crate::mdf_policy::{tier_policy, PROGRAM_CURRENCY};
use crate::money::Money;
use crate::partner::Tier;
use crate::text::{Name, Reason};

/// More targets than a quarter can work is a data-entry slip, and it bounds event size.
pub const MAX_NAMED_ACCOUNTS: usize = 200;

/// A customer's internet domain, e.g. `northwind.example`: the identity of a named account.
/// Lower-cased, without a trailing dot; an ASCII hostname of at least two labels (IDNs in their
/// punycode form), so two spellings of one company cannot both be targeted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "northwind.example"))]
#[serde(try_from = "String", into = "String")]
pub struct AccountDomain(String);

impl AccountDomain {
    pub fn parse(s: &str) -> Result<Self, RapError> {
        let d = s.trim().trim_end_matches('.').to_ascii_lowercase();
        let label_ok = |l: &str| {
            (1..=63).contains(&l.len())
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        let labels: Vec<&str> = d.split('.').collect();
        // An all-digit last label would let an IP address pass as a customer domain.
        let tld_ok = labels
            .last()
            .is_some_and(|t| !t.bytes().all(|b| b.is_ascii_digit()));
        if d.len() > 253 || labels.len() < 2 || !labels.iter().all(|l| label_ok(l)) || !tld_ok {
            return Err(RapError::InvalidAccountDomain(s.trim().to_owned()));
        }
        Ok(Self(d))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for AccountDomain {
    type Error = RapError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<AccountDomain> for String {
    fn from(d: AccountDomain) -> Self {
        d.0
    }
}

impl fmt::Display for AccountDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One of the partner's existing customers that would be a net-new logo for the ISV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedAccountTarget {
    pub name: Name,
    pub domain: AccountDomain,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RapTerms {
    pub named_accounts: Vec<NamedAccountTarget>,
    /// The ISV's market development funds.
    pub mdf: Money,
    pub partner_contribution: Money,
    pub arr_target: Money,
    /// What the partner expects to earn: the numerator of the partner's ROI.
    pub partner_expected_revenue: Money,
    /// Why MDF above the tier's quarterly cap is worth it; required exactly when it is above.
    pub mdf_exemption: Option<Reason>,
}

/// What the tier policy said of a set of terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyCheck {
    pub quarterly_cap: Money,
    /// The MDF is above the cap, so the approvers sign off the exemption too.
    pub exemption_required: bool,
}

impl RapTerms {
    /// The amounts by the name of their field, for errors that must name it.
    fn amounts(&self) -> [(&'static str, Money); 4] {
        [
            ("mdf", self.mdf),
            ("partner_contribution", self.partner_contribution),
            ("arr_target", self.arr_target),
            ("partner_expected_revenue", self.partner_expected_revenue),
        ]
    }

    /// GTM budget = ISV MDF + partner contribution.
    pub fn gtm_budget(&self) -> Result<Money, RapError> {
        self.mdf
            .checked_add(self.partner_contribution)
            .map_err(|_| RapError::AmountOutOfRange {
                field: "partner_contribution",
            })
    }

    /// The value rules, independent of the partner.
    pub fn check(&self) -> Result<(), RapError> {
        for (field, amount) in self.amounts() {
            check_amount(field, amount)?;
        }
        if self.named_accounts.len() > MAX_NAMED_ACCOUNTS {
            return Err(RapError::TooManyNamedAccounts {
                max: MAX_NAMED_ACCOUNTS,
            });
        }
        let mut seen = HashSet::new();
        for target in &self.named_accounts {
            if !seen.insert(&target.domain) {
                return Err(RapError::DuplicateNamedAccount(target.domain.clone()));
            }
        }
        self.gtm_budget().map(drop)
    }

    /// The tier's partner match and quarterly MDF cap (design.md §2).
    pub fn check_policy(&self, tier: Tier) -> Result<PolicyCheck, RapError> {
        let policy = tier_policy(tier);
        let minimum = policy.minimum_partner_contribution(self.mdf);
        if self.partner_contribution.minor < minimum.minor {
            return Err(RapError::PartnerContributionBelowMatch { tier, minimum });
        }
        let exemption_required = !policy.within_cap(self.mdf);
        if exemption_required && self.mdf_exemption.is_none() {
            return Err(RapError::MdfAboveCap {
                tier,
                cap: policy.quarterly_cap,
            });
        }
        Ok(PolicyCheck {
            quarterly_cap: policy.quarterly_cap,
            exemption_required,
        })
    }

    /// The modelled economics, as they will be stored "as agreed".
    pub fn economics(&self) -> Result<RapEconomics, RapError> {
        Ok(RapEconomics {
            gtm_budget: self.gtm_budget()?,
            isv_roi_bps: ratio_bps(self.arr_target, self.mdf, "arr_target")?,
            partner_roi_bps: ratio_bps(
                self.partner_expected_revenue,
                self.partner_contribution,
                "partner_expected_revenue",
            )?,
        })
    }
}

/// Program currency and not negative: what every amount a person enters on a RAP must be.
pub(super) fn check_amount(field: &'static str, amount: Money) -> Result<(), RapError> {
    if amount.currency != PROGRAM_CURRENCY {
        return Err(RapError::CurrencyMismatch {
            field,
            expected: PROGRAM_CURRENCY,
            found: amount.currency,
        });
    }
    if amount.minor < 0 {
        return Err(RapError::NegativeAmount { field });
    }
    Ok(())
}

/// `num ÷ den` in basis points, rounded down; `None` when `den` is zero.
fn ratio_bps(num: Money, den: Money, field: &'static str) -> Result<Option<i64>, RapError> {
    if den.minor == 0 {
        return Ok(None);
    }
    let bps = i128::from(num.minor) * 10_000 / i128::from(den.minor);
    i64::try_from(bps)
        .map(Some)
        .map_err(|_| RapError::AmountOutOfRange { field })
}
