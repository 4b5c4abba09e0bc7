//! Sentences of MDF events: program budgets, exemptions and fund requests.

use channel_ledger_domain::mdf::{FundRequestEvent as F, ProgramBudgetEvent as B};
use channel_ledger_domain::money::Money;

use super::{day, money};
use crate::model::ProgramModel;

pub(super) fn budget(ev: &B, quarter: &str, model: &ProgramModel) -> String {
    let partner = |id: &channel_ledger_domain::mdf::AllocationId| {
        model
            .budgets
            .get(quarter)
            .and_then(|b| b.allocation(*id))
            .map_or_else(|| "a partner".to_owned(), |a| a.partner.name.to_string())
    };
    match ev {
        B::BudgetSet { amount, .. } => {
            format!("set the {quarter} MDF budget to {}", money(*amount))
        }
        B::BudgetRaised { by, to, .. } => {
            format!(
                "raised the {quarter} MDF budget by {} to {}",
                money(*by),
                money(*to)
            )
        }
        B::AllocationGranted {
            partner, amount, ..
        } => {
            format!(
                "allocated {} of {quarter} MDF to {}",
                money(*amount),
                partner.name
            )
        }
        B::ExemptionRequested {
            partner, amount, ..
        } => format!(
            "requested an MDF exemption of {} for {} in {quarter}",
            money(*amount),
            partner.name
        ),
        B::ExemptionApprovedByManager { allocation_id, .. } => {
            format!(
                "approved the MDF exemption for {} in {quarter}",
                partner(allocation_id)
            )
        }
        B::ExemptionApprovedByCxo {
            allocation_id,
            amount,
            ..
        } => format!(
            "approved the MDF exemption of {} for {} in {quarter}; it is now available",
            money(*amount),
            partner(allocation_id)
        ),
        B::ExemptionRejected { allocation_id, .. } => {
            format!(
                "rejected the MDF exemption for {} in {quarter}",
                partner(allocation_id)
            )
        }
    }
}

pub(super) fn fund_request(ev: &F, t: &str) -> String {
    match ev {
        F::FundRequestDrafted {
            title,
            partner_name,
            ..
        } => {
            format!("drafted MDF request {title} for {partner_name}")
        }
        F::ActivityAdded { requested, .. } => {
            format!(
                "added an activity of {} to MDF request {t}",
                money(*requested)
            )
        }
        F::ActivityRemoved { .. } => format!("removed an activity from MDF request {t}"),
        F::FundRequestSubmitted {
            requested_total, ..
        } => {
            format!(
                "submitted MDF request {t} ({}) for approval",
                money(*requested_total)
            )
        }
        F::FundRequestReturned { .. } => format!("returned MDF request {t} for more information"),
        F::ActivityApproved { amount, .. } => {
            format!(
                "approved {} for an activity of MDF request {t}",
                money(*amount)
            )
        }
        F::ActivityRejected { .. } => format!("rejected an activity of MDF request {t}"),
        F::FundRequestApproved { total, .. } => {
            format!("approved MDF request {t}, committing {}", money(*total))
        }
        F::FundRequestRejected { .. } => format!("rejected MDF request {t}"),
        F::FundRequestDeclined { .. } => format!("declined MDF request {t}"),
        F::FundRequestWithdrawn { .. } => format!("withdrew MDF request {t}"),
        F::ClaimSubmitted { amount_program, .. } => {
            format!("claimed {} on MDF request {t}", money(*amount_program))
        }
        F::ProofSubmitted { .. } => format!("submitted proof of performance on MDF request {t}"),
        F::ProofAccepted {
            amount,
            reimbursement_due,
            ..
        } => format!(
            "accepted proof of performance on MDF request {t}; {} payable by {}",
            money(*amount),
            day(*reimbursement_due)
        ),
        F::ProofRejected { .. } => format!("rejected proof of performance on MDF request {t}"),
        F::PaymentRecorded {
            payment_reference,
            settled,
            ..
        } => {
            let total = settled
                .iter()
                .fold(0i64, |s, x| s.saturating_add(x.amount.minor));
            let currency = settled
                .first()
                .map_or(crate::views::common::zero().currency, |x| x.amount.currency);
            format!(
                "recorded payment {payment_reference} of {} on MDF request {t}",
                money(Money::new(total, currency))
            )
        }
    }
}
