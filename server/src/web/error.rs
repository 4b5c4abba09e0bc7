//! Errors as pages: the API's [`ApiError`] with its status, shown as a person reads it. A 5xx
//! shows nothing of its cause; like the API, the cause goes to the request span's log, once.
//! [`pages_only`] does the same for the answers axum gives before a handler runs (a form that is
//! not a form, over the body limit, with a field missing or given twice; a method the page does
//! not have), so every refusal of the console is a page.

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::layout::bare_page;
use crate::extract::BODY_LIMIT;
use crate::problem::{ApiError, ProblemReport};

/// What went wrong serving a page.
#[derive(Debug)]
pub struct WebError(pub ApiError);

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> Self {
        Self(e)
    }
}

impl WebError {
    /// The page exists for some roles, not for this reader's.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self(ApiError::forbidden(detail))
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let e = self.0;
        let (title, detail) = match e.status {
            StatusCode::NOT_FOUND => (
                "Not found",
                "Nothing here: it does not exist, or it is outside what your role may see."
                    .to_owned(),
            ),
            StatusCode::FORBIDDEN => ("Forbidden", e.detail),
            s if s.is_server_error() => (
                "Something went wrong",
                "The ledger could not answer just now. Try again in a moment.".to_owned(),
            ),
            _ => ("That did not work", e.detail),
        };
        let body = html! {
            section.panel.error-page role="alert" {
                h1 { (title) }
                p { (detail) }
                p { a href="/" { "Back to the console" } }
            }
        };
        let mut response = (e.status, Html(bare_page(title, body).into_string())).into_response();
        response.extensions_mut().insert(ProblemReport {
            code: e.code,
            internal: e.internal,
        });
        response
    }
}

/// The console's "Not found" page, for a path nothing serves.
pub fn not_found() -> Response {
    WebError(ApiError::not_found("no-such-page", "there is no such page")).into_response()
}

/// Middleware over the console: an error answered without a page of ours — axum's own
/// rejections, which are a line of plain text or nothing — is answered as the error page for its
/// status, saying in words what was wrong with the form. Pages and redirects pass untouched.
pub async fn pages_only(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    let is_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<ProblemReport>().is_some()
        || is_page
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let (code, detail) = match status {
        StatusCode::PAYLOAD_TOO_LARGE => (
            "body-too-large",
            format!(
                "This form is larger than the {} KiB a form may be.",
                BODY_LIMIT / 1024
            ),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            "unsupported-media-type",
            "This was not sent as a form of this console.".to_owned(),
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            "method-not-allowed",
            "This page cannot be used that way.".to_owned(),
        ),
        StatusCode::NOT_FOUND => ("not-found", String::new()),
        StatusCode::BAD_REQUEST => (
            "bad-request",
            "Part of this address or form could not be read.".to_owned(),
        ),
        StatusCode::UNPROCESSABLE_ENTITY => (
            "malformed-form",
            "This form is incomplete or malformed: a field is missing, given twice or not \
             readable. Reload the page and try again."
                .to_owned(),
        ),
        s if s.is_server_error() => ("internal", String::new()),
        s => (
            "client-error",
            s.canonical_reason().unwrap_or("Refused").to_owned(),
        ),
    };
    let mut error = ApiError::new(status, code, detail);
    if status.is_server_error() {
        // The cause goes to the log, never to the page; a cause longer than a line is cut.
        let text = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
        error.internal = Some(String::from_utf8_lossy(&text).trim().to_owned());
    }
    let mut page = WebError(error).into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            page.headers_mut().append(name.clone(), value.clone());
        }
    }
    page
}
