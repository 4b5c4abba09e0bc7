//! API tokens (Admin only): issue one for a member of staff (shown once), list them (never the
//! secret or its hash), revoke one. Tokens live beside the log, not in it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::text::Name;
use channel_ledger_domain::{Role, StaffId};
use channel_ledger_store::TokenRecord;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::staff::staff_id;
use super::ApiRoutes;
use crate::auth::{issue_token, Authenticated, TokenError};
use crate::extract::JsonBody;
use crate::openapi::{CommandErrors, ReadErrors};
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .post("/staff/{id}/tokens", create)
        .get("/staff/{id}/tokens", list)
        .post("/tokens/{token_id}/revoke", revoke)
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateToken {
    /// What the token is for, e.g. "laptop" or "finance export job".
    pub label: Option<Name>,
}

/// The new token: the only time the secret is shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CreatedToken {
    pub token_id: Uuid,
    pub token: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenView {
    pub token_id: Uuid,
    pub staff_id: Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_by: Option<Uuid>,
}

impl From<TokenRecord> for TokenView {
    fn from(t: TokenRecord) -> Self {
        Self {
            token_id: t.token_id,
            staff_id: t.staff_id,
            label: t.label,
            created_at: t.created_at,
            created_by: t.created_by,
            revoked_at: t.revoked_at,
            revoked_by: t.revoked_by,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Revoked {
    pub token_id: Uuid,
    pub revoked_at: DateTime<Utc>,
}

fn require_admin(auth: &Authenticated) -> Result<(), ApiError> {
    if auth.actor.is(Role::Admin) {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "{} may not manage tokens; only an Admin may",
            auth.actor.capacity()
        )))
    }
}

/// Only active staff get tokens.
async fn active_staff(state: &AppState, id: StaffId) -> Result<(), ApiError> {
    crate::directory::actor_as_of(&state.ledger, id, state.now())
        .await?
        .map(|_| ())
        .ok_or_else(|| {
            ApiError::not_found("staff-not-found", "no active member of staff with that id")
        })
}

/// Issue a token for a member of staff (Admin).
#[utoipa::path(post, path = "/api/v1/staff/{id}/tokens", tag = "tokens", request_body = CreateToken,
    params(("id" = Uuid, Path, description = "Staff id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = CreatedToken), CommandErrors), security(("bearer" = [])))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CreateToken>,
) -> Result<(StatusCode, Json<CreatedToken>), ApiError> {
    require_admin(&auth)?;
    let id = staff_id(&id)?;
    active_staff(&state, id).await?;
    let label = body.label.map(String::from).unwrap_or_default();
    let issued = issue_token(
        &state.ledger,
        id,
        &label,
        auth.actor.staff_id.0,
        state.now(),
    )
    .await
    .map_err(|e| match e {
        TokenError::Store(e) => ApiError::from(e),
        e => ApiError::internal(e),
    })?;
    tracing::info!(token.id = %issued.token_id, "token issued");
    Ok((
        StatusCode::CREATED,
        Json(CreatedToken {
            token_id: issued.token_id,
            token: issued.token,
        }),
    ))
}

/// A member of staff's tokens, revoked ones included (Admin).
#[utoipa::path(get, path = "/api/v1/staff/{id}/tokens", tag = "tokens",
    params(("id" = Uuid, Path, description = "Staff id")),
    responses((status = 200, body = TokenList), ReadErrors), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<TokenList>, ApiError> {
    require_admin(&auth)?;
    let id = staff_id(&id)?;
    let tokens = state.ledger.list_tokens(id.0).await?;
    Ok(Json(TokenList {
        tokens: tokens.into_iter().map(TokenView::from).collect(),
    }))
}

/// Revoke a token (Admin). It stops working at once.
#[utoipa::path(post, path = "/api/v1/tokens/{token_id}/revoke", tag = "tokens",
    params(("token_id" = Uuid, Path, description = "Token id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = Revoked), CommandErrors), security(("bearer" = [])))]
pub async fn revoke(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(token_id): Path<String>,
) -> Result<Json<Revoked>, ApiError> {
    require_admin(&auth)?;
    let not_found = || ApiError::not_found("token-not-found", "no active token with that id");
    let token_id = Uuid::parse_str(&token_id).map_err(|_| not_found())?;
    let now = state.now();
    if !state
        .ledger
        .revoke_token(token_id, auth.actor.staff_id.0, now)
        .await?
    {
        return Err(not_found());
    }
    tracing::info!(token.id = %token_id, "token revoked");
    Ok(Json(Revoked {
        token_id,
        revoked_at: now,
    }))
}
