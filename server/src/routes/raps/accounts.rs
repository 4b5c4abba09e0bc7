//! An Active RAP's life: its named accounts move Identified → Qualified → In Progress → Won (with
//! ARR) or Lost (with a reason), one stage at a time, and the RAP closes with an outcome.

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::rap::{AccountDomain, RapCommand, RapId};

use super::bodies::{Advance, Close, Lose, Win};
use super::{execute_as, rap_id};
use crate::auth::Authenticated;
use crate::commands::{actor_at, when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// The RAP and named account a path names; a malformed domain names no account (404).
fn account_path((id, domain): (String, String)) -> Result<(RapId, AccountDomain), ApiError> {
    let id = rap_id(&id)?;
    let domain = AccountDomain::parse(&domain).map_err(|_| {
        ApiError::not_found(
            "named-account-not-found",
            format!("{domain} is not a named account of this RAP"),
        )
    })?;
    Ok((id, domain))
}

/// Move a named account one stage on (to `Qualified`, then `InProgress`).
#[utoipa::path(post, path = "/api/v1/raps/{id}/named-accounts/{domain}/advance", tag = "raps",
    request_body = Advance,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("domain" = String, Path, description = "The named account's domain, e.g. northwind.example"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn advance(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(path): Path<(String, String)>,
    JsonBody(b): JsonBody<Advance>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, domain) = account_path(path)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let command = RapCommand::AdvanceNamedAccount { domain, to: b.to };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, None).await?,
    ))
}

/// Record an In Progress named account as won, with its ARR.
#[utoipa::path(post, path = "/api/v1/raps/{id}/named-accounts/{domain}/win", tag = "raps",
    request_body = Win,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("domain" = String, Path, description = "The named account's domain"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn win(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(path): Path<(String, String)>,
    JsonBody(b): JsonBody<Win>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, domain) = account_path(path)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let command = RapCommand::WinNamedAccount { domain, arr: b.arr };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, None).await?,
    ))
}

/// Record an open named account as lost, with the reason.
#[utoipa::path(post, path = "/api/v1/raps/{id}/named-accounts/{domain}/lose", tag = "raps",
    request_body = Lose,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("domain" = String, Path, description = "The named account's domain"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn lose(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(path): Path<(String, String)>,
    JsonBody(b): JsonBody<Lose>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, domain) = account_path(path)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let reason = Some(b.reason.to_string());
    let command = RapCommand::LoseNamedAccount {
        domain,
        reason: b.reason,
    };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, reason).await?,
    ))
}

/// Close an Active RAP with its outcome (Manager of the territory or CxO).
#[utoipa::path(post, path = "/api/v1/raps/{id}/close", tag = "raps", request_body = Close,
    params(("id" = Uuid, Path, description = "RAP id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn close(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Close>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = rap_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let reason = Some(b.note.to_string());
    let command = RapCommand::Close {
        outcome: b.outcome,
        note: b.note,
    };
    Ok(Json(
        execute_as(&state, &request, id, actor, &at, command, reason).await?,
    ))
}
