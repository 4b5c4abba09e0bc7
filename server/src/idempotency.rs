//! `Idempotency-Key` on POST (design.md §3.9): a retry with the same key and body replays the first
//! answer and appends nothing; the same key with another body is refused.
//!
//! Runs after authentication; the scope is the caller's staff id and the request hash is the
//! SHA-256 of method, path and body. Answers below 500 (except 409, which invites a retry) are
//! stored; anything else releases the key so the client can try again.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use channel_ledger_store::IdempotencyOutcome;
use sha2::{Digest, Sha256};

use crate::auth::Authenticated;
use crate::extract::{too_large, BODY_LIMIT};
use crate::problem::{ApiError, PROBLEM_CONTENT_TYPE};
use crate::state::AppState;

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

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
    match outcome {
        IdempotencyOutcome::New => {}
        IdempotencyOutcome::Replay { status, body } => return Ok(replay(status, body)),
        IdempotencyOutcome::Mismatch => {
            return Err(ApiError::invalid(
                "idempotency-key-reused",
                "Idempotency-Key",
                "this Idempotency-Key was used for a different request; use a new key",
            )
            .into_response())
        }
        IdempotencyOutcome::InProgress => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "idempotency-key-in-progress",
                "a request with this Idempotency-Key is still being processed; retry shortly",
            )
            .into_response())
        }
    }
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let (parts, body) = response.into_parts();
    let body = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            let _ = ledger.idempotency_abandon(&scope, &key).await;
            return Err(ApiError::internal(e).into_response());
        }
    };
    let status = parts.status.as_u16();
    let stored = if status < 500 && parts.status != StatusCode::CONFLICT {
        let text = String::from_utf8_lossy(&body);
        ledger
            .idempotency_complete(&scope, &key, status, &text)
            .await
    } else {
        ledger.idempotency_abandon(&scope, &key).await
    };
    if let Err(e) = stored {
        tracing::error!(error = %e, "could not record the idempotency key's outcome");
    }
    Ok(Response::from_parts(parts, Body::from(body)))
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
