//! What happened to a RAP. Each event carries what `apply` needs (who submitted and when, the
//! approval records), because `apply` never sees the metadata.

use chrono::{DateTime, Utc};
use cqrs_es::DomainEvent;
use serde::{Deserialize, Serialize};

use super::approving::Submission;
use super::terms::{AccountDomain, RapTerms};
use super::values::{NamedAccountStatus, RapId, RapOutcome};
use crate::actor::Territory;
use crate::approval::ApprovalRecord;
use crate::fiscal::FiscalQuarter;
use crate::money::Money;
use crate::partner::{PartnerId, Tier};
use crate::text::{Name, Reason};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RapEvent {
    RapDrafted {
        rap_id: RapId,
        partner_id: PartnerId,
        partner_name: Name,
        territory: Territory,
        tier: Tier,
        period: FiscalQuarter,
        title: String,
        terms: RapTerms,
    },
    RapRevised {
        terms: RapTerms,
    },
    /// The draft terms went for approval, with their economics as agreed.
    RapSubmitted {
        submission: Submission,
    },
    RapApprovedByManager {
        approval: ApprovalRecord,
        /// The approver also signed off the MDF exemption the terms carry.
        mdf_exemption_signed_off: bool,
    },
    /// The proposal was turned down at either step.
    RapRejected {
        approval: ApprovalRecord,
    },
    /// The CxO approved: the terms are in force as version 1.
    RapActivated {
        approval: ApprovalRecord,
        mdf_exemption_signed_off: bool,
        version: u32,
    },
    RapAmendmentProposed {
        submission: Submission,
        terms: RapTerms,
        reason: Reason,
    },
    RapAmendmentApprovedByManager {
        approval: ApprovalRecord,
        mdf_exemption_signed_off: bool,
    },
    /// The CxO approved the amendment: its terms replace those in force as `version`.
    RapAmendmentApproved {
        approval: ApprovalRecord,
        mdf_exemption_signed_off: bool,
        version: u32,
    },
    /// The amendment was turned down; the approved terms stay in force.
    RapAmendmentRejected {
        approval: ApprovalRecord,
    },
    NamedAccountAdvanced {
        domain: AccountDomain,
        from: NamedAccountStatus,
        to: NamedAccountStatus,
    },
    NamedAccountWon {
        domain: AccountDomain,
        from: NamedAccountStatus,
        arr: Money,
    },
    NamedAccountLost {
        domain: AccountDomain,
        from: NamedAccountStatus,
        reason: Reason,
    },
    RapClosed {
        outcome: RapOutcome,
        note: Reason,
        /// The ARR of the won named accounts when it closed.
        arr_won: Money,
        closed_at: DateTime<Utc>,
    },
}

impl DomainEvent for RapEvent {
    fn event_type(&self) -> String {
        match self {
            RapEvent::RapDrafted { .. } => "RapDrafted",
            RapEvent::RapRevised { .. } => "RapRevised",
            RapEvent::RapSubmitted { .. } => "RapSubmitted",
            RapEvent::RapApprovedByManager { .. } => "RapApprovedByManager",
            RapEvent::RapRejected { .. } => "RapRejected",
            RapEvent::RapActivated { .. } => "RapActivated",
            RapEvent::RapAmendmentProposed { .. } => "RapAmendmentProposed",
            RapEvent::RapAmendmentApprovedByManager { .. } => "RapAmendmentApprovedByManager",
            RapEvent::RapAmendmentApproved { .. } => "RapAmendmentApproved",
            RapEvent::RapAmendmentRejected { .. } => "RapAmendmentRejected",
            RapEvent::NamedAccountAdvanced { .. } => "NamedAccountAdvanced",
            RapEvent::NamedAccountWon { .. } => "NamedAccountWon",
            RapEvent::NamedAccountLost { .. } => "NamedAccountLost",
            RapEvent::RapClosed { .. } => "RapClosed",
        }
        .to_owned()
    }

    fn event_version(&self) -> String {
        "1".to_owned()
    }
}
