//! Probes and metrics, open to anyone: `/health` (the process is up), `/ready` (the database
//! answers) and `/metrics` (Prometheus text).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiRoutes;
use crate::openapi::ReadyErrors;
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .get("/health", health)
        .get("/ready", ready)
        .get("/metrics", metrics)
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Status {
    /// `ok`
    pub status: String,
}

/// The process is up.
#[utoipa::path(get, path = "/api/v1/health", tag = "operations",
    responses((status = 200, body = Status)))]
pub async fn health() -> Json<Status> {
    Json(Status {
        status: "ok".into(),
    })
}

/// The database answers.
#[utoipa::path(get, path = "/api/v1/ready", tag = "operations",
    responses((status = 200, body = Status), ReadyErrors))]
pub async fn ready(State(state): State<AppState>) -> Result<Json<Status>, ApiError> {
    state.ledger.ping().await.map_err(ApiError::unavailable)?;
    Ok(Json(Status {
        status: "ok".into(),
    }))
}

/// Prometheus metrics: requests and latencies by route, commands and events appended, conflicts.
#[utoipa::path(get, path = "/api/v1/metrics", tag = "operations",
    responses((status = 200, content_type = "text/plain; version=0.0.4", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    state.metrics.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
