//! Drafting a RAP, revising it, sending it for approval, and proposing an amendment to an Active
//! one. Drafting, submission and amendments carry the partner as it stood at the effective time,
//! so the aggregate checks its tier policy, offboarding and classification then.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::rap::{RapCommand, RapId};
use channel_ledger_domain::EffectiveTime;

use super::bodies::{Draft, ProposeAmendment, Revise, Submit};
use super::{execute_as, rap_at, rap_id};
use crate::auth::Authenticated;
use crate::commands::{actor_at, when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::facts::partner_facts_at;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::routes::partners::partner_id;
use crate::state::AppState;
use channel_ledger_domain::partner::PartnerFacts;

/// The RAP's partner as it stood at the effective time.
async fn partner_of(
    state: &AppState,
    id: RapId,
    at: &EffectiveTime,
) -> Result<PartnerFacts, ApiError> {
    let rap = rap_at(state, id, at.at()).await?;
    let partner = rap
        .plan
        .map(|p| p.partner_id)
        .ok_or_else(super::not_found)?;
    partner_facts_at(&state.ledger, partner, at.at()).await
}

/// Draft a RAP with a partner; answers the new RAP's id.
#[utoipa::path(post, path = "/api/v1/partners/{id}/raps", tag = "raps", request_body = Draft,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn draft(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Draft>,
) -> Result<(StatusCode, Json<CommandAccepted>), ApiError> {
    let partner = partner_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let partner = partner_facts_at(&state.ledger, partner, at.at()).await?;
    let rap_id = RapId(state.new_id());
    let command = RapCommand::Draft {
        rap_id,
        partner,
        period: b.period,
        terms: b.terms.into(),
    };
    let accepted = execute_as(&state, &request, rap_id, actor, &at, command, None).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

/// Replace the terms of a Draft or Rejected RAP.
#[utoipa::path(post, path = "/api/v1/raps/{id}/revise", tag = "raps", request_body = Revise,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn revise(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Revise>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = rap_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let command = RapCommand::Revise {
        terms: b.terms.into(),
    };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, None).await?,
    ))
}

/// Send the RAP for approval: a Manager of the partner's territory, then a CxO.
#[utoipa::path(post, path = "/api/v1/raps/{id}/submit", tag = "raps", request_body = Submit,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Submit>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = rap_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let partner = partner_of(&state, id, &at).await?;
    let command = RapCommand::Submit { partner };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, None).await?,
    ))
}

/// Propose new terms for an Active RAP; they take force after both sign-offs.
#[utoipa::path(post, path = "/api/v1/raps/{id}/amendments", tag = "raps",
    request_body = ProposeAmendment,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn propose_amendment(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ProposeAmendment>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = rap_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let partner = partner_of(&state, id, &at).await?;
    let reason = Some(b.reason.to_string());
    let command = RapCommand::ProposeAmendment {
        partner,
        terms: b.terms.into(),
        reason: b.reason,
    };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, reason).await?,
    ))
}
