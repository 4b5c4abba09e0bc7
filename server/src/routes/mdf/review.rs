//! Reviewing a submitted fund request: each activity approved (for at most what was requested)
//! or rejected by a Manager of the partner's territory who did not submit it, possibly as a
//! delegate; or the whole request returned, rejected or declined.

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::mdf::FundRequestCommand;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::text::Reason;
use channel_ledger_domain::StaffId;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::requests::{run, WithReason};
use super::{activity_id, request_id};
use crate::auth::Authenticated;
use crate::commands::{when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::facts::delegation_at;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// Approve an activity for `amount` (at most what was requested; in the program currency or the
/// activity's own). `on_behalf_of` names the principal when acting as their delegate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveActivity {
    pub amount: Money,
    pub comment: Option<Reason>,
    pub on_behalf_of: Option<StaffId>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectActivity {
    pub reason: Reason,
    pub on_behalf_of: Option<StaffId>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Approve one activity; when it is the last one decided, the request is Approved and the
/// approved amounts are committed.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/activities/{activity_id}/approve", tag = "mdf",
    request_body = ApproveActivity,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("activity_id" = Uuid, Path, description = "Activity id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn approve_activity(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, activity)): Path<(String, String)>,
    JsonBody(b): JsonBody<ApproveActivity>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, activity_id) = (request_id(&id)?, activity_id(&activity)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let on_behalf_of = delegation_at(&state.ledger, &auth.actor, b.on_behalf_of, at.at()).await?;
    let reason = b.comment.as_ref().map(ToString::to_string);
    let command = FundRequestCommand::ApproveActivity {
        activity_id,
        amount: b.amount,
        on_behalf_of,
        comment: b.comment,
    };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}

/// Reject one activity, with a reason.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/activities/{activity_id}/reject", tag = "mdf",
    request_body = RejectActivity,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("activity_id" = Uuid, Path, description = "Activity id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn reject_activity(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, activity)): Path<(String, String)>,
    JsonBody(b): JsonBody<RejectActivity>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, activity_id) = (request_id(&id)?, activity_id(&activity)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let on_behalf_of = delegation_at(&state.ledger, &auth.actor, b.on_behalf_of, at.at()).await?;
    let reason = Some(b.reason.to_string());
    let command = FundRequestCommand::RejectActivity {
        activity_id,
        on_behalf_of,
        reason: b.reason,
    };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}

/// Closes a review with `make(reason)`.
async fn close(
    state: AppState,
    auth: Authenticated,
    request: RequestMeta,
    id: String,
    b: WithReason,
    make: fn(Reason) -> FundRequestCommand,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = request_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let reason = Some(b.reason.to_string());
    let command = make(b.reason);
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}

/// Return a submitted request for more information; it can be edited and resubmitted.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/return", tag = "mdf", request_body = WithReason,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn return_request(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WithReason>,
) -> Result<Json<CommandAccepted>, ApiError> {
    close(state, auth, request, id, b, |reason| {
        FundRequestCommand::Return { reason }
    })
    .await
}

/// Reject a submitted request as a whole; it can be edited and resubmitted.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/reject", tag = "mdf", request_body = WithReason,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn reject_request(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WithReason>,
) -> Result<Json<CommandAccepted>, ApiError> {
    close(state, auth, request, id, b, |reason| {
        FundRequestCommand::Reject { reason }
    })
    .await
}

/// Decline a request for good.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/decline", tag = "mdf", request_body = WithReason,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn decline_request(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WithReason>,
) -> Result<Json<CommandAccepted>, ApiError> {
    close(state, auth, request, id, b, |reason| {
        FundRequestCommand::Decline { reason }
    })
    .await
}
