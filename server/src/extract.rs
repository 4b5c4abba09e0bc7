//! Extractors that turn bad input into precise problems instead of 500s or bare text.
//!
//! [`JsonBody`] is axum's `Json` with errors that name the offending field (via
//! `serde_path_to_error`): wrong content type → 415, body over [`BODY_LIMIT`] → 413, malformed
//! JSON → 400, a key repeated in any object → 422 `duplicate-key` with `field`, and anything that
//! parses as JSON but not as the body (missing or unknown fields, wrong types, unknown enum values,
//! invalid values) → 422 with `field`.
//!
//! **Duplicate keys.** RFC 8259 leaves `{"a":1,"a":2}` to the parser, and serde answers it two
//! ways: a struct field refuses it, a map or an ignored value keeps the last. A ledger records
//! decisions; silently picking one of two conflicting values would record one the client may not
//! have meant, so every repeated key, at any depth and whatever its values, is refused before the
//! body is read as a command.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use axum::body::{to_bytes, Bytes};
use axum::extract::{FromRequest, Query, Request};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer as _, MapAccess, SeqAccess, Visitor,
};
use serde_json::error::Category;

use crate::problem::{ApiError, ProblemReport, PROBLEM_CONTENT_TYPE};

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

/// Middleware over the protected API: a query parameter given more than once
/// (`?as_of=2025-01-01&as_of=2026-01-01`) is refused with 422 `duplicate-query-parameter`
/// naming it, as a repeated key of a body is; readers would otherwise answer for the last one
/// alone, silently.
pub async fn single_query_values(req: Request, next: Next) -> Response {
    if let Some(name) = repeated_query_parameter(req.uri()) {
        let detail = format!("the query parameter `{name}` is given more than once; give it once");
        return ApiError::invalid("duplicate-query-parameter", name, detail).into_response();
    }
    next.run(req).await
}

/// The first query parameter of `uri` named twice (names compared once percent-decoded).
fn repeated_query_parameter(uri: &axum::http::Uri) -> Option<String> {
    let Query(pairs) = Query::<Vec<(String, String)>>::try_from_uri(uri).ok()?;
    let mut seen = HashSet::new();
    pairs
        .into_iter()
        .map(|(name, _)| name)
        .find(|name| !seen.insert(name.clone()))
}

/// Middleware over the API: an error answered without a problem body — axum's own rejections,
/// such as a path segment that is not UTF-8 once percent-decoded (`/partners/%FF`) or a query
/// string that does not deserialize — is answered as a problem with the same status, so every
/// 4xx and 5xx of the API is `application/problem+json` with a stable `type`.
pub async fn problems_only(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error())
        || response.extensions().get::<ProblemReport>().is_some()
        || response
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|ct| ct.as_bytes() == PROBLEM_CONTENT_TYPE.as_bytes())
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    // axum's rejection texts are one short line; anything longer is cut, not buffered.
    let text = to_bytes(body, 4096).await.unwrap_or_default();
    let mut problem = bare_problem(status, String::from_utf8_lossy(&text).trim());
    if status.is_server_error() {
        problem.internal = Some(problem.detail.clone());
    }
    let mut answer = problem.into_response();
    for (name, value) in &parts.headers {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            answer.headers_mut().append(name.clone(), value.clone());
        }
    }
    answer
}

/// The problem for a bare error of `status` whose text was `text`.
fn bare_problem(status: StatusCode, text: &str) -> ApiError {
    let detail = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        text.to_owned()
    };
    if status.is_server_error() {
        return ApiError::internal(detail);
    }
    // axum names the parameter at fault: "Invalid URL: Invalid UTF-8 in `id`".
    if let Some(rest) = detail.strip_prefix("Invalid URL: ") {
        let field = rest
            .split_once('`')
            .and_then(|(_, after)| after.split_once('`'))
            .map(|(key, _)| key.to_owned());
        let problem = ApiError::new(StatusCode::BAD_REQUEST, "invalid-path-parameter", rest);
        return match field {
            Some(field) => problem.with_field(field),
            None => problem,
        };
    }
    if let Some(rest) = detail.strip_prefix("Failed to deserialize query string: ") {
        return ApiError::new(StatusCode::BAD_REQUEST, "invalid-query", rest);
    }
    let code = match status {
        StatusCode::BAD_REQUEST => "bad-request",
        StatusCode::NOT_FOUND => "not-found",
        StatusCode::METHOD_NOT_ALLOWED => "method-not-allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "body-too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        StatusCode::UNPROCESSABLE_ENTITY => "unprocessable",
        _ => "client-error",
    };
    ApiError::new(status, code, detail)
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
    // Whole-document checks first: not JSON → 400, a repeated key → 422, and only then the body.
    if let Some(field) = scan(bytes).map_err(|e| classify(e, ".".to_owned()))? {
        let detail =
            format!("the key `{field}` appears more than once in its object; send each field once");
        return Err(ApiError::invalid("duplicate-key", field, detail));
    }
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

/// The path (`terms.named_accounts[0].domain`) of the first key repeated within one object of
/// the JSON document `bytes`; `None` when no key repeats, or when `bytes` is not JSON (the typed
/// parse then says why).
pub fn repeated_key(bytes: &[u8]) -> Option<String> {
    scan(bytes).ok().flatten()
}

/// Walks the whole document: its syntax error, else the first repeated key's path, if any.
fn scan(bytes: &[u8]) -> Result<Option<String>, serde_json::Error> {
    let found = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let walk = Unique {
        path: String::new(),
        found: &found,
    };
    // serde_json's recursion limit bounds the walk: a document nested deeper is a syntax error.
    (&mut de).deserialize_any(walk)?;
    de.end()?;
    Ok(found.into_inner())
}

/// Walks any JSON value, refusing the first key its object already had.
struct Unique<'a> {
    path: String,
    found: &'a RefCell<Option<String>>,
}

impl Unique<'_> {
    fn child(&self, segment: fmt::Arguments<'_>, key: bool) -> Self {
        let path = if key && self.path.is_empty() {
            segment.to_string()
        } else if key {
            format!("{}.{segment}", self.path)
        } else {
            format!("{}{segment}", self.path)
        };
        Unique {
            path,
            found: self.found,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        while seq
            .next_element_seed(self.child(format_args!("[{index}]"), false))?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let child = self.child(format_args!("{key}"), true);
            if !seen.insert(key) {
                // The first one found is named; the walk goes on, for a document that turns out
                // not to be JSON is refused as such.
                self.found
                    .borrow_mut()
                    .get_or_insert_with(|| child.path.clone());
            }
            map.next_value_seed(child)?;
        }
        Ok(())
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

    #[test]
    fn a_query_parameter_named_twice_is_found_once_decoded() {
        let repeated = |uri: &str| repeated_query_parameter(&uri.parse().unwrap());
        assert_eq!(
            repeated("/a?as_of=1&axis=x&as_of=2").as_deref(),
            Some("as_of")
        );
        assert_eq!(repeated("/a?as%5Fof=1&as_of=2").as_deref(), Some("as_of"));
        assert_eq!(repeated("/a?limit=1&after=0"), None);
        assert_eq!(repeated("/a"), None);
    }

    #[test]
    fn bare_errors_become_problems_naming_the_parameter() {
        let p = bare_problem(
            StatusCode::BAD_REQUEST,
            "Invalid URL: Invalid UTF-8 in `classification`",
        );
        assert_eq!(
            (p.status, p.code, p.field.as_deref()),
            (
                StatusCode::BAD_REQUEST,
                "invalid-path-parameter",
                Some("classification")
            )
        );
        let p = bare_problem(StatusCode::BAD_REQUEST, "");
        assert_eq!((p.code, p.detail.as_str()), ("bad-request", "Bad Request"));
        let p = bare_problem(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Wrong number of path arguments",
        );
        assert_eq!(p.code, "internal-error");
        assert!(
            !p.detail.contains("path arguments"),
            "a 5xx hides its cause"
        );
    }

    #[test]
    fn a_repeated_key_is_refused_at_any_depth_naming_it() {
        let e = parse::<Body>(br#"{"name":"a","count":1,"count":2}"#).unwrap_err();
        assert_eq!(
            (e.status, e.code, e.field.as_deref()),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "duplicate-key",
                Some("count")
            )
        );
        // Identical values too: one of them is still a second, unasked-for value.
        assert_eq!(
            repeated_key(br#"{"name":"a","name":"a"}"#).as_deref(),
            Some("name")
        );
        assert_eq!(
            repeated_key(br#"{"a":[{"b":1},{"c":{"d":1,"d":2}}]}"#).as_deref(),
            Some("a[1].c.d")
        );
        assert_eq!(repeated_key(br#"{"a":{"a":{"a":1}}}"#), None);
        // Keys that differ only once unescaped are the same key.
        assert_eq!(
            repeated_key(br#"{"name":1,"n\u0061me":2}"#).as_deref(),
            Some("name")
        );
        // Not JSON: the typed parse says why.
        assert_eq!(repeated_key(br#"{"a":1,"a""#), None);
        assert_eq!(
            parse::<Body>(br#"{"name":"a","name""#).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(repeated_key(deep.as_bytes()), None);
        assert_eq!(
            parse::<Body>(deep.as_bytes()).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }
}
