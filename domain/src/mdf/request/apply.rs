//! Folding a fund request's events into its state: pure and infallible.

use super::{
    Activity, ActivityDecision, Claim, ClaimStatus, FundRequest, FundRequestEvent as E,
    FundRequestStatus as S, Payment, RequestDetails,
};
use crate::mdf_policy::PROGRAM_CURRENCY;
use crate::money::Money;

pub(super) fn apply(request: &mut FundRequest, event: E) {
    if let E::FundRequestDrafted {
        request_id,
        partner_id,
        partner_name,
        territory,
        quarter,
        link,
        title,
        named_accounts,
    } = event
    {
        request.details = Some(RequestDetails {
            request_id,
            partner_id,
            partner_name,
            territory,
            quarter,
            link,
            title,
            named_accounts,
            status: S::Draft,
            activities: Vec::new(),
            submitted_by: None,
            submitted_at: None,
            approval_due: None,
            late_reason: None,
            status_reason: None,
            approvals: Vec::new(),
            payments: Vec::new(),
        });
        return;
    }
    let Some(r) = &mut request.details else {
        return;
    };
    match event {
        E::FundRequestDrafted { .. } => {}
        E::ActivityAdded {
            activity_id,
            description,
            starts_on,
            requested,
            rate,
            requested_program,
        } => r.activities.push(Activity {
            activity_id,
            description,
            starts_on,
            requested,
            rate,
            requested_program,
            decision: ActivityDecision::Pending,
            claim: None,
        }),
        E::ActivityRemoved { activity_id } => r.activities.retain(|a| a.activity_id != activity_id),
        E::FundRequestSubmitted {
            submitted_by,
            submitted_at,
            approval_due,
            late_reason,
            ..
        } => {
            r.status = S::Submitted;
            r.submitted_by = Some(submitted_by);
            r.submitted_at = Some(submitted_at);
            r.approval_due = Some(approval_due);
            r.late_reason = late_reason;
            r.status_reason = None;
            // A resubmission is decided afresh.
            for a in &mut r.activities {
                a.decision = ActivityDecision::Pending;
            }
        }
        E::ActivityApproved {
            activity_id,
            amount,
            record,
        } => {
            if let Some(a) = activity(r, activity_id) {
                a.decision = ActivityDecision::Approved { amount };
            }
            r.approvals.push(record);
        }
        E::ActivityRejected {
            activity_id,
            record,
        } => {
            if let (Some(a), Some(reason)) = (activity(r, activity_id), record.comment.clone()) {
                a.decision = ActivityDecision::Rejected { reason };
            }
            r.approvals.push(record);
        }
        E::FundRequestApproved { .. } => close(r, S::Approved, None),
        E::FundRequestReturned { reason } => close(r, S::Returned, Some(reason)),
        E::FundRequestRejected { reason } => close(r, S::Rejected, Some(reason)),
        E::FundRequestDeclined { reason } => close(r, S::Declined, Some(reason)),
        E::FundRequestWithdrawn { reason } => close(r, S::Withdrawn, Some(reason)),
        E::ClaimSubmitted {
            activity_id,
            amount,
            rate,
            amount_program,
        } => {
            if let Some(a) = activity(r, activity_id) {
                a.claim = Some(Claim {
                    amount,
                    rate,
                    amount_program,
                    status: ClaimStatus::AwaitingProof,
                    proof: None,
                    proof_submitted_by: None,
                    review_reason: None,
                    reimbursement_due: None,
                    paid: Money::zero(PROGRAM_CURRENCY),
                });
            }
        }
        E::ProofSubmitted {
            activity_id,
            proof,
            submitted_by,
            ..
        } => {
            if let Some(c) = claim(r, activity_id) {
                c.status = ClaimStatus::ProofSubmitted;
                c.proof = Some(proof);
                c.proof_submitted_by = Some(submitted_by);
            }
        }
        E::ProofAccepted {
            activity_id,
            reimbursement_due,
            comment,
            ..
        } => {
            if let Some(c) = claim(r, activity_id) {
                c.status = ClaimStatus::Accepted;
                c.review_reason = comment;
                c.reimbursement_due = Some(reimbursement_due);
            }
        }
        E::ProofRejected {
            activity_id,
            reason,
            ..
        } => {
            if let Some(c) = claim(r, activity_id) {
                c.status = ClaimStatus::ProofRejected;
                c.review_reason = Some(reason);
            }
        }
        E::PaymentRecorded {
            payment_reference,
            settled,
            paid_at,
            ..
        } => {
            for s in &settled {
                if let Some(c) = claim(r, s.activity_id) {
                    c.paid =
                        Money::new(c.paid.minor.saturating_add(s.amount.minor), c.paid.currency);
                    if c.paid.minor >= c.amount_program.minor {
                        c.status = ClaimStatus::Paid;
                        c.reimbursement_due = None;
                    }
                }
            }
            r.payments.push(Payment {
                payment_reference,
                settled,
                paid_at,
            });
        }
    }
}

fn close(r: &mut RequestDetails, status: S, reason: Option<crate::text::Reason>) {
    r.status = status;
    r.status_reason = reason;
    r.approval_due = None;
}

fn activity(r: &mut RequestDetails, id: crate::mdf::ids::ActivityId) -> Option<&mut Activity> {
    r.activities.iter_mut().find(|a| a.activity_id == id)
}

fn claim(r: &mut RequestDetails, id: crate::mdf::ids::ActivityId) -> Option<&mut Claim> {
    activity(r, id).and_then(|a| a.claim.as_mut())
}
