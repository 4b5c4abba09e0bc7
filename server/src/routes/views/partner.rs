//! One partner's views: profile, timeline and handover brief, live or as of a moment.
//!
//! As of a moment, the partner is answered from its temporal snapshots
//! ([`crate::snapshot_cache`]): built once from its own streams (indexed reads of a few streams,
//! never the whole log), then kept until the partner or its context moves.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use channel_ledger_projections::views::{
    handover_brief, partner_profile, partner_timeline_page, HandoverBrief, PartnerProfileView,
    Scope, TimelineEntry, TimelineKind, TimelinePage, TimelineSlice,
};
use channel_ledger_projections::ProgramModel;
use channel_ledger_replay::{Axis, PartnerSnapshots};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{answer, replay_error, scope, wait_for, ViewQuery, READERS};
use crate::auth::Authenticated;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::routes::partners::{not_found, partner_id};
use crate::state::AppState;

/// The most entries one timeline page holds.
const MAX_PAGE: usize = 1000;

/// The query parameters every view takes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViewParams {
    /// Wait (up to 2 s) until the read models have folded this log position, e.g. the
    /// `position` a command answered with; 503 `projection-lagging` otherwise.
    pub min_position: Option<i64>,
    /// Answer as of this moment: `2025-06-30` (the end of that day, UTC) or an RFC 3339 instant.
    pub as_of: Option<String>,
    /// `effective` (default: what was true then, with later corrections) or `recorded` (what
    /// the ledger knew then). Only with `as_of`.
    pub axis: Option<String>,
}

/// A partner's events as sentences, in log order (in the axis's order when as of a moment).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerTimeline {
    pub partner_id: String,
    /// The moment replayed to, when asked.
    pub as_of: Option<DateTime<Utc>>,
    /// `effective` or `recorded`, with `as_of`.
    pub axis: Option<String>,
    pub entries: Vec<TimelineEntry>,
    /// With `limit`: the `before` that asks for the page of older entries, when there are any.
    pub next_before: Option<i64>,
}

/// What identifies the partner's streams in the live model: its entry and the cohort ids, cloned
/// so that no lock is held while the streams are read. 404 when unknown or outside the scope.
async fn streams_of(state: &AppState, scope: &Scope, id: &str) -> Result<ProgramModel, ApiError> {
    state
        .projector
        .with_model(|m| {
            let entry = m.partners.get(id).filter(|e| scope.sees_partner(e))?;
            Some(ProgramModel {
                position: m.position,
                partners: [(id.to_owned(), entry.clone())].into(),
                cohorts: m.cohorts.clone(),
                ..ProgramModel::default()
            })
        })
        .await
        .ok_or_else(not_found)
}

/// The partner's snapshots, cached while valid for the live model (404 as [`streams_of`]).
async fn snapshots(
    state: &AppState,
    scope: &Scope,
    id: &str,
) -> Result<Arc<PartnerSnapshots>, ApiError> {
    let names = streams_of(state, scope, id).await?;
    state
        .snapshots
        .get(&state.ledger, &names, id)
        .await
        .map_err(replay_error)
}

/// The partner's model as of `t` on `axis`.
async fn model_as_of(
    state: &AppState,
    scope: &Scope,
    id: &str,
    axis: Axis,
    t: DateTime<Utc>,
) -> Result<ProgramModel, ApiError> {
    Ok(snapshots(state, scope, id).await?.state_as_of(axis, t))
}

/// Parses the path and query, checks the role and waits for `min_position`.
async fn prepare(
    state: &AppState,
    auth: &Authenticated,
    id: &str,
    query: &HashMap<String, String>,
    what: &str,
) -> Result<(Scope, String, ViewQuery), ApiError> {
    let scope = scope(&auth.actor, READERS, what)?;
    let query = ViewQuery::parse(query)?;
    let id = partner_id(id)?.to_string();
    wait_for(state, &query).await?;
    Ok((scope, id, query))
}

/// The partner profile: tier, classification and the cohort strategy in force, PAM, active RAPs
/// with named-account status, QAR status and next due, MDF committed / approved / claimed / paid,
/// ARR won. Outside the caller's territory: 404.
#[utoipa::path(get, path = "/api/v1/partners/{id}/profile", tag = "views",
    params(("id" = Uuid, Path, description = "Partner id"), ViewParams),
    responses((status = 200, body = PartnerProfileView), ReadErrors), security(("bearer" = [])))]
pub async fn profile(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (scope, id, query) = prepare(&state, &auth, &id, &query, "partner profiles").await?;
    let (view, position) = profile_view(&state, &scope, &id, &query).await?;
    Ok(answer(view, position))
}

/// The profile of partner `id` as the query asks (live or as of a moment) and the position of
/// the model it came from; 404 when the scope does not see it.
pub async fn profile_view(
    state: &AppState,
    scope: &Scope,
    id: &str,
    query: &ViewQuery,
) -> Result<(PartnerProfileView, i64), ApiError> {
    let now = query.now(state);
    let (view, position) = match query.as_of {
        Some(t) => {
            let model = model_as_of(state, scope, id, query.axis, t).await?;
            (partner_profile(&model, scope, now, id), model.position)
        }
        None => {
            state
                .projector
                .with_model(|m| (partner_profile(m, scope, now, id), m.position))
                .await
        }
    };
    Ok((view.ok_or_else(not_found)?, position))
}

/// The partner's timeline: every event as a sentence, with who, role, authority and reason;
/// `kind` filters (partner, rap, qar, mdf, staff, cohort). Finance reads QAR events without
/// their reason.
#[utoipa::path(get, path = "/api/v1/partners/{id}/timeline", tag = "views",
    params(("id" = Uuid, Path, description = "Partner id"), ViewParams,
        ("kind" = Option<TimelineKind>, Query, description = "Only events of this kind"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000,
            description = "Only the last this many entries (1 to 1000); all when absent"),
        ("before" = Option<i64>, Query, minimum = 1,
            description = "Only entries before this log position: the `next_before` of the page after")),
    responses((status = 200, body = PartnerTimeline), ReadErrors), security(("bearer" = [])))]
pub async fn timeline(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (scope, id, query) = prepare(&state, &auth, &id, &raw, "partner timelines").await?;
    let kind = raw.get("kind").map(|k| parse_kind(k)).transpose()?;
    let page = parse_page(&raw)?;
    let (slice, position) = timeline_view(&state, &scope, &id, &query, kind, page).await?;
    let next_before = slice
        .older
        .then(|| slice.entries.first().map(|e| e.position))
        .flatten();
    Ok(answer(
        PartnerTimeline {
            partner_id: id,
            as_of: query.as_of,
            axis: query.as_of.map(|_| query.axis.to_string()),
            entries: slice.entries,
            next_before,
        },
        position,
    ))
}

/// The page of partner `id`'s timeline the query asks for, and the position of the model that
/// named its events; 404 when the scope does not see it.
pub async fn timeline_view(
    state: &AppState,
    scope: &Scope,
    id: &str,
    query: &ViewQuery,
    kind: Option<TimelineKind>,
    page: TimelinePage,
) -> Result<(TimelineSlice, i64), ApiError> {
    let (entries, position) = match query.as_of {
        Some(t) => {
            let snapshots = snapshots(state, scope, id).await?;
            let model = snapshots.state_as_of(query.axis, t);
            let events = snapshots.timeline_as_of(query.axis, t);
            let entries = partner_timeline_page(events, &model, scope, id, kind, page);
            (entries, model.position)
        }
        None => {
            let names = streams_of(state, scope, id).await?;
            let position = names.position;
            let own = state
                .own_events
                .get(&state.ledger, &names, id)
                .await
                .map_err(replay_error)?;
            // Only what the model has folded: its names and sentences must know every event.
            let folded = &own[..own.partition_point(|e| e.position <= position)];
            let entries = state
                .projector
                .with_model(|m| partner_timeline_page(folded, m, scope, id, kind, page))
                .await;
            (entries, position)
        }
    };
    Ok((entries.ok_or_else(not_found)?, position))
}

/// `limit` and `before`, naming the one at fault.
pub fn parse_page(raw: &HashMap<String, String>) -> Result<TimelinePage, ApiError> {
    let limit = raw
        .get("limit")
        .map(|l| {
            l.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_PAGE).contains(n))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "invalid-limit",
                        "limit",
                        format!("`{l}` is not a page size: a whole number from 1 to {MAX_PAGE}"),
                    )
                })
        })
        .transpose()?;
    let before = raw
        .get("before")
        .map(|b| {
            b.trim()
                .parse::<i64>()
                .ok()
                .filter(|p| *p >= 1)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "invalid-before",
                        "before",
                        format!("`{b}` is not a log position (a whole number, 1 or more)"),
                    )
                })
        })
        .transpose()?;
    Ok(TimelinePage { before, limit })
}

fn parse_kind(raw: &str) -> Result<TimelineKind, ApiError> {
    serde_json::from_value(serde_json::Value::String(raw.trim().to_ascii_lowercase())).map_err(
        |_| {
            ApiError::invalid(
                "invalid-kind",
                "kind",
                format!("unknown kind `{raw}`: expected partner, rap, qar, mdf, staff or cohort"),
            )
        },
    )
}

/// The handover brief for an incoming PAM: open commitments, active RAPs and where each named
/// account stands, QAR history, last concerns, MDF owed, earlier PAMs.
#[utoipa::path(get, path = "/api/v1/partners/{id}/handover", tag = "views",
    params(("id" = Uuid, Path, description = "Partner id"), ViewParams),
    responses((status = 200, body = HandoverBrief), ReadErrors), security(("bearer" = [])))]
pub async fn handover(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (scope, id, query) = prepare(&state, &auth, &id, &query, "handover briefs").await?;
    let (view, position) = handover_view(&state, &scope, &id, &query).await?;
    Ok(answer(view, position))
}

/// The handover brief of partner `id` as the query asks, and the position of the model it came
/// from; 404 when the scope does not see it.
pub async fn handover_view(
    state: &AppState,
    scope: &Scope,
    id: &str,
    query: &ViewQuery,
) -> Result<(HandoverBrief, i64), ApiError> {
    let now = query.now(state);
    let (view, position) = match query.as_of {
        Some(t) => {
            let model = model_as_of(state, scope, id, query.axis, t).await?;
            (handover_brief(&model, scope, now, id), model.position)
        }
        None => {
            state
                .projector
                .with_model(|m| (handover_brief(m, scope, now, id), m.position))
                .await
        }
    };
    Ok((view.ok_or_else(not_found)?, position))
}
