//! After approval: a claim per approved activity (at most the approved amount), proof of
//! performance and its review, and payments by Finance that settle accepted claims.

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::mdf::{FundRequestCommand, Settlement};
use channel_ledger_domain::money::{ExchangeRate, Money};
use channel_ledger_domain::text::{Name, Reason};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::requests::{run, WithReason};
use super::{activity_id, request_id};
use crate::auth::Authenticated;
use crate::commands::{when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// Claim reimbursement for an approved activity; a foreign amount needs its date's `rate`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitClaim {
    pub amount: Money,
    pub rate: Option<ExchangeRate>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Proof of performance, once the activity has started (a description or a document link).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitProof {
    pub proof: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptProof {
    pub comment: Option<Reason>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// One payment settling one or more accepted claims of the request (Finance only).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPayment {
    pub payment_reference: Name,
    pub settlements: Vec<Settlement>,
    /// The payment date's rate, when the settlements are not in the program currency.
    pub rate: Option<ExchangeRate>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Claim an approved activity.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/activities/{activity_id}/claim", tag = "mdf",
    request_body = SubmitClaim,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("activity_id" = Uuid, Path, description = "Activity id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn submit_claim(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, activity)): Path<(String, String)>,
    JsonBody(b): JsonBody<SubmitClaim>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, activity_id) = (request_id(&id)?, activity_id(&activity)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let command = FundRequestCommand::SubmitClaim {
        activity_id,
        amount: b.amount,
        rate: b.rate,
    };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, None).await?,
    ))
}

/// Submit proof of performance for a claim.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/activities/{activity_id}/proof", tag = "mdf",
    request_body = SubmitProof,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("activity_id" = Uuid, Path, description = "Activity id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn submit_proof(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, activity)): Path<(String, String)>,
    JsonBody(b): JsonBody<SubmitProof>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, activity_id) = (request_id(&id)?, activity_id(&activity)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let command = FundRequestCommand::SubmitProof {
        activity_id,
        proof: b.proof,
    };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, None).await?,
    ))
}

/// Accept the proof (territory Manager or Finance, not who submitted it): the claim becomes
/// payable, due for reimbursement within 30 days.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/activities/{activity_id}/proof/accept", tag = "mdf",
    request_body = AcceptProof,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("activity_id" = Uuid, Path, description = "Activity id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn accept_proof(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, activity)): Path<(String, String)>,
    JsonBody(b): JsonBody<AcceptProof>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, activity_id) = (request_id(&id)?, activity_id(&activity)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let reason = b.comment.as_ref().map(ToString::to_string);
    let command = FundRequestCommand::AcceptProof {
        activity_id,
        comment: b.comment,
    };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}

/// Reject the proof, with a reason; new proof may be submitted.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/activities/{activity_id}/proof/reject", tag = "mdf",
    request_body = WithReason,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("activity_id" = Uuid, Path, description = "Activity id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn reject_proof(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, activity)): Path<(String, String)>,
    JsonBody(b): JsonBody<WithReason>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, activity_id) = (request_id(&id)?, activity_id(&activity)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let reason = Some(b.reason.to_string());
    let command = FundRequestCommand::RejectProof {
        activity_id,
        reason: b.reason,
    };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}

/// Record a payment (Finance only) settling accepted claims, never more than accepted.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/payments", tag = "mdf", request_body = RecordPayment,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn record_payment(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RecordPayment>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = request_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let reason = Some(format!("payment {}", b.payment_reference));
    let command = FundRequestCommand::RecordPayment {
        payment_reference: b.payment_reference,
        settlements: b.settlements,
        rate: b.rate,
    };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}
