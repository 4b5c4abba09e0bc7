//! The request bodies of the RAP commands. Each refuses unknown fields and parses into the
//! domain's values (money, domains, reasons, quarters) so a bad value is a 422 naming its field;
//! each carries the optional `effective_at` and `backdate_reason` of every command.

use channel_ledger_domain::approval::ApprovalStep;
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::rap::{
    AccountDomain, NamedAccountStatus, NamedAccountTarget, RapOutcome, RapTerms,
};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::StaffId;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

/// One of the partner's existing customers that would be a net-new logo for the ISV.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedAccountBody {
    pub name: Name,
    /// The customer's internet domain, its identity on the RAP (one entry per domain).
    pub domain: AccountDomain,
}

/// A RAP's commercial terms, edited as a whole. Amounts are integer minor units in the program
/// currency (USD), never negative.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TermsBody {
    pub named_accounts: Vec<NamedAccountBody>,
    /// The ISV's market development funds.
    pub mdf: Money,
    pub partner_contribution: Money,
    pub arr_target: Money,
    /// What the partner expects to earn: the numerator of the partner's ROI.
    pub partner_expected_revenue: Money,
    /// Why MDF above the tier's quarterly cap is worth it; required exactly when it is above.
    pub mdf_exemption: Option<Reason>,
}

impl From<TermsBody> for RapTerms {
    fn from(b: TermsBody) -> Self {
        RapTerms {
            named_accounts: b
                .named_accounts
                .into_iter()
                .map(|a| NamedAccountTarget {
                    name: a.name,
                    domain: a.domain,
                })
                .collect(),
            mdf: b.mdf,
            partner_contribution: b.partner_contribution,
            arr_target: b.arr_target,
            partner_expected_revenue: b.partner_expected_revenue,
            mdf_exemption: b.mdf_exemption,
        }
    }
}

/// Draft a RAP with the partner for one fiscal quarter (PAM or Manager of its territory).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    /// The fiscal quarter, e.g. `FY26 Q2`.
    pub period: FiscalQuarter,
    pub terms: TermsBody,
    /// When it took effect (RFC 3339, UTC); defaults to now, never in the future.
    pub effective_at: Option<DateTime<Utc>>,
    /// Required when `effective_at` is more than five minutes in the past.
    pub backdate_reason: Option<String>,
}

/// Replace the terms of a Draft, or of a Rejected RAP (which returns it to Draft).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Revise {
    pub terms: TermsBody,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Send the terms for approval (the partner's PAM); the economics are frozen as agreed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Submit {
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Approve the pending step: `Manager` (a Manager of the partner's territory), then `CxO`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approve {
    pub step: ApprovalStep,
    pub comment: Option<Reason>,
    /// The staff id of the approver the caller stands in for; needs their delegation in force.
    pub on_behalf_of: Option<StaffId>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Turn down the pending step, with the reason the partner and the PAM will read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reject {
    pub step: ApprovalStep,
    pub reason: Reason,
    pub on_behalf_of: Option<StaffId>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// New terms for an Active RAP; the approved terms stay in force until both sign-offs.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeAmendment {
    pub terms: TermsBody,
    pub reason: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Move a named account one stage on: Identified → Qualified → InProgress.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Advance {
    pub to: NamedAccountStatus,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Record a named account (In Progress) as won, with the ARR it brought.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Win {
    pub arr: Money,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Record a named account as lost, with the reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Lose {
    pub reason: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Close an Active RAP with its outcome and a note saying why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Close {
    pub outcome: RapOutcome,
    pub note: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}
