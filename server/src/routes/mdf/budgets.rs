//! A quarter's program budget: setting and raising it, allocating to partners within the tier
//! cap, and exemptions above it signed by a Manager of the partner's territory then a CxO.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::{AllocationId, ProgramBudget, ProgramBudgetCommand};
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::text::Reason;
use channel_ledger_domain::{EffectiveTime, StaffId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{allocation_id, quarter};
use crate::auth::Authenticated;
use crate::commands::{decide, when, AppendedEvent, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::facts::{delegation_at, partner_facts_at};
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// Open the quarter with its MDF budget, in the program currency (CxO or Finance).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBudget {
    pub amount: Money,
    /// When it took effect (RFC 3339, UTC); defaults to now, never in the future.
    pub effective_at: Option<DateTime<Utc>>,
    /// Required when `effective_at` is more than five minutes in the past.
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RaiseBudget {
    pub by: Money,
    pub reason: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Allocate to a partner within its tier's quarterly cap (Manager of its territory, or CxO).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Allocate {
    pub partner_id: PartnerId,
    pub amount: Money,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Ask for MDF outside the tier cap or the RAP framework: needs a Manager then a CxO.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestExemption {
    pub partner_id: PartnerId,
    pub amount: Money,
    pub justification: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Sign the step the exemption waits for; `on_behalf_of` names the principal when acting as
/// their delegate (a delegation must be in force).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveExemption {
    pub comment: Option<Reason>,
    pub on_behalf_of: Option<StaffId>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectExemption {
    pub reason: Reason,
    pub on_behalf_of: Option<StaffId>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// An allocation or exemption request accepted: the budget's stream id (the quarter), the new
/// allocation's id and the events appended.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AllocationAccepted {
    pub id: String,
    pub allocation_id: AllocationId,
    pub events: Vec<AppendedEvent>,
}

/// Resolves the actor as of the effective time and executes on the quarter's budget stream.
async fn run(
    state: &AppState,
    auth: &Authenticated,
    request: &RequestMeta,
    quarter: FiscalQuarter,
    at: EffectiveTime,
    command: ProgramBudgetCommand,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError> {
    decide::<ProgramBudget, _>(
        state,
        auth,
        request,
        &quarter.to_string(),
        &at,
        command,
        reason,
    )
    .await
}

/// Set a quarter's budget.
#[utoipa::path(post, path = "/api/v1/mdf/budgets/{quarter}", tag = "mdf", request_body = SetBudget,
    params(("quarter" = String, Path, description = "Fiscal quarter, e.g. `FY26 Q2`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn set_budget(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(q): Path<String>,
    JsonBody(b): JsonBody<SetBudget>,
) -> Result<(StatusCode, Json<CommandAccepted>), ApiError> {
    let q = quarter(&q)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let command = ProgramBudgetCommand::SetBudget {
        quarter: q,
        amount: b.amount,
    };
    let accepted = run(&state, &auth, &request, q, at, command, None).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

/// Raise a quarter's budget, with a reason.
#[utoipa::path(post, path = "/api/v1/mdf/budgets/{quarter}/raise", tag = "mdf", request_body = RaiseBudget,
    params(("quarter" = String, Path, description = "Fiscal quarter, e.g. `FY26 Q2`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn raise_budget(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(q): Path<String>,
    JsonBody(b): JsonBody<RaiseBudget>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let q = quarter(&q)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let reason = Some(b.reason.to_string());
    let command = ProgramBudgetCommand::RaiseBudget {
        by: b.by,
        reason: b.reason,
    };
    Ok(Json(
        run(&state, &auth, &request, q, at, command, reason).await?,
    ))
}

fn allocation_accepted(
    accepted: CommandAccepted,
    allocation_id: AllocationId,
) -> AllocationAccepted {
    AllocationAccepted {
        id: accepted.id,
        allocation_id,
        events: accepted.events,
    }
}

/// Allocate MDF to a partner within its tier's cap; above it, request an exemption instead.
#[utoipa::path(post, path = "/api/v1/mdf/budgets/{quarter}/allocations", tag = "mdf", request_body = Allocate,
    params(("quarter" = String, Path, description = "Fiscal quarter, e.g. `FY26 Q2`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = AllocationAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn allocate(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(q): Path<String>,
    JsonBody(b): JsonBody<Allocate>,
) -> Result<(StatusCode, Json<AllocationAccepted>), ApiError> {
    let q = quarter(&q)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let partner = partner_facts_at(&state.ledger, b.partner_id, at.at()).await?;
    let id = AllocationId(state.new_id());
    let command = ProgramBudgetCommand::Allocate {
        allocation_id: id,
        partner,
        amount: b.amount,
    };
    let accepted = run(&state, &auth, &request, q, at, command, None).await?;
    Ok((StatusCode::CREATED, Json(allocation_accepted(accepted, id))))
}

/// Request an MDF exemption for a partner, with a justification.
#[utoipa::path(post, path = "/api/v1/mdf/budgets/{quarter}/exemptions", tag = "mdf", request_body = RequestExemption,
    params(("quarter" = String, Path, description = "Fiscal quarter, e.g. `FY26 Q2`"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = AllocationAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn request_exemption(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(q): Path<String>,
    JsonBody(b): JsonBody<RequestExemption>,
) -> Result<(StatusCode, Json<AllocationAccepted>), ApiError> {
    let q = quarter(&q)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let partner = partner_facts_at(&state.ledger, b.partner_id, at.at()).await?;
    let id = AllocationId(state.new_id());
    let reason = Some(b.justification.to_string());
    let command = ProgramBudgetCommand::RequestExemption {
        allocation_id: id,
        partner,
        amount: b.amount,
        justification: b.justification,
    };
    let accepted = run(&state, &auth, &request, q, at, command, reason).await?;
    Ok((StatusCode::CREATED, Json(allocation_accepted(accepted, id))))
}

/// Approve the step an exemption waits for: a Manager of the partner's territory, then a CxO;
/// never the requester, never the same person twice.
#[utoipa::path(post, path = "/api/v1/mdf/budgets/{quarter}/allocations/{allocation_id}/approve", tag = "mdf",
    request_body = ApproveExemption,
    params(("quarter" = String, Path, description = "Fiscal quarter, e.g. `FY26 Q2`"),
        ("allocation_id" = Uuid, Path, description = "Allocation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn approve_exemption(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((q, id)): Path<(String, String)>,
    JsonBody(b): JsonBody<ApproveExemption>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (q, id) = (quarter(&q)?, allocation_id(&id)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let on_behalf_of = delegation_at(&state.ledger, &auth.actor, b.on_behalf_of, at.at()).await?;
    let reason = b.comment.as_ref().map(ToString::to_string);
    let command = ProgramBudgetCommand::ApproveExemption {
        allocation_id: id,
        on_behalf_of,
        comment: b.comment,
    };
    Ok(Json(
        run(&state, &auth, &request, q, at, command, reason).await?,
    ))
}

/// Reject an exemption at the step it waits for, with a reason.
#[utoipa::path(post, path = "/api/v1/mdf/budgets/{quarter}/allocations/{allocation_id}/reject", tag = "mdf",
    request_body = RejectExemption,
    params(("quarter" = String, Path, description = "Fiscal quarter, e.g. `FY26 Q2`"),
        ("allocation_id" = Uuid, Path, description = "Allocation id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn reject_exemption(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((q, id)): Path<(String, String)>,
    JsonBody(b): JsonBody<RejectExemption>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (q, id) = (quarter(&q)?, allocation_id(&id)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let on_behalf_of = delegation_at(&state.ledger, &auth.actor, b.on_behalf_of, at.at()).await?;
    let reason = Some(b.reason.to_string());
    let command = ProgramBudgetCommand::RejectExemption {
        allocation_id: id,
        on_behalf_of,
        reason: b.reason,
    };
    Ok(Json(
        run(&state, &auth, &request, q, at, command, reason).await?,
    ))
}
