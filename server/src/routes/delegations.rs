//! Delegating approvals: a Manager or CxO lets a colleague approve in their name for a while
//! (holidays, leave). Approvals taken under a delegation record both people (design.md §2,
//! "Approval record"). The person manages their own delegations; an Admin may do it for them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::staff::{Staff, StaffCommand};
use channel_ledger_domain::StaffId;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::staff::staff_id;
use super::ApiRoutes;
use crate::auth::Authenticated;
use crate::commands::{decide, when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .post("/staff/{id}/delegations", delegate)
        .post("/staff/{id}/delegations/{to}/end", end)
}

/// Let `to` approve in this person's name until `until`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Delegate {
    pub to: StaffId,
    /// When the delegation lapses (RFC 3339, UTC); after the effective time.
    pub until: DateTime<Utc>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndDelegation {
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

async fn run(
    state: &AppState,
    auth: &Authenticated,
    request: &RequestMeta,
    principal: StaffId,
    command: StaffCommand,
    at: Option<DateTime<Utc>>,
    backdate_reason: Option<String>,
) -> Result<CommandAccepted, ApiError> {
    let at = when(state, at, backdate_reason)?;
    decide::<Staff, _>(
        state,
        auth,
        request,
        &principal.to_string(),
        &at,
        command,
        None,
    )
    .await
}

/// Delegate approvals (the Manager or CxO themselves, or an Admin).
#[utoipa::path(post, path = "/api/v1/staff/{id}/delegations", tag = "staff", request_body = Delegate,
    params(("id" = Uuid, Path, description = "The principal: the Manager or CxO delegating"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn delegate(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Delegate>,
) -> Result<(StatusCode, Json<CommandAccepted>), ApiError> {
    let principal = staff_id(&id)?;
    let command = StaffCommand::DelegateApprovals {
        to: b.to,
        until: b.until,
    };
    let accepted = run(
        &state,
        &auth,
        &request,
        principal,
        command,
        b.effective_at,
        b.backdate_reason,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

/// End a delegation early.
#[utoipa::path(post, path = "/api/v1/staff/{id}/delegations/{to}/end", tag = "staff",
    request_body = EndDelegation,
    params(("id" = Uuid, Path, description = "The principal"),
        ("to" = Uuid, Path, description = "The delegate"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn end(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, to)): Path<(String, String)>,
    JsonBody(b): JsonBody<EndDelegation>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let principal = staff_id(&id)?;
    let to = staff_id(&to)?;
    let command = StaffCommand::EndDelegation { to };
    Ok(Json(
        run(
            &state,
            &auth,
            &request,
            principal,
            command,
            b.effective_at,
            b.backdate_reason,
        )
        .await?,
    ))
}
