//! Sign-off: approving or rejecting the step a RAP (or its amendment) waits for. A delegate names
//! the principal in `on_behalf_of`; the delegation must be in force at the effective time
//! (403 `no-delegation` otherwise), and the record keeps both people. The aggregate checks the
//! step order, the role and territory held then, and segregation of duties.

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::rap::RapCommand;

use super::bodies::{Approve, Reject};
use super::{execute_as, rap_id};
use crate::auth::Authenticated;
use crate::commands::{actor_at, when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::facts::delegation_at;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// Approve the pending step; the CxO's approval makes the RAP (or the amendment) take force.
#[utoipa::path(post, path = "/api/v1/raps/{id}/approve", tag = "raps", request_body = Approve,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn approve(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Approve>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = rap_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let on_behalf_of = delegation_at(&state.ledger, &actor, b.on_behalf_of, at.at()).await?;
    let reason = b.comment.as_ref().map(ToString::to_string);
    let command = RapCommand::Approve {
        step: b.step,
        on_behalf_of,
        comment: b.comment,
    };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, reason).await?,
    ))
}

/// Reject the pending step with a reason. A rejected proposal may be revised and resubmitted; a
/// rejected amendment leaves the approved terms in force.
#[utoipa::path(post, path = "/api/v1/raps/{id}/reject", tag = "raps", request_body = Reject,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Reject>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = rap_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let on_behalf_of = delegation_at(&state.ledger, &actor, b.on_behalf_of, at.at()).await?;
    let reason = Some(b.reason.to_string());
    let command = RapCommand::Reject {
        step: b.step,
        on_behalf_of,
        reason: b.reason,
    };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, reason).await?,
    ))
}
