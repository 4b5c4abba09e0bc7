//! CxO commitments: every Active RAP's commitment, co-fund obligations outstanding (MDF approved
//! on fund requests but not yet paid) and ARR at stake (ARR targets of Active RAPs not yet won).

use channel_ledger_domain::approval::{ApprovalStep, Verdict};
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::{FundRequestId, FundRequestStatus, FundingLink};
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::rap::RapId;
use channel_ledger_domain::Territory;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{is_active, partner_raps, partner_requests, remaining, sum, visible_partners};
use super::portfolio::count;
use super::Scope;
use crate::model::ProgramModel;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RapCommitment {
    pub rap_id: RapId,
    pub title: String,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub territory: Territory,
    pub period: FiscalQuarter,
    pub mdf: Money,
    pub partner_contribution: Money,
    /// MDF + partner contribution.
    pub gtm_budget: Money,
    pub arr_target: Money,
    pub arr_won: Money,
    /// ARR target not yet won, never below zero.
    pub arr_at_stake: Money,
    /// Named accounts neither Won nor Lost.
    pub named_accounts_open: u32,
    pub named_accounts: u32,
    /// When the CxO's approval put it in force.
    pub activated_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoFundObligation {
    pub request_id: FundRequestId,
    pub title: String,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub territory: Territory,
    pub quarter: FiscalQuarter,
    /// The RAP the request draws on; `None` for an exemption.
    pub rap_id: Option<RapId>,
    pub approved: Money,
    pub paid: Money,
    pub outstanding: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentTotals {
    pub mdf: Money,
    pub partner_contribution: Money,
    pub arr_target: Money,
    pub arr_won: Money,
    pub arr_at_stake: Money,
    pub co_fund_outstanding: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CxoCommitments {
    /// By period, partner name, title.
    pub commitments: Vec<RapCommitment>,
    /// By partner name, quarter, request id.
    pub co_fund_outstanding: Vec<CoFundObligation>,
    pub totals: CommitmentTotals,
}

pub fn cxo_commitments(model: &ProgramModel, scope: &Scope, _now: DateTime<Utc>) -> CxoCommitments {
    let mut commitments = Vec::new();
    let mut obligations = Vec::new();
    for (_, entry, p) in visible_partners(model, scope) {
        for plan in partner_raps(model, entry).filter(|r| is_active(r)) {
            let arr_won = plan.arr_won();
            let t = &plan.terms;
            commitments.push(RapCommitment {
                rap_id: plan.rap_id,
                title: plan.title.clone(),
                partner_id: plan.partner_id,
                partner_name: p.name.to_string(),
                territory: plan.territory.clone(),
                period: plan.period,
                mdf: t.mdf,
                partner_contribution: t.partner_contribution,
                gtm_budget: t.gtm_budget().unwrap_or(t.mdf),
                arr_target: t.arr_target,
                arr_won,
                arr_at_stake: remaining(t.arr_target, arr_won),
                named_accounts_open: count(
                    plan.accounts
                        .iter()
                        .filter(|a| !a.status.is_final())
                        .count(),
                ),
                named_accounts: count(plan.accounts.len()),
                activated_at: plan
                    .approvals
                    .iter()
                    .find(|a| a.step == ApprovalStep::Cxo && a.verdict == Verdict::Approved)
                    .map(|a| a.decided_at),
            });
        }
        for r in partner_requests(model, entry) {
            if r.status != FundRequestStatus::Approved {
                continue;
            }
            let (approved, paid) = (r.approved_total(), r.paid_total());
            let outstanding = remaining(approved, paid);
            if outstanding.minor == 0 {
                continue;
            }
            obligations.push(CoFundObligation {
                request_id: r.request_id,
                title: r.title.to_string(),
                partner_id: r.partner_id,
                partner_name: r.partner_name.to_string(),
                territory: r.territory.clone(),
                quarter: r.quarter,
                rap_id: match r.link {
                    FundingLink::Rap { rap_id } => Some(RapId(rap_id)),
                    FundingLink::Exemption { .. } => None,
                },
                approved,
                paid,
                outstanding,
            });
        }
    }
    commitments.sort_by(|a, b| {
        (a.period, &a.partner_name, &a.title, a.rap_id).cmp(&(
            b.period,
            &b.partner_name,
            &b.title,
            b.rap_id,
        ))
    });
    obligations.sort_by(|a, b| {
        (&a.partner_name, a.quarter, a.request_id).cmp(&(&b.partner_name, b.quarter, b.request_id))
    });
    let totals = CommitmentTotals {
        mdf: sum(commitments.iter().map(|c| c.mdf)),
        partner_contribution: sum(commitments.iter().map(|c| c.partner_contribution)),
        arr_target: sum(commitments.iter().map(|c| c.arr_target)),
        arr_won: sum(commitments.iter().map(|c| c.arr_won)),
        arr_at_stake: sum(commitments.iter().map(|c| c.arr_at_stake)),
        co_fund_outstanding: sum(obligations.iter().map(|o| o.outstanding)),
    };
    CxoCommitments {
        commitments,
        co_fund_outstanding: obligations,
        totals,
    }
}
