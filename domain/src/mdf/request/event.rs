//! What happened to a fund request. Amounts that feed the ledger are carried in the program
//! currency on the event itself, next to the original amount and rate, so the ledger is a pure
//! function of the events.

use chrono::{DateTime, NaiveDate, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::command::Settlement;
use crate::actor::{StaffId, Territory};
use crate::approval::{ApprovalRecord, StaffRef};
use crate::fiscal::FiscalQuarter;
use crate::mdf::facts::{FundingLink, SourceFacts};
use crate::mdf::ids::{ActivityId, FundRequestId};
use crate::money::{ExchangeRate, Money};
use crate::partner::PartnerId;
use crate::text::{Name, Reason};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FundRequestEvent {
    FundRequestDrafted {
        request_id: FundRequestId,
        partner_id: PartnerId,
        partner_name: Name,
        territory: Territory,
        quarter: FiscalQuarter,
        link: FundingLink,
        title: Name,
        named_accounts: Vec<String>,
    },
    ActivityAdded {
        activity_id: ActivityId,
        description: Reason,
        starts_on: NaiveDate,
        requested: Money,
        rate: Option<ExchangeRate>,
        requested_program: Money,
    },
    ActivityRemoved {
        activity_id: ActivityId,
    },
    FundRequestSubmitted {
        submitted_by: StaffRef,
        submitted_at: DateTime<Utc>,
        approval_due: DateTime<Utc>,
        late_reason: Option<Reason>,
        requested_total: Money,
        /// The RAP or exemption as it stood at submission.
        source: SourceFacts,
        available: Money,
    },
    FundRequestReturned {
        reason: Reason,
    },
    ActivityApproved {
        activity_id: ActivityId,
        amount: Money,
        record: ApprovalRecord,
    },
    ActivityRejected {
        activity_id: ActivityId,
        record: ApprovalRecord,
    },
    /// Every activity decided, at least one approved: the approved amounts are committed.
    FundRequestApproved {
        commitments: Vec<Settlement>,
        total: Money,
    },
    FundRequestRejected {
        reason: Reason,
    },
    FundRequestDeclined {
        reason: Reason,
    },
    FundRequestWithdrawn {
        reason: Reason,
    },
    ClaimSubmitted {
        activity_id: ActivityId,
        amount: Money,
        rate: Option<ExchangeRate>,
        amount_program: Money,
    },
    ProofSubmitted {
        activity_id: ActivityId,
        proof: Reason,
        submitted_by: StaffId,
        submitted_at: DateTime<Utc>,
    },
    ProofAccepted {
        activity_id: ActivityId,
        /// The claim's amount in the program currency, now payable.
        amount: Money,
        reviewed_by: StaffRef,
        comment: Option<Reason>,
        reimbursement_due: DateTime<Utc>,
    },
    ProofRejected {
        activity_id: ActivityId,
        reviewed_by: StaffRef,
        reason: Reason,
    },
    PaymentRecorded {
        payment_reference: Name,
        /// As given, in the payment's currency.
        settlements: Vec<Settlement>,
        rate: Option<ExchangeRate>,
        /// In the program currency.
        settled: Vec<Settlement>,
        paid_at: DateTime<Utc>,
    },
}

impl DomainEvent for FundRequestEvent {
    fn event_type(&self) -> String {
        use FundRequestEvent as E;
        match self {
            E::FundRequestDrafted { .. } => "MdfFundRequestDrafted",
            E::ActivityAdded { .. } => "MdfActivityAdded",
            E::ActivityRemoved { .. } => "MdfActivityRemoved",
            E::FundRequestSubmitted { .. } => "MdfFundRequestSubmitted",
            E::FundRequestReturned { .. } => "MdfFundRequestReturned",
            E::ActivityApproved { .. } => "MdfActivityApproved",
            E::ActivityRejected { .. } => "MdfActivityRejected",
            E::FundRequestApproved { .. } => "MdfFundRequestApproved",
            E::FundRequestRejected { .. } => "MdfFundRequestRejected",
            E::FundRequestDeclined { .. } => "MdfFundRequestDeclined",
            E::FundRequestWithdrawn { .. } => "MdfFundRequestWithdrawn",
            E::ClaimSubmitted { .. } => "MdfClaimSubmitted",
            E::ProofSubmitted { .. } => "MdfProofSubmitted",
            E::ProofAccepted { .. } => "MdfProofAccepted",
            E::ProofRejected { .. } => "MdfProofRejected",
            E::PaymentRecorded { .. } => "MdfPaymentRecorded",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
