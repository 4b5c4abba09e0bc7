//! A cap on the total size of a request's headers, so that no request carries more header
//! bytes into the service than any honest client sends.
//!
//! hyper already refuses a request head over its read buffer (about 400 KiB) with 431, but
//! `axum::serve` does not let that be lowered; this layer refuses anything over
//! [`HEADER_LIMIT`] before routing, authentication or a handler sees it, with the same status
//! and a problem body.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::problem::ApiError;

/// The most header bytes (names and values) a request may carry: 16 KiB, twice the per-line
/// limit of common proxies and far above what a browser or the CLI sends.
pub const HEADER_LIMIT: usize = 16 * 1024;

/// Middleware: answers 431 to a request whose headers total over [`HEADER_LIMIT`] bytes.
pub async fn refuse_oversized_headers(request: Request, next: Next) -> Response {
    let size: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if size > HEADER_LIMIT {
        return too_large(size).into_response();
    }
    next.run(request).await
}

fn too_large(size: usize) -> ApiError {
    ApiError::new(
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        "headers-too-large",
        format!("the request headers total {size} bytes, over the limit of {HEADER_LIMIT}"),
    )
}
