//! `POST /admin/rebuild`: refold every read model from the log while the service keeps
//! answering from the current ones, then switch over (`Projector::rebuild`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::Role;
use channel_ledger_projections::{ProjectorError, RebuildReport};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// What a rebuild did.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RebuildResult {
    /// Events folded into the new model.
    pub events: usize,
    /// The log position the new model reached.
    pub position: i64,
    pub seconds: f64,
    pub events_per_second: f64,
    /// Whether the rebuilt model equals the live one it replaced (when both were at the same
    /// position); `false` would mean the fold is not deterministic.
    pub matched_live: Option<bool>,
}

impl From<RebuildReport> for RebuildResult {
    fn from(r: RebuildReport) -> Self {
        Self {
            events: r.events,
            position: r.position,
            seconds: r.seconds,
            events_per_second: r.events_per_second,
            matched_live: r.matched_live,
        }
    }
}

/// Rebuilds every read model from the log and switches over; reads keep being answered from the
/// current models meanwhile. Admin only; 409 while another rebuild runs.
#[utoipa::path(post, path = "/api/v1/admin/rebuild", tag = "operations",
    responses((status = 200, body = RebuildResult), CommandErrors), security(("bearer" = [])))]
pub async fn rebuild(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Json<RebuildResult>, ApiError> {
    if auth.actor.role != Role::Admin {
        return Err(ApiError::forbidden(format!(
            "{} may not rebuild the read models",
            auth.actor.capacity()
        )));
    }
    // On its own task: a client that hangs up does not cancel the rebuild halfway.
    let projector = state.projector.clone();
    let report = tokio::spawn(async move { projector.rebuild().await })
        .await
        .map_err(ApiError::internal)?
        .map_err(projector_error)?;
    Ok(Json(report.into()))
}

pub fn projector_error(e: ProjectorError) -> ApiError {
    match e {
        ProjectorError::Store(e) => ApiError::from(e),
        ProjectorError::RebuildInProgress => ApiError::new(
            StatusCode::CONFLICT,
            "rebuild-in-progress",
            "a rebuild is already running; wait for it to finish",
        ),
        e => ApiError::internal(e),
    }
}
