//! Probes and metrics, open to anyone: `/health` (the process is up), `/ready` (the database
//! answers; with the projector's position and lag) and `/metrics` (Prometheus text, with the
//! projector's gauges set at each scrape).

use std::time::Duration;

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

/// The same probes at the root, where load balancers, orchestrators and Prometheus look for them.
pub fn probes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/health", axum::routing::get(health))
        .route("/ready", axum::routing::get(ready))
        .route("/metrics", axum::routing::get(metrics))
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

/// Readiness, with where the read models stand.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Readiness {
    /// `ok`
    pub status: String,
    /// The last log position folded into the read models.
    pub projection_position: i64,
    /// Events in the log the read models have not folded yet.
    pub projection_lag_events: i64,
}

/// How long `/ready` waits for the database: a probe that hangs is no answer.
const READY_TIMEOUT: Duration = Duration::from_secs(2);

/// The database answers; the body says how far behind the log the read models are.
#[utoipa::path(get, path = "/api/v1/ready", tag = "operations",
    responses((status = 200, body = Readiness), ReadyErrors))]
pub async fn ready(State(state): State<AppState>) -> Result<Json<Readiness>, ApiError> {
    tokio::time::timeout(READY_TIMEOUT, state.ledger.ping())
        .await
        .map_err(|_| {
            ApiError::unavailable(format!(
                "the database did not answer within {READY_TIMEOUT:?}"
            ))
        })?
        .map_err(ApiError::unavailable)?;
    let (position, lag) = projection_gauges(&state).await?;
    Ok(Json(Readiness {
        status: "ok".into(),
        projection_position: position,
        projection_lag_events: lag,
    }))
}

/// Reads the projector's position and lag and publishes them as gauges.
async fn projection_gauges(state: &AppState) -> Result<(i64, i64), ApiError> {
    let position = state.projector.position();
    let lag = state.projector.lag().await.map_err(ApiError::unavailable)?;
    crate::metrics::projection(position, lag);
    Ok((position, lag))
}

/// Prometheus metrics: requests and latencies by route, commands and events appended, conflicts,
/// and the projector's position and lag.
#[utoipa::path(get, path = "/api/v1/metrics", tag = "operations",
    responses((status = 200, content_type = "text/plain; version=0.0.4", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    // A database that does not answer leaves the gauges as last set; the scrape still succeeds.
    if let Err(error) = projection_gauges(&state).await {
        tracing::warn!(error = %error.detail, "projection lag unknown at scrape");
    }
    state.metrics.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
}
