//! The global log in order: `GET /events?after=<position>&limit=<n>`. It spans every territory, so
//! only program-wide roles read it (CxO, Finance, Auditor, Admin).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use channel_ledger_domain::Role;
use channel_ledger_store::RecordedEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::ApiRoutes;
use crate::auth::Authenticated;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::state::AppState;

pub const DEFAULT_LIMIT: u32 = 100;
pub const MAX_LIMIT: u32 = 1000;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default().get("/events", global_log)
}

/// One event of the log with everything the ledger knows about it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventView {
    /// Place in the global order: 1, 2, 3, … without gaps.
    pub position: i64,
    pub event_id: Uuid,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// Actor, role, territory, authority, reason, command/correlation/causation/request ids.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    pub effective_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
}

impl From<RecordedEvent> for EventView {
    fn from(e: RecordedEvent) -> Self {
        Self {
            position: e.position,
            event_id: e.event_id,
            aggregate_type: e.aggregate_type,
            aggregate_id: e.aggregate_id,
            sequence: e.sequence,
            event_type: e.event_type,
            event_version: e.event_version,
            payload: e.payload,
            metadata: e.metadata,
            effective_at: e.effective_at,
            recorded_at: e.recorded_at,
        }
    }
}

/// A page of events.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct EventPage {
    pub events: Vec<EventView>,
    /// Pass as `after` to read the next page (the last position returned, or `after` if none).
    pub next_after: i64,
}

/// The global log in commit order.
#[utoipa::path(get, path = "/api/v1/events", tag = "events",
    params(
        ("after" = Option<i64>, Query, description = "Return events after this position (default 0)"),
        ("limit" = Option<u32>, Query, description = "At most this many events, 1 to 1000 (default 100)"),
    ),
    responses((status = 200, body = EventPage), ReadErrors),
    security(("bearer" = [])))]
pub async fn global_log(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<EventPage>, ApiError> {
    if matches!(auth.actor.role, Role::Pam | Role::Manager) {
        return Err(ApiError::forbidden(format!(
            "{} may not read the global log: it spans every territory",
            auth.actor.capacity()
        )));
    }
    let after = match query.get("after") {
        None => 0,
        Some(s) => s.parse::<i64>().ok().filter(|a| *a >= 0).ok_or_else(|| {
            ApiError::invalid("invalid-query", "after", "after is a position, 0 or more")
        })?,
    };
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                ApiError::invalid(
                    "invalid-query",
                    "limit",
                    format!("limit is 1 to {MAX_LIMIT}"),
                )
            })?,
    };
    let events: Vec<EventView> = state
        .ledger
        .read_global(after, limit)
        .await?
        .into_iter()
        .map(EventView::from)
        .collect();
    let next_after = events.last().map_or(after, |e| e.position);
    Ok(Json(EventPage { events, next_after }))
}
