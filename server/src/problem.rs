//! Errors as RFC 9457 problem details (`application/problem+json`).
//!
//! [`ApiError`] is the one error every handler returns. Its `type` is a stable URI built from a
//! kebab-case code, `field` names the offending input for validation errors, and a 5xx never shows
//! its cause: that goes into a response extension which the request span logs, once.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use channel_ledger_domain::{Rejection, RejectionKind};
use cqrs_es::AggregateError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Base of every problem `type` URI.
pub const PROBLEM_BASE: &str = "https://channel-ledger.dev/problems/";
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// The wire shape of an error (RFC 9457).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProblemDetails {
    /// A stable URI naming the problem, e.g. `https://channel-ledger.dev/problems/same-classification`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// The request field at fault, for validation problems (e.g. `rationale`, `effective_at`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// Seconds a client is asked to wait before retrying when the database is unavailable.
pub const UNAVAILABLE_RETRY_AFTER: u32 = 2;

/// An error answered to the client.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{status} {code}: {detail}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub field: Option<String>,
    /// The cause of a server error: logged, never sent.
    pub internal: Option<String>,
    /// Seconds after which a retry may succeed, sent as `Retry-After`.
    pub retry_after: Option<u32>,
}

/// Left in the response's extensions so the request span logs the problem once.
#[derive(Debug, Clone)]
pub struct ProblemReport {
    pub code: &'static str,
    pub internal: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            field: None,
            internal: None,
            retry_after: None,
        }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, detail)
    }

    pub fn invalid(
        code: &'static str,
        field: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail).with_field(field)
    }

    /// The database cannot be reached: the client may retry later.
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "database-unavailable",
            "the ledger's database is unavailable; try again shortly",
        );
        e.internal = Some(cause.to_string());
        e.retry_after = Some(UNAVAILABLE_RETRY_AFTER);
        e
    }

    /// The database answers but refuses changes: read-only, full, or failing to write. Reads
    /// keep working; commands fail until an operator fixes the storage.
    pub fn storage_refused(
        fault: channel_ledger_store::StorageFault,
        cause: impl std::fmt::Display,
    ) -> Self {
        use channel_ledger_store::StorageFault;
        let detail = match fault {
            StorageFault::ReadOnly => {
                "the ledger's database is read-only: no change can be recorded now; reads still \
                 work. Retry once an operator has made the database writable again"
            }
            StorageFault::Full => {
                "the ledger's storage is full: no change can be recorded now; reads still work. \
                 Retry once an operator has freed space"
            }
            StorageFault::Io => {
                "the ledger's storage failed to write: no change was recorded; reads may still \
                 work. Retry once an operator has fixed the storage"
            }
        };
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage-unavailable",
            detail,
        );
        e.internal = Some(cause.to_string());
        e
    }

    /// This attempt at a request with an `Idempotency-Key` ran so long that a retry took the key
    /// over; it appended nothing, and the retry's answer is the one kept.
    pub fn claim_lost() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "idempotency-key-taken-over",
            "a retry with the same Idempotency-Key took this request over; nothing was recorded by \
             this attempt. Retry with the same key to get the answer",
        )
    }

    /// The read models have not reached the position a read asked for within the wait the
    /// service allows: retry in a second.
    pub fn lagging(min_position: i64, position: i64) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "projection-lagging",
            format!(
                "the read models are at log position {position}, not yet at {min_position}; retry shortly"
            ),
        );
        e.retry_after = Some(1);
        e
    }

    /// Anything unexpected: a generic answer, the cause only in the logs.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let mut e = Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal-error",
            "an unexpected error occurred; it has been logged",
        );
        e.internal = Some(cause.to_string());
        e
    }

    /// A refusal by an aggregate, classified by the domain's [`Rejection`] trait.
    pub fn rejected<E: Rejection>(e: &E) -> Self {
        let status = match e.kind() {
            RejectionKind::Forbidden => StatusCode::FORBIDDEN,
            RejectionKind::NotFound => StatusCode::NOT_FOUND,
            RejectionKind::Conflict => StatusCode::CONFLICT,
            RejectionKind::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let mut err = Self::new(status, e.code(), e.to_string());
        if let RejectionKind::Invalid { field } = e.kind() {
            err.field = Some(field.to_owned());
        }
        err
    }

    pub fn details(&self) -> ProblemDetails {
        ProblemDetails {
            problem_type: format!("{PROBLEM_BASE}{}", self.code),
            title: title(self.status),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            field: self.field.clone(),
        }
    }
}

fn title(status: StatusCode) -> String {
    status.canonical_reason().unwrap_or("Error").to_owned()
}

impl<E: Rejection> From<AggregateError<E>> for ApiError {
    fn from(e: AggregateError<E>) -> Self {
        match e {
            AggregateError::UserError(e) => ApiError::rejected(&e),
            // No automatic retry: the client re-reads and retries; an Idempotency-Key makes that safe.
            AggregateError::AggregateConflict => ApiError::new(
                StatusCode::CONFLICT,
                "concurrent-modification",
                "another change to this record was committed first; re-read it and retry",
            ),
            AggregateError::DatabaseConnectionError(e) => {
                match e.downcast_ref::<channel_ledger_store::StoreError>() {
                    Some(channel_ledger_store::StoreError::StorageRefused { fault, .. }) => {
                        ApiError::storage_refused(*fault, e)
                    }
                    _ => ApiError::unavailable(e),
                }
            }
            AggregateError::DeserializationError(e) | AggregateError::UnexpectedError(e) => {
                match e.downcast_ref::<channel_ledger_store::StoreError>() {
                    Some(channel_ledger_store::StoreError::IdempotencyClaimLost { .. }) => {
                        ApiError::claim_lost()
                    }
                    _ => ApiError::internal(e),
                }
            }
        }
    }
}

impl From<channel_ledger_store::StoreError> for ApiError {
    fn from(e: channel_ledger_store::StoreError) -> Self {
        use channel_ledger_store::StoreError;
        match e {
            StoreError::Unavailable(_) => ApiError::unavailable(e),
            StoreError::StorageRefused { fault, .. } => ApiError::storage_refused(fault, e),
            StoreError::LockTimeout { .. } => {
                let mut err = ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "lock-wait-timeout",
                    "a concurrent change to the same records is still running; try again shortly",
                );
                err.internal = Some(e.to_string());
                err
            }
            StoreError::IdempotencyClaimLost { .. } => ApiError::claim_lost(),
            StoreError::Conflict { .. } => ApiError::new(
                StatusCode::CONFLICT,
                "concurrent-modification",
                "another change to this record was committed first; re-read it and retry",
            ),
            e => ApiError::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_string(&self.details()).unwrap_or_default();
        let mut response = (self.status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(PROBLEM_CONTENT_TYPE),
        );
        if let Some(seconds) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response.extensions_mut().insert(ProblemReport {
            code: self.code,
            internal: self.internal,
        });
        response
    }
}
