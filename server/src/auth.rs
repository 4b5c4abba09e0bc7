//! Bearer-token authentication.
//!
//! A token is `clt_` followed by 32 random bytes from the OS, hex-encoded. Only its SHA-256 is
//! stored; a presented token is hashed, looked up, and compared in constant time. A missing,
//! unknown or revoked token, or one whose owner has left, is answered 401. Tokens are never logged.

use std::fmt;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use channel_ledger_domain::{Actor, StaffId};
use channel_ledger_store::{Ledger, NewToken, StoreError};
use chrono::{DateTime, Utc};
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::problem::ApiError;
use crate::state::AppState;

pub const TOKEN_PREFIX: &str = "clt_";

/// A freshly issued token: the only time the secret exists outside the client.
#[derive(Clone)]
pub struct IssuedToken {
    pub token_id: Uuid,
    pub token: String,
}

impl fmt::Debug for IssuedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedToken")
            .field("token_id", &self.token_id)
            .field("token", &"<redacted>")
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the operating system's random source failed: {0}")]
    Random(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Creates a token for `staff_id` and stores its hash.
pub async fn issue_token(
    ledger: &Ledger,
    staff_id: StaffId,
    label: &str,
    created_by: Uuid,
    now: DateTime<Utc>,
) -> Result<IssuedToken, TokenError> {
    let mut secret = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut secret)
        .map_err(|e| TokenError::Random(e.to_string()))?;
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(secret));
    let token_id = Uuid::now_v7();
    ledger
        .insert_token(&NewToken {
            token_id,
            staff_id: staff_id.0,
            token_hash: hash_token(&token),
            label: label.to_owned(),
            created_at: now,
            created_by,
        })
        .await?;
    Ok(IssuedToken { token_id, token })
}

/// The caller, authenticated: active staff now, with the role they hold now.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub actor: Actor,
    pub token_id: Uuid,
}

impl<S: Send + Sync> FromRequestParts<S> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Authenticated>()
            .cloned()
            .ok_or_else(|| ApiError::unauthorized("authentication is required"))
    }
}

/// Middleware: authenticates the bearer token and leaves [`Authenticated`] in the request.
pub async fn require_auth(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let token = bearer(&req)?;
    let auth = authenticate(&state, token).await?;
    tracing::Span::current().record("staff.id", tracing::field::display(auth.actor.staff_id));
    req.extensions_mut().insert(auth);
    Ok(next.run(req).await)
}

fn bearer(req: &Request) -> Result<&str, ApiError> {
    let value = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("send `Authorization: Bearer <token>`"))?;
    let value = value
        .to_str()
        .map_err(|_| ApiError::unauthorized("the Authorization header is not a bearer token"))?;
    match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim())
        }
        _ => Err(ApiError::unauthorized(
            "the Authorization header is not a bearer token",
        )),
    }
}

/// Resolves a presented token to its owner as they are now; 401 when it names no one active.
/// Bearer requests and the web console's session cookie both come through here.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Authenticated, ApiError> {
    let invalid = || ApiError::unauthorized("the token is invalid or has been revoked");
    let hash = hash_token(token);
    let record = state
        .ledger
        .find_token_by_hash(&hash)
        .await?
        .ok_or_else(invalid)?;
    if !bool::from(record.token_hash.ct_eq(&hash)) || record.revoked_at.is_some() {
        return Err(invalid());
    }
    let actor = crate::directory::actor_as_of(&state.ledger, StaffId(record.staff_id), state.now())
        .await?
        .ok_or_else(|| ApiError::unauthorized("the token's owner is no longer active staff"))?;
    Ok(Authenticated {
        actor,
        token_id: record.token_id,
    })
}
