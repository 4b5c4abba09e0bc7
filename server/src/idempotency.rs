//! `Idempotency-Key` on POST (design.md §3.9): a retry with the same key and body replays the first
//! answer and appends nothing; the same key with another body is refused.
//!
//! Runs after authentication; the scope is the caller's staff id and the request hash is the
//! SHA-256 of method, path and body. Answers below 500 (except 409, which invites a retry) are
//! stored; anything else releases the key so the client can try again.
//!
//! The request runs under the key's [`Claim`] (a task-local, see [`current_claim`]): the events
//! it appends carry the claim, and the record ids it draws ([`claimed_id`]) are derived from the
//! claim, so a retry that takes over the claim of an attempt that crashed after appending draws
//! the same ids, finds those events instead of appending them again, and answers as the first
//! attempt would have (docs/adr/0010-idempotency-after-a-crash.md).

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use channel_ledger_store::{Claim, IdempotencyOutcome, StoreError};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::auth::Authenticated;
use crate::extract::{too_large, BODY_LIMIT};
use crate::problem::{ApiError, PROBLEM_CONTENT_TYPE};
use crate::state::AppState;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

tokio::task_local! {
    /// The claim the current request runs under, and how many record ids it has drawn.
    static CLAIM: ClaimContext;
}

#[derive(Debug)]
struct ClaimContext {
    claim: Claim,
    ids_drawn: AtomicU32,
}

/// The idempotency claim the current request runs under, if it carries a key.
pub fn current_claim() -> Option<Claim> {
    CLAIM.try_with(|c| c.claim).ok()
}

/// The next record id of a request running under an idempotency claim: the `n`th id a request
/// draws under a claim is the same in every attempt at it. `None` outside such a request.
pub fn claimed_id() -> Option<Uuid> {
    CLAIM
        .try_with(|c| derived_id(c.claim.id, c.ids_drawn.fetch_add(1, Ordering::Relaxed)))
        .ok()
}

/// A UUIDv7 with the claim's timestamp whose random bits are a hash of the claim and `n`.
fn derived_id(claim: Uuid, n: u32) -> Uuid {
    let millis = claim.get_timestamp().map_or(0, |t| {
        let (secs, nanos) = t.to_unix();
        secs * 1000 + u64::from(nanos) / 1_000_000
    });
    let digest = Sha256::new()
        .chain_update(claim.as_bytes())
        .chain_update(n.to_be_bytes())
        .finalize();
    let mut random = [0u8; 10];
    random.copy_from_slice(&digest[..10]);
    uuid::Builder::from_unix_timestamp_millis(millis, &random).into_uuid()
}

/// Middleware; a no-op for anything but a POST carrying the header.
pub async fn idempotency(State(state): State<AppState>, req: Request, next: Next) -> Response {
    match run(&state, req, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn run(state: &AppState, req: Request, next: Next) -> Result<Response, Response> {
    if req.method() != Method::POST {
        return Ok(next.run(req).await);
    }
    let Some(key) = req.headers().get(&IDEMPOTENCY_KEY) else {
        return Ok(next.run(req).await);
    };
    let key = valid_key(key).map_err(IntoResponse::into_response)?;
    let scope = req
        .extensions()
        .get::<Authenticated>()
        .map(|a| a.actor.staff_id.to_string())
        .ok_or_else(|| ApiError::unauthorized("authentication is required").into_response())?;
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|_| too_large().into_response())?;
    let hash = request_hash(&parts.method, parts.uri.path(), &bytes);
    let ledger = &state.ledger;
    let outcome = ledger
        .idempotency_begin(&scope, &key, &hash)
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    let claim = match outcome {
        IdempotencyOutcome::New(claim) => claim,
        IdempotencyOutcome::Replay { status, body } => return Ok(replay(status, body)),
        IdempotencyOutcome::Mismatch => {
            return Err(ApiError::invalid(
                "idempotency-key-reused",
                "Idempotency-Key",
                "this Idempotency-Key was used for a different request; use a new key",
            )
            .into_response())
        }
        IdempotencyOutcome::InProgress { retry_after } => {
            let mut e = ApiError::new(
                StatusCode::CONFLICT,
                "idempotency-key-in-progress",
                "a request with this Idempotency-Key is still being processed; retry shortly",
            );
            e.retry_after = Some(whole_seconds(retry_after));
            return Err(e.into_response());
        }
    };
    let context = ClaimContext {
        claim,
        ids_drawn: AtomicU32::new(0),
    };
    let response = CLAIM
        .scope(
            context,
            next.run(Request::from_parts(parts, Body::from(bytes))),
        )
        .await;
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            let _ = ledger.idempotency_abandon(&scope, &key, &claim).await;
            return Err(ApiError::internal(e).into_response());
        }
    };
    let status = parts.status;
    if claim.resumed && status.is_client_error() && status != StatusCode::CONFLICT {
        // An earlier attempt recorded this request, but the request would be refused now:
        // say so rather than store a refusal of something that happened.
        let applied = ApiError::new(
            StatusCode::CONFLICT,
            "idempotency-key-applied",
            "a request with this Idempotency-Key was recorded before its answer was lost, and \
             that answer cannot be rebuilt now; read the record to see the result",
        )
        .into_response();
        let (parts, body) = applied.into_parts();
        let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
        let text = String::from_utf8_lossy(&body);
        if let Err(e) = ledger
            .idempotency_complete(&scope, &key, &claim, parts.status.as_u16(), &text)
            .await
        {
            tracing::error!(error = %e, "could not record the idempotency key's outcome");
        }
        return Ok(Response::from_parts(parts, Body::from(body)));
    }
    let stored = if status.as_u16() < 500 && status != StatusCode::CONFLICT {
        let text = String::from_utf8_lossy(&body);
        ledger
            .idempotency_complete(&scope, &key, &claim, status.as_u16(), &text)
            .await
    } else {
        ledger.idempotency_abandon(&scope, &key, &claim).await
    };
    match stored {
        Ok(()) => {}
        // A retry took the claim over while this attempt ran: its answer is the one kept.
        Err(e @ StoreError::IdempotencyKeyNotPending { .. }) => {
            tracing::warn!(error = %e, "this attempt's idempotency claim was taken over");
        }
        Err(e) => tracing::error!(error = %e, "could not record the idempotency key's outcome"),
    }
    Ok(Response::from_parts(parts, Body::from(body)))
}

/// `d` rounded up to whole seconds, at least one, for `Retry-After`.
fn whole_seconds(d: Duration) -> u32 {
    u32::try_from(d.as_secs() + u64::from(d.subsec_nanos() > 0))
        .unwrap_or(u32::MAX)
        .max(1)
}

fn valid_key(value: &HeaderValue) -> Result<String, ApiError> {
    let invalid = || {
        ApiError::invalid(
            "invalid-idempotency-key",
            "Idempotency-Key",
            "an Idempotency-Key is 1 to 255 visible ASCII characters",
        )
    };
    let key = value.to_str().map_err(|_| invalid())?.trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(invalid());
    }
    Ok(key.to_owned())
}

fn request_hash(method: &Method, path: &str, body: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(method.as_str().as_bytes());
    h.update(b"\n");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(body);
    h.finalize().into()
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        PROBLEM_CONTENT_TYPE
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_drawn_under_a_claim_are_the_same_in_every_attempt_and_distinct() {
        let claim = Uuid::now_v7();
        let first: Vec<Uuid> = (0..3).map(|n| derived_id(claim, n)).collect();
        let again: Vec<Uuid> = (0..3).map(|n| derived_id(claim, n)).collect();
        assert_eq!(first, again);
        assert_ne!(first[0], first[1]);
        assert_ne!(derived_id(Uuid::now_v7(), 0), first[0]);
        // Time-ordered like the ids drawn without a claim: the claim's millisecond.
        assert_eq!(first[0].get_version_num(), 7);
        assert_eq!(
            first[0].get_timestamp().unwrap().to_unix().0,
            claim.get_timestamp().unwrap().to_unix().0
        );
    }

    #[tokio::test]
    async fn a_request_draws_claimed_ids_only_under_a_claim() {
        assert_eq!(claimed_id(), None);
        let claim = Claim {
            id: Uuid::now_v7(),
            attempt: 1,
            resumed: false,
        };
        let context = ClaimContext {
            claim,
            ids_drawn: AtomicU32::new(0),
        };
        let ids = CLAIM
            .scope(context, async {
                (claimed_id(), claimed_id(), current_claim())
            })
            .await;
        assert_eq!(ids.0, Some(derived_id(claim.id, 0)));
        assert_eq!(ids.1, Some(derived_id(claim.id, 1)));
        assert_eq!(ids.2, Some(claim));
    }

    #[test]
    fn retry_after_rounds_up_to_a_whole_second() {
        assert_eq!(whole_seconds(Duration::from_millis(200)), 1);
        assert_eq!(whole_seconds(Duration::from_millis(2_001)), 3);
        assert_eq!(whole_seconds(Duration::ZERO), 1);
    }
}
