//! Shaping a cohort strategy: draft, revise, approve or reject a version (possibly on behalf of
//! a principal), record the quarterly review. Every body takes an optional `effective_at` (with
//! `backdate_reason` when it is in the past); the aggregate decides everything else.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::cohort::{CohortCommand, CohortStrategy, Play, StrategyText};
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::partner::Classification;
use channel_ledger_domain::text::Reason;
use channel_ledger_domain::{Actor, EffectiveTime, StaffId};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::classification;
use crate::auth::Authenticated;
use crate::commands::{actor_at, decide_as, when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::facts::delegation_at;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// A version of the strategy: the intent and the ordered activation plays. Drafting makes
/// version 1; revising makes the next, and both await approval.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftStrategy {
    pub intent: StrategyText,
    /// At least one; first to do first.
    pub plays: Vec<Play>,
    /// When it took effect (RFC 3339, UTC); defaults to now, never in the future.
    pub effective_at: Option<DateTime<Utc>>,
    /// Required when `effective_at` is more than five minutes in the past.
    pub backdate_reason: Option<String>,
}

/// Approve the pending version (a Manager or CxO who did not draft it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveVersion {
    pub comment: Option<Reason>,
    /// The principal's staff id when approving as their delegate; the delegation must be in
    /// force at the effective time.
    pub on_behalf_of: Option<StaffId>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Reject the pending version, with a reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectVersion {
    pub reason: Reason,
    pub on_behalf_of: Option<StaffId>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// The quarterly review of the version in force, e.g. for "FY26 Q2".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewStrategy {
    pub quarter: FiscalQuarter,
    pub notes: StrategyText,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// A version number from the path; anything else names no version.
fn version(raw: &str) -> Result<u32, ApiError> {
    raw.parse().map_err(|_| {
        ApiError::not_found("version-not-found", format!("there is no version {raw:?}"))
    })
}

/// Executes `command` on the classification's strategy as `actor` (already resolved as of
/// `at`). A delegated verdict's authority names the principal, as RAP approvals do.
async fn execute_as(
    state: &AppState,
    request: &RequestMeta,
    class: Classification,
    actor: Actor,
    at: &EffectiveTime,
    command: CohortCommand,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError> {
    decide_as::<CohortStrategy, _>(state, request, class.wire(), actor, at, command, reason).await
}

/// Draft version 1 of a classification's strategy (Manager or CxO).
#[utoipa::path(post, path = "/api/v1/cohort-strategies/{classification}", tag = "cohort-strategies",
    request_body = DraftStrategy,
    params(("classification" = Classification, Path, description = "Wire name, e.g. HighPotential"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn draft(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<DraftStrategy>,
) -> Result<(StatusCode, Json<CommandAccepted>), ApiError> {
    let class = classification(&raw)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let command = CohortCommand::Draft {
        classification: class,
        intent: b.intent,
        plays: b.plays,
    };
    let accepted = execute_as(&state, &request, class, actor, &at, command, None).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

/// Revise: a new version awaiting approval while the approved one stays in force.
#[utoipa::path(post, path = "/api/v1/cohort-strategies/{classification}/revise",
    tag = "cohort-strategies", request_body = DraftStrategy,
    params(("classification" = Classification, Path, description = "Wire name, e.g. HighPotential"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn revise(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<DraftStrategy>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let class = classification(&raw)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let command = CohortCommand::Revise {
        intent: b.intent,
        plays: b.plays,
    };
    Ok(Json(
        execute_as(&state, &request, class, actor, &at, command, None).await?,
    ))
}

/// Approve the pending version; it comes into force and supersedes the previous one.
#[utoipa::path(post, path = "/api/v1/cohort-strategies/{classification}/versions/{version}/approve",
    tag = "cohort-strategies", request_body = ApproveVersion,
    params(("classification" = Classification, Path, description = "Wire name, e.g. HighPotential"),
        ("version" = u32, Path, description = "The version awaiting approval"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn approve(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((raw, v)): Path<(String, String)>,
    JsonBody(b): JsonBody<ApproveVersion>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (class, version) = (classification(&raw)?, version(&v)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let on_behalf_of = delegation_at(&state.ledger, &actor, b.on_behalf_of, at.at()).await?;
    let reason = b.comment.as_ref().map(ToString::to_string);
    let command = CohortCommand::Approve {
        version,
        on_behalf_of,
        comment: b.comment,
    };
    Ok(Json(
        execute_as(&state, &request, class, actor, &at, command, reason).await?,
    ))
}

/// Reject the pending version, with a reason; the version in force (if any) stays.
#[utoipa::path(post, path = "/api/v1/cohort-strategies/{classification}/versions/{version}/reject",
    tag = "cohort-strategies", request_body = RejectVersion,
    params(("classification" = Classification, Path, description = "Wire name, e.g. HighPotential"),
        ("version" = u32, Path, description = "The version awaiting approval"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn reject(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((raw, v)): Path<(String, String)>,
    JsonBody(b): JsonBody<RejectVersion>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (class, version) = (classification(&raw)?, version(&v)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let on_behalf_of = delegation_at(&state.ledger, &actor, b.on_behalf_of, at.at()).await?;
    let reason = Some(b.reason.to_string());
    let command = CohortCommand::Reject {
        version,
        on_behalf_of,
        reason: b.reason,
    };
    Ok(Json(
        execute_as(&state, &request, class, actor, &at, command, reason).await?,
    ))
}

/// Record the quarterly review of the version in force (one per fiscal quarter).
#[utoipa::path(post, path = "/api/v1/cohort-strategies/{classification}/reviews",
    tag = "cohort-strategies", request_body = ReviewStrategy,
    params(("classification" = Classification, Path, description = "Wire name, e.g. HighPotential"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn review(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(raw): Path<String>,
    JsonBody(b): JsonBody<ReviewStrategy>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let class = classification(&raw)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let actor = actor_at(&state, &auth.actor, &at).await?;
    let reason = Some(b.notes.to_string());
    let command = CohortCommand::RecordReview {
        quarter: b.quarter,
        notes: b.notes,
    };
    Ok(Json(
        execute_as(&state, &request, class, actor, &at, command, reason).await?,
    ))
}
