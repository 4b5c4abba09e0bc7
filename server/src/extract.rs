//! Extractors that turn bad input into precise problems instead of 500s or bare text.
//!
//! [`JsonBody`] is axum's `Json` with errors that name the offending field (via
//! `serde_path_to_error`): wrong content type → 415, body over [`BODY_LIMIT`] → 413, malformed
//! JSON → 400, and anything that parses as JSON but not as the body (missing or unknown fields,
//! wrong types, unknown enum values, invalid values) → 422 with `field`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use crate::problem::ApiError;

/// The largest request body accepted: 1 MiB.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A JSON request body, deserialized with the offending field named on failure.
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                "the request body must be JSON; send `Content-Type: application/json`",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "unreadable-body", e.body_text())
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// The problem for a body over [`BODY_LIMIT`].
pub fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body-too-large",
        format!("the request body is over {BODY_LIMIT} bytes"),
    )
}

fn is_json(req: &Request) -> bool {
    let Some(ct) = req.headers().get(header::CONTENT_TYPE) else {
        return false;
    };
    let Ok(ct) = ct.to_str() else { return false };
    let essence = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Deserializes `bytes` as `T`, classifying failures as described in the module docs.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        classify(e.into_inner(), path)
    })?;
    de.end().map_err(|e| classify(e, ".".to_owned()))?;
    Ok(value)
}

fn classify(e: serde_json::Error, path: String) -> ApiError {
    let message = strip_position(&e.to_string());
    match e.classify() {
        Category::Data => {
            let field = missing_field(&message)
                .map(|name| join(&path, name))
                .unwrap_or(path);
            ApiError::invalid("invalid-field", field, message)
        }
        Category::Syntax | Category::Eof | Category::Io => ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed-json",
            format!("the request body is not valid JSON: {message}"),
        ),
    }
}

/// serde reports a missing field at its parent; name the field itself.
fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

fn join(path: &str, name: &str) -> String {
    if path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "only deserialized")]
    struct Body {
        name: String,
        count: u32,
    }

    fn field_of(json: &str) -> (StatusCode, Option<String>) {
        let e = parse::<Body>(json.as_bytes()).unwrap_err();
        (e.status, e.field)
    }

    #[test]
    fn each_kind_of_bad_input_names_its_field() {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        assert_eq!(
            field_of(r#"{"count":1}"#),
            (unprocessable, Some("name".into()))
        );
        assert_eq!(
            field_of(r#"{"name":"a","count":"x"}"#),
            (unprocessable, Some("count".into()))
        );
        assert_eq!(
            field_of(r#"{"name":"a","count":1,"extra":2}"#),
            (unprocessable, Some("extra".into()))
        );
        assert_eq!(field_of(r#"{"name":"a""#).0, StatusCode::BAD_REQUEST);
        assert_eq!(
            field_of(r#"{"name":"a","count":1} x"#).0,
            StatusCode::BAD_REQUEST
        );
    }
}
