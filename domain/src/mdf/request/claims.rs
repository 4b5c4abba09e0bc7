//! After approval: a claim per approved activity (at most the approved amount), proof of
//! performance once the activity has started, its review, and payments that settle accepted
//! claims and never more.

use std::collections::BTreeMap;

use chrono::Duration;

use super::command::Settlement;
use super::REIMBURSEMENT_SLA_DAYS;
use super::{Claim, ClaimStatus, Ctx, FundRequestEvent as E, FundRequestStatus};
use crate::approval::StaffRef;
use crate::mdf::error::MdfError;
use crate::mdf::facts::positive_program_amount;
use crate::mdf::ids::ActivityId;
use crate::mdf_policy::PROGRAM_CURRENCY;
use crate::money::{ExchangeRate, Money};
use crate::text::{Name, Reason};

impl Ctx<'_> {
    fn approved_request(&self, action: &'static str) -> Result<(), MdfError> {
        self.request
            .require(action, self.request.status == FundRequestStatus::Approved)?;
        self.check_permission()
    }

    fn claim(&self, activity_id: ActivityId) -> Result<&Claim, MdfError> {
        self.request
            .activity(activity_id)?
            .claim
            .as_ref()
            .ok_or(MdfError::ClaimNotFound(activity_id))
    }

    pub(super) fn submit_claim(
        &self,
        activity_id: ActivityId,
        amount: Money,
        rate: Option<ExchangeRate>,
    ) -> Result<Vec<E>, MdfError> {
        self.approved_request("claim against")?;
        let activity = self.request.activity(activity_id)?;
        let approved = activity
            .approved()
            .ok_or(MdfError::ActivityNotApproved(activity_id))?;
        if activity.claim.is_some() {
            return Err(MdfError::ClaimExists(activity_id));
        }
        let amount_program = positive_program_amount(amount, rate.as_ref(), "amount")?;
        if amount_program.minor > approved.minor {
            return Err(MdfError::ClaimAboveApproved { approved });
        }
        Ok(vec![E::ClaimSubmitted {
            activity_id,
            amount,
            rate: (amount.currency != amount_program.currency)
                .then_some(rate)
                .flatten(),
            amount_program,
        }])
    }

    pub(super) fn submit_proof(
        &self,
        activity_id: ActivityId,
        proof: Reason,
    ) -> Result<Vec<E>, MdfError> {
        self.approved_request("submit proof for")?;
        let claim = self.claim(activity_id)?;
        if !matches!(
            claim.status,
            ClaimStatus::AwaitingProof | ClaimStatus::ProofRejected
        ) {
            return Err(MdfError::ClaimWrongStatus {
                action: "submit proof for",
                status: claim.status,
            });
        }
        let starts_on = self.request.activity(activity_id)?.starts_on;
        if self.at.date_naive() < starts_on {
            return Err(MdfError::ProofBeforeActivity { starts_on });
        }
        Ok(vec![E::ProofSubmitted {
            activity_id,
            proof,
            submitted_by: self.actor.staff_id,
            submitted_at: self.at,
        }])
    }

    /// `Ok(comment)` accepts, `Err(reason)` rejects (resubmittable with new proof).
    pub(super) fn review_proof(
        &self,
        activity_id: ActivityId,
        verdict: Result<Option<Reason>, Reason>,
    ) -> Result<Vec<E>, MdfError> {
        self.approved_request("review proof for")?;
        let claim = self.claim(activity_id)?;
        if claim.status != ClaimStatus::ProofSubmitted {
            return Err(MdfError::ClaimWrongStatus {
                action: "review proof for",
                status: claim.status,
            });
        }
        if claim.proof_submitted_by == Some(self.actor.staff_id) {
            return Err(MdfError::SelfApproval);
        }
        let reviewed_by = StaffRef::from(self.actor);
        Ok(vec![match verdict {
            Ok(comment) => E::ProofAccepted {
                activity_id,
                amount: claim.amount_program,
                reviewed_by,
                comment,
                reimbursement_due: self.at + Duration::days(REIMBURSEMENT_SLA_DAYS),
            },
            Err(reason) => E::ProofRejected {
                activity_id,
                reviewed_by,
                reason,
            },
        }])
    }

    pub(super) fn record_payment(
        &self,
        payment_reference: Name,
        settlements: Vec<Settlement>,
        rate: Option<ExchangeRate>,
    ) -> Result<Vec<E>, MdfError> {
        self.approved_request("record a payment for")?;
        if settlements.is_empty() {
            return Err(MdfError::NoSettlements);
        }
        if self
            .request
            .payments
            .iter()
            .any(|p| p.payment_reference == payment_reference)
        {
            return Err(MdfError::DuplicatePaymentReference);
        }
        // Several lines for one claim count together against what is outstanding.
        let mut per_claim: BTreeMap<ActivityId, i64> = BTreeMap::new();
        let mut settled = Vec::with_capacity(settlements.len());
        for s in &settlements {
            let amount = positive_program_amount(s.amount, rate.as_ref(), "amount")?;
            let claim = self.claim(s.activity_id).map_err(|e| match e {
                MdfError::ClaimNotFound(id) => MdfError::ClaimNotAccepted(id),
                other => other,
            })?;
            let accepted = claim
                .accepted()
                .ok_or(MdfError::ClaimNotAccepted(s.activity_id))?;
            let line = per_claim.entry(s.activity_id).or_default();
            *line = line.saturating_add(amount.minor);
            let outstanding = Money::new(accepted.minor - claim.paid.minor, accepted.currency);
            if *line > outstanding.minor {
                return Err(MdfError::PaymentAboveAccepted {
                    activity_id: s.activity_id,
                    outstanding,
                });
            }
            settled.push(Settlement {
                activity_id: s.activity_id,
                amount,
            });
        }
        let foreign = settlements
            .iter()
            .any(|s| s.amount.currency != PROGRAM_CURRENCY);
        Ok(vec![E::PaymentRecorded {
            payment_reference,
            settlements,
            rate: foreign.then_some(rate).flatten(),
            settled,
            paid_at: self.at,
        }])
    }
}
