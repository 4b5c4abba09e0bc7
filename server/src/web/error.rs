//! Errors as pages: the API's [`ApiError`] with its status, shown as a person reads it. A 5xx
//! shows nothing of its cause; like the API, the cause goes to the request span's log, once.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use maud::html;

use super::layout::bare_page;
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
