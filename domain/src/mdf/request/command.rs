//! What staff ask of a fund request.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::approval::Delegation;
use crate::fiscal::FiscalQuarter;
use crate::mdf::facts::{FundingLink, SourceFacts};
use crate::mdf::ids::{ActivityId, FundRequestId};
use crate::money::{ExchangeRate, Money};
use crate::partner::PartnerFacts;
use crate::text::{Name, Reason};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FundRequestCommand {
    /// Opens a request for a partner's MDF in a quarter, linked to a RAP or an exemption.
    Draft {
        request_id: FundRequestId,
        partner: PartnerFacts,
        quarter: FiscalQuarter,
        link: FundingLink,
        title: Name,
        /// Domains of the named accounts the activities target; lower-cased and deduplicated.
        named_accounts: Vec<String>,
    },
    AddActivity(ActivityInput),
    RemoveActivity {
        activity_id: ActivityId,
    },
    /// Submits the activity plan with the facts of its RAP or exemption and the partner's
    /// allocation still available in the quarter: `Allocated(partner, quarter)`'s balance less
    /// the requested totals of the partner's other requests of the quarter awaiting review.
    Submit {
        source: SourceFacts,
        available: Money,
        late_reason: Option<Reason>,
    },
    /// Asks for more information; the request can be edited and resubmitted.
    Return {
        reason: Reason,
    },
    ApproveActivity {
        activity_id: ActivityId,
        /// At most what was requested: in the program currency, or in the activity's currency
        /// (converted at the activity's recorded rate).
        amount: Money,
        on_behalf_of: Option<Delegation>,
        comment: Option<Reason>,
    },
    RejectActivity {
        activity_id: ActivityId,
        on_behalf_of: Option<Delegation>,
        reason: Reason,
    },
    /// Rejects the whole request; it can be edited and resubmitted.
    Reject {
        reason: Reason,
    },
    /// Declines the request for good.
    Decline {
        reason: Reason,
    },
    Withdraw {
        reason: Reason,
    },
    /// Claims reimbursement for an approved activity; a foreign amount needs its date's rate.
    SubmitClaim {
        activity_id: ActivityId,
        amount: Money,
        rate: Option<ExchangeRate>,
    },
    SubmitProof {
        activity_id: ActivityId,
        proof: Reason,
    },
    AcceptProof {
        activity_id: ActivityId,
        comment: Option<Reason>,
    },
    RejectProof {
        activity_id: ActivityId,
        reason: Reason,
    },
    /// One payment settling one or more accepted claims of this request.
    RecordPayment {
        payment_reference: Name,
        settlements: Vec<Settlement>,
        rate: Option<ExchangeRate>,
    },
}

/// An activity of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityInput {
    pub activity_id: ActivityId,
    pub description: Reason,
    pub starts_on: NaiveDate,
    pub requested: Money,
    /// The rate of the transaction date, needed when `requested` is not in the program currency.
    pub rate: Option<ExchangeRate>,
}

/// The part of a payment that settles one activity's claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Settlement {
    pub activity_id: ActivityId,
    pub amount: Money,
}
