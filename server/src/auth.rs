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
use channel_ledger_domain::staff::Staff;
use channel_ledger_domain::{Actor, StaffId};
use channel_ledger_store::{Ledger, NewToken, StoreError};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use rand::rngs::OsRng;
use rand::TryRngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::problem::ApiError;
use crate::stamped_cache::{Stamp, StampedCache};
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
///
/// The token is read on every request, so a revocation counts at once, whichever process made
/// it. The owner's standing is kept in [`OwnerCache`] while their `Staff` stream holds the same
/// events and until the next of them that was recorded ahead takes effect.
pub async fn authenticate(state: &AppState, token: &str) -> Result<Authenticated, ApiError> {
    let invalid = || ApiError::unauthorized("the token is invalid or has been revoked");
    let hash = hash_token(token);
    let (record, owner_events) = state
        .ledger
        .find_token_with_owner_events(&hash, Staff::TYPE)
        .await?
        .ok_or_else(invalid)?;
    if !bool::from(record.token_hash.ct_eq(&hash)) || record.revoked_at.is_some() {
        return Err(invalid());
    }
    let staff_id = StaffId(record.staff_id);
    let actor = owner_now(state, staff_id, owner_events)
        .await?
        .ok_or_else(|| ApiError::unauthorized("the token's owner is no longer active staff"))?;
    Ok(Authenticated {
        actor,
        token_id: record.token_id,
    })
}

/// The token owner as they are now: from the cache while it holds for `owner_events`, else
/// folded from their stream and cached.
async fn owner_now(
    state: &AppState,
    staff_id: StaffId,
    owner_events: i64,
) -> Result<Option<Actor>, ApiError> {
    let now = state.now();
    let key = staff_id.to_string();
    let asked = OwnerStamp {
        events: owner_events,
        from: now,
        until: None,
    };
    if let Some(actor) = state.owners.lookup(&key, asked) {
        return Ok(actor);
    }
    let folded = crate::directory::actor_now(&state.ledger, staff_id, now).await?;
    let stamp = OwnerStamp {
        events: folded.events,
        from: now,
        until: folded.next_change,
    };
    state.owners.insert(&key, stamp, folded.actor.clone());
    Ok(folded.actor)
}

/// What a cached owner was folded from: exactly `events` of their stream, at `from`, with the
/// next of those events taking effect at `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerStamp {
    events: i64,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

impl Stamp for OwnerStamp {
    /// The stream holds the same events, and the clock has neither gone back before the fold
    /// nor reached the next event's effective time.
    fn covers(self, now: OwnerStamp) -> bool {
        now.events == self.events
            && self.from <= now.from
            && self.until.is_none_or(|until| now.from < until)
    }
}

/// Token owners as they are now, by staff id.
pub type OwnerCache = StampedCache<Option<Actor>, OwnerStamp>;

/// How many people's standing is kept.
pub const OWNERS: usize = 4096;
