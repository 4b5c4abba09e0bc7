//! Reading fund requests: one with its activities, decisions, approval records, claims,
//! payments, totals, due dates and overdue flags; and a filtered, territory-scoped list.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::Json;
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::{
    balances, request_ledger, ActivityId, FundRequest, FundRequestEvent, FundRequestId,
    FundRequestStatus, FundingLink, RequestDetails,
};
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerId;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::budget_view::AccountBalance;
use super::facts::request_as_of;
use super::{quarter, read_scope, request_id, request_not_found};
use crate::auth::Authenticated;
use crate::directory::decode;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::routes::views::caught_up;
use crate::state::AppState;

/// What finance reconciles, in the program currency: paid ≤ accepted ≤ claimed ≤ approved ≤ requested.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RequestTotals {
    pub requested: Money,
    pub approved: Money,
    pub claimed: Money,
    pub accepted: Money,
    pub paid: Money,
}

impl From<&RequestDetails> for RequestTotals {
    fn from(r: &RequestDetails) -> Self {
        Self {
            requested: r.requested_total(),
            approved: r.approved_total(),
            claimed: r.claimed_total(),
            accepted: r.accepted_total(),
            paid: r.paid_total(),
        }
    }
}

/// An accepted claim not yet paid in full, and when its reimbursement is due.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReimbursementDue {
    pub activity_id: ActivityId,
    pub outstanding: Money,
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
}

/// A fund request as it stands, with its due dates measured against now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FundRequestView {
    #[serde(flatten)]
    pub request: RequestDetails,
    pub totals: RequestTotals,
    /// Submitted and past `approval_due`.
    pub approval_overdue: bool,
    pub reimbursements_due: Vec<ReimbursementDue>,
    /// The request's accounts (`Committed`, `Claimed`, `Payable`, `Paid`) from the ledger.
    pub balances: Vec<AccountBalance>,
}

/// One line of the list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FundRequestSummary {
    pub request_id: FundRequestId,
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub quarter: FiscalQuarter,
    pub title: String,
    pub status: FundRequestStatus,
    pub link: FundingLink,
    pub totals: RequestTotals,
    pub approval_due: Option<DateTime<Utc>>,
    pub approval_overdue: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct FundRequestList {
    pub fund_requests: Vec<FundRequestSummary>,
}

fn approval_overdue(r: &RequestDetails, now: DateTime<Utc>) -> bool {
    r.status == FundRequestStatus::Submitted && r.approval_due.is_some_and(|d| now > d)
}

fn reimbursements_due(r: &RequestDetails, now: DateTime<Utc>) -> Vec<ReimbursementDue> {
    r.claims()
        .filter_map(|(a, c)| {
            let due_at = c.reimbursement_due?;
            let accepted = c.accepted()?;
            Some(ReimbursementDue {
                activity_id: a.activity_id,
                outstanding: Money::new(accepted.minor - c.paid.minor, accepted.currency),
                due_at,
                overdue: now > due_at,
            })
        })
        .collect()
}

/// One fund request. Outside the caller's territory it answers 404, as if it did not exist.
#[utoipa::path(get, path = "/api/v1/mdf/fund-requests/{id}", tag = "mdf",
    params(("id" = Uuid, Path, description = "Fund request id")),
    responses((status = 200, body = FundRequestView), ReadErrors), security(("bearer" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<FundRequestView>, ApiError> {
    let scope = read_scope(&auth.actor)?;
    let id = request_id(&id)?.to_string();
    let now = state.now();
    let request = request_as_of(&state.ledger, &id, now)
        .await?
        .details
        .filter(|r| scope.allows(&r.territory))
        .ok_or_else(request_not_found)?;
    let events: Vec<FundRequestEvent> =
        decode::<FundRequestEvent>(state.ledger.read_stream(FundRequest::TYPE, &id).await?)?
            .into_iter()
            .filter(|(at, _)| *at <= now)
            .map(|(_, e)| e)
            .collect();
    let entries = request_ledger(&events);
    let balances = balances(&entries)
        .into_iter()
        .map(|(account, balance)| AccountBalance { account, balance })
        .collect();
    Ok(Json(FundRequestView {
        totals: RequestTotals::from(&request),
        approval_overdue: approval_overdue(&request, now),
        reimbursements_due: reimbursements_due(&request, now),
        balances,
        request,
    }))
}

struct Filters {
    partner_id: Option<PartnerId>,
    quarter: Option<FiscalQuarter>,
    status: Option<FundRequestStatus>,
}

fn filters(query: &HashMap<String, String>) -> Result<Filters, ApiError> {
    let partner_id = query
        .get("partner_id")
        .map(|s| {
            Uuid::parse_str(s).map(PartnerId).map_err(|_| {
                ApiError::invalid("invalid-query", "partner_id", "partner_id is a UUID")
            })
        })
        .transpose()?;
    let quarter = query.get("quarter").map(|s| quarter(s)).transpose()?;
    let status = query
        .get("status")
        .map(|s| {
            serde_json::from_value::<FundRequestStatus>(serde_json::Value::String(s.clone()))
                .map_err(|_| {
                    ApiError::invalid(
                        "invalid-query",
                        "status",
                        format!("{s:?} is not a status: Draft, Submitted, Returned, Approved, Rejected, Declined or Withdrawn"),
                    )
                })
        })
        .transpose()?;
    Ok(Filters {
        partner_id,
        quarter,
        status,
    })
}

/// Fund requests the caller may see, filtered by partner, quarter and status, by id: from the
/// live read model once it holds every event appended so far.
#[utoipa::path(get, path = "/api/v1/mdf/fund-requests", tag = "mdf",
    params(
        ("partner_id" = Option<Uuid>, Query, description = "Only this partner's"),
        ("quarter" = Option<String>, Query, description = "Only this fiscal quarter's, e.g. `FY26 Q2`"),
        ("status" = Option<String>, Query, description = "Only requests in this status"),
    ),
    responses((status = 200, body = FundRequestList), ReadErrors), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<FundRequestList>, ApiError> {
    let scope = read_scope(&auth.actor)?;
    let f = filters(&query)?;
    let now = state.now();
    caught_up(&state).await?;
    let fund_requests = state
        .projector
        .with_model(|model| {
            model
                .fund_requests
                .values()
                .filter_map(|request| request.details.as_ref())
                .filter(|r| {
                    scope.allows(&r.territory)
                        && f.partner_id.is_none_or(|p| p == r.partner_id)
                        && f.quarter.is_none_or(|q| q == r.quarter)
                        && f.status.is_none_or(|s| s == r.status)
                })
                .map(|r| FundRequestSummary {
                    request_id: r.request_id,
                    partner_id: r.partner_id,
                    partner_name: r.partner_name.to_string(),
                    quarter: r.quarter,
                    title: r.title.to_string(),
                    status: r.status,
                    link: r.link,
                    totals: RequestTotals::from(r),
                    approval_due: r.approval_due,
                    approval_overdue: approval_overdue(r, now),
                })
                .collect()
        })
        .await;
    Ok(Json(FundRequestList { fund_requests }))
}
