//! A quarter's budget as it stands: totals, allocations with their status and sign-offs,
//! exemptions waiting with the step awaited and its due date, and balances from the ledger.

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::approval::{ApprovalRecord, ApprovalStep, StaffRef};
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::budget::AllocatedPartner;
use channel_ledger_domain::mdf::{balances, Account, Allocation, AllocationId};
use channel_ledger_domain::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::facts::{budget_as_of, quarter_postings};
use super::{quarter, read_scope};
use crate::auth::Authenticated;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// One account's balance: debits minus credits, in the program currency.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountBalance {
    pub account: Account,
    pub balance: Money,
}

/// An exemption waiting for a sign-off, for the approval queue.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PendingExemption {
    pub allocation_id: AllocationId,
    pub partner: AllocatedPartner,
    pub amount: Money,
    /// The step that must act next.
    pub awaiting: ApprovalStep,
    pub requested_by: StaffRef,
    pub requested_at: DateTime<Utc>,
    /// When the awaited step became pending.
    pub pending_since: DateTime<Utc>,
    /// 5 business days after `pending_since`.
    pub due_at: DateTime<Utc>,
    /// Past `due_at` now.
    pub overdue: bool,
    pub approvals: Vec<ApprovalRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BudgetView {
    pub quarter: FiscalQuarter,
    pub budget: Money,
    /// Allocations signed off in full: available to partners.
    pub approved_total: Money,
    /// Exemptions awaiting a sign-off: they hold budget but are not available yet.
    pub pending_total: Money,
    /// What is left to allocate.
    pub unallocated: Money,
    /// In the order requested; PAMs and Managers see their territory's only.
    pub allocations: Vec<Allocation>,
    pub pending_exemptions: Vec<PendingExemption>,
    /// The quarter's budget accounts (`ProgramFunding`, `Unallocated`, each visible partner's
    /// `Allocated`: what it may still request), derived from the double-entry ledger.
    pub balances: Vec<AccountBalance>,
}

fn pending(a: &Allocation, now: DateTime<Utc>) -> Option<PendingExemption> {
    let (awaiting, due_at, e) = (a.awaiting()?, a.approval_due()?, a.exemption.as_ref()?);
    Some(PendingExemption {
        allocation_id: a.allocation_id,
        partner: a.partner.clone(),
        amount: a.amount,
        awaiting,
        requested_by: e.requested_by.clone(),
        requested_at: e.requested_at,
        pending_since: e.pending_since,
        due_at,
        overdue: now > due_at,
        approvals: e.approvals.clone(),
    })
}

/// A quarter's budget, allocations, pending exemptions (with due dates) and balances.
#[utoipa::path(get, path = "/api/v1/mdf/budgets/{quarter}", tag = "mdf",
    params(("quarter" = String, Path, description = "Fiscal quarter, e.g. `FY26 Q2`")),
    responses((status = 200, body = BudgetView), ReadErrors), security(("bearer" = [])))]
pub async fn get_budget(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(q): Path<String>,
) -> Result<Json<BudgetView>, ApiError> {
    let scope = read_scope(&auth.actor)?;
    let q = quarter(&q)?;
    let now = state.now();
    let budget = budget_as_of(&state.ledger, q, now).await?;
    let amount = budget.budget.as_ref().map(|b| b.amount).ok_or_else(|| {
        ApiError::not_found("budget-not-set", "no budget has been set for this quarter")
    })?;
    let allocations: Vec<Allocation> = budget
        .allocations
        .iter()
        .filter(|a| scope.allows(&a.partner.territory))
        .cloned()
        .collect();
    let postings = quarter_postings(&state.ledger, q, None, now).await?;
    let balances = balances(postings.iter().map(|p| &p.entry))
        .into_iter()
        .filter(|(account, _)| match account {
            Account::ProgramFunding { .. } | Account::Unallocated { .. } => true,
            Account::Allocated { partner_id, .. } => allocations
                .iter()
                .any(|a| a.partner.partner_id == *partner_id),
            _ => false,
        })
        .map(|(account, balance)| AccountBalance { account, balance })
        .collect();
    Ok(Json(BudgetView {
        quarter: q,
        budget: amount,
        approved_total: budget.approved_total(),
        pending_total: budget.pending_total(),
        unallocated: budget.unallocated(),
        pending_exemptions: allocations.iter().filter_map(|a| pending(a, now)).collect(),
        allocations,
        balances,
    }))
}
