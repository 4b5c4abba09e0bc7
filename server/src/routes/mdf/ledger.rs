//! The MDF ledger itself: every posting (with the event that made it) and every account's
//! balance, per quarter, with each fund's sum — zero by construction of double entry.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::{balances, Account, ProgramBudget};
use channel_ledger_domain::mdf_policy::PROGRAM_CURRENCY;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::Role;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::budget_view::AccountBalance;
use super::facts::quarter_postings;
use super::quarter;
use crate::auth::Authenticated;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// One movement and the event that posted it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PostingView {
    pub position: i64,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub event_type: String,
    pub effective_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    pub debit: Account,
    pub credit: Account,
    pub amount: Money,
}

/// One quarter's fund: its postings and balances; `sum` is the sum of its balances.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FundLedger {
    pub quarter: FiscalQuarter,
    pub postings: Vec<PostingView>,
    pub balances: Vec<AccountBalance>,
    pub sum: Money,
    /// True when the balances sum to zero, as double entry requires.
    pub balanced: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MdfLedger {
    pub funds: Vec<FundLedger>,
}

async fn fund(state: &AppState, q: FiscalQuarter) -> Result<FundLedger, ApiError> {
    let postings = quarter_postings(&state.ledger, q, None, state.now()).await?;
    let balances: Vec<AccountBalance> = balances(postings.iter().map(|p| &p.entry))
        .into_iter()
        .map(|(account, balance)| AccountBalance { account, balance })
        .collect();
    let sum = balances
        .iter()
        .fold(0i64, |s, b| s.saturating_add(b.balance.minor));
    Ok(FundLedger {
        quarter: q,
        postings: postings
            .into_iter()
            .map(|p| PostingView {
                position: p.event.position,
                aggregate_type: p.event.aggregate_type,
                aggregate_id: p.event.aggregate_id,
                event_type: p.event.event_type,
                effective_at: p.event.effective_at,
                recorded_at: p.event.recorded_at,
                debit: p.entry.debit,
                credit: p.entry.credit,
                amount: p.entry.amount,
            })
            .collect(),
        balances,
        sum: Money::new(sum, PROGRAM_CURRENCY),
        balanced: sum == 0,
    })
}

/// The double-entry ledger of one quarter (or of every quarter with a budget), as it stands
/// now. Program-wide, so for CxO, Finance and Auditor only.
#[utoipa::path(get, path = "/api/v1/mdf/ledger", tag = "mdf",
    params(("quarter" = Option<String>, Query, description = "Only this fiscal quarter, e.g. `FY26 Q2`")),
    responses((status = 200, body = MdfLedger), ReadErrors), security(("bearer" = [])))]
pub async fn get_ledger(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<MdfLedger>, ApiError> {
    if !matches!(auth.actor.role, Role::Cxo | Role::Finance | Role::Auditor) {
        return Err(ApiError::forbidden(format!(
            "{} may not read the MDF ledger: it spans every territory",
            auth.actor.capacity()
        )));
    }
    let quarters: Vec<FiscalQuarter> = match query.get("quarter") {
        Some(q) => vec![quarter(q)?],
        None => state
            .ledger
            .stream_ids(ProgramBudget::TYPE)
            .await?
            .iter()
            .filter_map(|id| id.parse().ok())
            .collect(),
    };
    let mut funds = Vec::with_capacity(quarters.len());
    for q in quarters {
        funds.push(fund(&state, q).await?);
    }
    Ok(Json(MdfLedger { funds }))
}
