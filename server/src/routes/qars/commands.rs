//! Running a QAR: open, review each commitment of the previous plan, record the discussion, lock
//! the next plan, complete. Every body takes an optional `effective_at` (with `backdate_reason`
//! when it is in the past); the aggregate decides everything else.

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::qar::{
    CommitmentId, Discussion, NewCommitment, Note, Outcome, QarCommand,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::run;
use super::schedule::schedule_if_missing;
use crate::auth::Authenticated;
use crate::commands::{when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::routes::partners::partner_id;
use crate::state::AppState;

/// A QAR step with nothing to say but when: opening or completing.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QarStep {
    /// When it took effect (RFC 3339, UTC); defaults to now, never in the future.
    pub effective_at: Option<DateTime<Utc>>,
    /// Required when `effective_at` is more than five minutes in the past.
    pub backdate_reason: Option<String>,
}

/// Judge one commitment of the previous plan. `Deferred` carries it into the next plan, due at
/// `new_due_at`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewCommitment {
    pub outcome: Outcome,
    pub note: Note,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// What was discussed, agreed and why; recording it again before completion corrects it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordDiscussion {
    pub discussed: Note,
    pub agreed: Note,
    pub why: Note,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Lock the next quarter's plan: deferred commitments are carried forward first, then these.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LockPlan {
    pub commitments: Vec<NewCommitment>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// A commitment's number from the path; anything else names no commitment.
fn commitment_id(raw: &str) -> Result<CommitmentId, ApiError> {
    raw.parse().map(CommitmentId).map_err(|_| {
        ApiError::not_found(
            "unknown-commitment",
            format!("there is no commitment {raw:?} in the plan under review"),
        )
    })
}

/// Open the QAR that is due. Schedules the series first if its first PAM assignment did not.
#[utoipa::path(post, path = "/api/v1/partners/{id}/qars/open", tag = "qars", request_body = QarStep,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn open(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<QarStep>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let scheduled = schedule_if_missing(&state, &auth.actor, &request, id, &at).await?;
    let mut accepted = run(
        &state,
        &auth,
        &request,
        id,
        &at,
        |partner| QarCommand::Open { partner },
        None,
    )
    .await?;
    if let Some(s) = scheduled {
        accepted.events.splice(0..0, s.events);
    }
    Ok(Json(accepted))
}

/// Review one commitment of the previous QAR's plan: Delivered, Deferred (new due date) or Missed.
#[utoipa::path(post, path = "/api/v1/partners/{id}/qars/current/commitments/{commitment_id}/review",
    tag = "qars", request_body = ReviewCommitment,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("commitment_id" = u32, Path, description = "The commitment's number in the series"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn review_commitment(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, commitment)): Path<(String, String)>,
    JsonBody(b): JsonBody<ReviewCommitment>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let commitment_id = commitment_id(&commitment)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let reason = Some(b.note.to_string());
    let command = |partner| QarCommand::ReviewCommitment {
        partner,
        commitment_id,
        outcome: b.outcome,
        note: b.note,
    };
    Ok(Json(
        run(&state, &auth, &request, id, &at, command, reason).await?,
    ))
}

/// Record what was discussed, what was agreed and why.
#[utoipa::path(post, path = "/api/v1/partners/{id}/qars/current/discussion", tag = "qars",
    request_body = RecordDiscussion,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn record_discussion(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RecordDiscussion>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let reason = Some(b.why.to_string());
    let discussion = Discussion {
        discussed: b.discussed,
        agreed: b.agreed,
        why: b.why,
    };
    let command = |partner| QarCommand::RecordDiscussion {
        partner,
        discussion,
    };
    Ok(Json(
        run(&state, &auth, &request, id, &at, command, reason).await?,
    ))
}

/// Lock the next quarter's plan (commitments with owner and due date).
#[utoipa::path(post, path = "/api/v1/partners/{id}/qars/current/plan", tag = "qars",
    request_body = LockPlan,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn lock_plan(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<LockPlan>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let command = |partner| QarCommand::LockPlan {
        partner,
        commitments: b.commitments,
    };
    Ok(Json(
        run(&state, &auth, &request, id, &at, command, None).await?,
    ))
}

/// Complete the QAR: every commitment reviewed, the discussion recorded and the plan locked.
/// The next QAR is due 90 days after the completion's effective time.
#[utoipa::path(post, path = "/api/v1/partners/{id}/qars/current/complete", tag = "qars",
    request_body = QarStep,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn complete(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<QarStep>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let command = |partner| QarCommand::Complete { partner };
    Ok(Json(
        run(&state, &auth, &request, id, &at, command, None).await?,
    ))
}
