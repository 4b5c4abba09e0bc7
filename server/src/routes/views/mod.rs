//! The read models of issue 4 over HTTP: portfolio, partner profile, timeline and handover
//! brief, manager console, CxO commitments, finance reconciliation, and the Admin's rebuild.
//!
//! Every view is a pure function of `channel_ledger_projections::views` over a program model:
//! the projector's live one, or — when the request names `as_of` — one replayed from the log on
//! `axis` (`effective` by default: what was true then, with later corrections; `recorded`: what
//! the ledger knew then). As-of views are evaluated at `now = min(as_of, clock)`, so "overdue"
//! means overdue as of that moment.
//!
//! **Read-your-writes.** Every view takes `min_position`, the position a command's response
//! carried: the handler waits up to [`WAIT_FOR_POSITION`] for the projector to fold it, else
//! answers 503 `projection-lagging` with `Retry-After: 1`. Without it the view answers at once
//! from the model as it stands. Live answers carry the model's position in `X-Ledger-Position`.
//!
//! **Who reads what.** Scoping is the views' [`Scope`] (territory for PAM and Manager, the whole
//! program for CxO, Finance and Auditor; Finance never sees QAR notes). An Admin reads no program
//! data (403). On top of that, by role:
//! - portfolio, profile, timeline, handover: PAM, Manager, CxO, Finance, Auditor;
//! - console: Manager, CxO, Auditor — a PAM reads their own portfolio instead, and Finance the
//!   reconciliation (403 for both);
//! - commitments: CxO, Finance, Auditor;
//! - reconciliation: Finance, CxO, Auditor.
//!
//! A partner outside the caller's territory answers 404, as if it did not exist.

pub mod partner;
pub mod program;
pub mod rebuild;

use std::collections::HashMap;
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use channel_ledger_domain::{Actor, Role};
use channel_ledger_projections::views::Scope;
use channel_ledger_projections::ProgramModel;
use channel_ledger_replay::{parse_as_of, Axis, ReplayError};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::ApiRoutes;
use crate::problem::ApiError;
use crate::state::AppState;

/// How long a read waits for the projector to reach its `min_position`.
pub const WAIT_FOR_POSITION: Duration = Duration::from_secs(2);

/// The response header naming the log position a live view was built at.
pub const POSITION_HEADER: &str = "x-ledger-position";

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .get("/portfolio", program::portfolio)
        .get("/partners/{id}/profile", partner::profile)
        .get("/partners/{id}/timeline", partner::timeline)
        .get("/partners/{id}/handover", partner::handover)
        .get("/console", program::console)
        .get("/commitments", program::commitments)
        .get("/finance/reconciliation", program::reconciliation)
        .post("/admin/rebuild", rebuild::rebuild)
}

/// The query parameters every view shares.
#[derive(Debug, Clone, Copy)]
pub struct ViewQuery {
    pub min_position: Option<i64>,
    /// Replay to this moment instead of reading the live model.
    pub as_of: Option<DateTime<Utc>>,
    pub axis: Axis,
}

impl ViewQuery {
    /// Parses `min_position`, `as_of` and `axis`, naming the one at fault.
    pub fn parse(query: &HashMap<String, String>) -> Result<Self, ApiError> {
        let min_position = query
            .get("min_position")
            .map(|raw| {
                raw.trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|p| *p >= 0)
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "invalid-min-position",
                            "min_position",
                            format!("`{raw}` is not a log position (a whole number, 0 or more)"),
                        )
                    })
            })
            .transpose()?;
        let as_of = query
            .get("as_of")
            .map(|raw| {
                parse_as_of(raw)
                    .map_err(|e| ApiError::invalid("invalid-as-of", "as_of", e.to_string()))
            })
            .transpose()?;
        let axis = query
            .get("axis")
            .map(|raw| {
                raw.parse::<Axis>()
                    .map_err(|e| ApiError::invalid("invalid-axis", "axis", e.to_string()))
            })
            .transpose()?
            .unwrap_or(Axis::Effective);
        Ok(Self {
            min_position,
            as_of,
            axis,
        })
    }

    /// The `now` a view is evaluated at: the clock, or the as-of moment if earlier.
    pub fn now(&self, state: &AppState) -> DateTime<Utc> {
        let now = state.now();
        self.as_of.map_or(now, |t| t.min(now))
    }
}

/// The caller's view scope, if their role may read this view at all.
pub fn scope(actor: &Actor, allowed: &[Role], what: &str) -> Result<Scope, ApiError> {
    if actor.role == Role::Admin || !allowed.contains(&actor.role) {
        return Err(ApiError::forbidden(format!(
            "{} may not read {what}",
            actor.capacity()
        )));
    }
    Ok(Scope::new(
        actor.staff_id,
        actor.role,
        actor.territory.clone(),
    ))
}

/// Every role that reads partner data.
pub const READERS: &[Role] = &[
    Role::Pam,
    Role::Manager,
    Role::Cxo,
    Role::Finance,
    Role::Auditor,
];

/// Waits (bounded) until the projector has folded `min_position`, if the caller asked for it.
pub async fn wait_for(state: &AppState, query: &ViewQuery) -> Result<(), ApiError> {
    let Some(min) = query.min_position else {
        return Ok(());
    };
    if state.projector.wait_for(min, WAIT_FOR_POSITION).await {
        return Ok(());
    }
    // Only now, on the slow path, look at the log: a position it never held cannot be waited for.
    let head = state.ledger.head_position().await?;
    if min > head {
        return Err(ApiError::invalid(
            "min-position-beyond-log",
            "min_position",
            format!("the log ends at position {head}; {min} has not been written"),
        ));
    }
    Err(ApiError::lagging(min, state.projector.position()))
}

/// Waits (bounded) until the live model has folded every event appended so far, so a list read
/// from it sees the caller's own writes without asking for a position.
pub async fn caught_up(state: &AppState) -> Result<(), ApiError> {
    let head = state.ledger.head_position().await?;
    if state.projector.wait_for(head, WAIT_FOR_POSITION).await {
        return Ok(());
    }
    Err(ApiError::lagging(head, state.projector.position()))
}

/// The program model as of the query's moment on its axis, replayed from the log.
pub async fn program_as_of(
    state: &AppState,
    axis: Axis,
    t: DateTime<Utc>,
) -> Result<ProgramModel, ApiError> {
    channel_ledger_replay::program_as_of(&state.ledger, axis, t)
        .await
        .map_err(replay_error)
}

pub fn replay_error(e: ReplayError) -> ApiError {
    match e {
        ReplayError::Store(e) => ApiError::from(e),
        ReplayError::UnknownPartner(_) => super::partners::not_found(),
        e @ ReplayError::Decode(_) => ApiError::internal(e),
    }
}

/// The first allocation of a view's JSON body.
const ANSWER_CAPACITY: usize = 16 * 1024;

/// A JSON view, with the position of the model it was built from.
///
/// Written into a buffer that starts at [`ANSWER_CAPACITY`] rather than axum's 128 bytes: a
/// timeline page is tens of kilobytes, and growing to it by doubling copied it several times.
pub fn answer<T: Serialize>(view: T, position: i64) -> Response {
    let mut body = Vec::with_capacity(ANSWER_CAPACITY);
    let mut response = match serde_json::to_writer(&mut body, &view) {
        Ok(()) => ([(header::CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => ApiError::internal(format!("the view did not serialize: {e}")).into_response(),
    };
    response.headers_mut().insert(
        HeaderName::from_static(POSITION_HEADER),
        HeaderValue::from(position),
    );
    response
}
