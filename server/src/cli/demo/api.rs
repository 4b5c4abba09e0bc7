//! The in-process API client the demo writes through, the acting [`Person`], and the small
//! JSON helpers every step uses (`at`, `usd`, `id_of`).

use anyhow::{bail, Context};
use axum::body::Body;
use axum::http::{Method, Request};
use axum::Router;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use tower::ServiceExt;

use super::BACKDATE;

/// The in-process API, called with a person's token.
pub(super) struct Api {
    pub(super) router: Router,
}

impl Api {
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(format!("/api/v1{path}"))
            .header("authorization", format!("Bearer {token}"));
        let body = match body {
            Some(b) => {
                request = request.header("content-type", "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        let response = self.router.clone().oneshot(request.body(body)?).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        if !status.is_success() {
            bail!(
                "demo: {method} {path} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    pub(super) async fn post(&self, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
        self.call(Method::POST, path, token, Some(body)).await
    }

    pub(super) async fn get(&self, path: &str, token: &str) -> anyhow::Result<Value> {
        self.call(Method::GET, path, token, None).await
    }
}

/// A member of staff with a token.
#[derive(Debug, Clone)]
pub(super) struct Person {
    pub(super) id: String,
    pub(super) token: String,
}

/// `body` with the back-dated effective time `at`.
pub(super) fn at(mut body: Value, t: DateTime<Utc>) -> Value {
    body["effective_at"] = json!(t.to_rfc3339());
    body["backdate_reason"] = json!(BACKDATE);
    body
}

pub(super) fn usd(dollars: i64) -> Value {
    json!({"minor": dollars * 100, "currency": "USD"})
}

pub(super) fn id_of(v: &Value) -> anyhow::Result<String> {
    v["id"]
        .as_str()
        .map(str::to_owned)
        .context("demo: a command answered without an id")
}
