//! Preparing a fund request: drafting it against a RAP or an exemption, its activity plan,
//! submission (with the RAP or exemption facts and the partner's available allocation resolved
//! as of the effective time, under the partner's commitments lock) and withdrawal.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::{
    ActivityId, ActivityInput, AllocationId, FundRequest, FundRequestCommand, FundRequestId,
    FundingLink,
};
use channel_ledger_domain::money::{ExchangeRate, Money};
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::rap::RapId;
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::EffectiveTime;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::facts::{available, commitments_lock, request_as_of, source_facts};
use super::{activity_id, request_id, request_not_found};
use crate::auth::Authenticated;
use crate::commands::{decide, when, AppendedEvent, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::facts::partner_facts_at;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// Open a fund request for a partner's MDF in a quarter, linked to exactly one of an Active
/// RAP (`rap_id`) or an exemption allocation (`allocation_id`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DraftFundRequest {
    pub partner_id: PartnerId,
    pub quarter: FiscalQuarter,
    pub rap_id: Option<RapId>,
    pub allocation_id: Option<AllocationId>,
    pub title: Name,
    /// Domains of the named accounts the activities target (for a RAP: among its named accounts).
    #[serde(default)]
    pub named_accounts: Vec<String>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// An activity of the plan; `requested` in another currency needs its date's `rate`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddActivity {
    pub description: Reason,
    pub starts_on: NaiveDate,
    pub requested: Money,
    pub rate: Option<ExchangeRate>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Only when the command took effect.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Submit the plan; an activity less than 30 days ahead needs a `late_reason`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitFundRequest {
    pub late_reason: Option<Reason>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// A reason: to withdraw, return, reject or decline a request, or reject an activity or proof.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithReason {
    pub reason: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// An activity added: the request's id, the new activity's id and the events appended.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ActivityAccepted {
    pub id: String,
    pub activity_id: ActivityId,
    pub events: Vec<AppendedEvent>,
}

/// Resolves the actor as of the effective time and executes on the request's stream.
pub(super) async fn run(
    state: &AppState,
    auth: &Authenticated,
    request: &RequestMeta,
    id: FundRequestId,
    at: EffectiveTime,
    command: FundRequestCommand,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError> {
    decide::<FundRequest, _>(state, auth, request, &id.to_string(), &at, command, reason).await
}

fn link(
    rap_id: Option<RapId>,
    allocation_id: Option<AllocationId>,
) -> Result<FundingLink, ApiError> {
    match (rap_id, allocation_id) {
        (Some(r), None) => Ok(FundingLink::Rap { rap_id: r.0 }),
        (None, Some(allocation_id)) => Ok(FundingLink::Exemption { allocation_id }),
        (r, _) => Err(ApiError::invalid(
            "funding-link-required",
            if r.is_some() {
                "allocation_id"
            } else {
                "rap_id"
            },
            "give exactly one of rap_id (MDF inside a RAP) or allocation_id (an exemption)",
        )),
    }
}

/// Draft a fund request.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests", tag = "mdf", request_body = DraftFundRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn draft(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    JsonBody(b): JsonBody<DraftFundRequest>,
) -> Result<(StatusCode, Json<CommandAccepted>), ApiError> {
    let link = link(b.rap_id, b.allocation_id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let partner = partner_facts_at(&state.ledger, b.partner_id, at.at()).await?;
    let id = FundRequestId(state.new_id());
    let command = FundRequestCommand::Draft {
        request_id: id,
        partner,
        quarter: b.quarter,
        link,
        title: b.title,
        named_accounts: b.named_accounts,
    };
    let accepted = run(&state, &auth, &request, id, at, command, None).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

/// Add an activity to a Draft, Returned or Rejected request.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/activities", tag = "mdf", request_body = AddActivity,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = ActivityAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn add_activity(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AddActivity>,
) -> Result<(StatusCode, Json<ActivityAccepted>), ApiError> {
    let id = request_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let activity_id = ActivityId(state.new_id());
    let command = FundRequestCommand::AddActivity(ActivityInput {
        activity_id,
        description: b.description,
        starts_on: b.starts_on,
        requested: b.requested,
        rate: b.rate,
    });
    let accepted = run(&state, &auth, &request, id, at, command, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(ActivityAccepted {
            id: accepted.id,
            activity_id,
            events: accepted.events,
        }),
    ))
}

/// Remove an activity from a Draft, Returned or Rejected request.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/activities/{activity_id}/remove", tag = "mdf",
    request_body = Timing,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("activity_id" = Uuid, Path, description = "Activity id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn remove_activity(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path((id, activity)): Path<(String, String)>,
    JsonBody(b): JsonBody<Timing>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let (id, activity_id) = (request_id(&id)?, activity_id(&activity)?);
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let command = FundRequestCommand::RemoveActivity { activity_id };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, None).await?,
    ))
}

/// Submit the plan for approval. The linked RAP (Active, the partner's, covering the named
/// accounts and amount) or exemption (approved, the partner's, this quarter) and the partner's
/// available allocation (the `Allocated` balance less its other requests awaiting review) are
/// resolved as of the effective time.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/submit", tag = "mdf", request_body = SubmitFundRequest,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn submit(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<SubmitFundRequest>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = request_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let current = request_as_of(&state.ledger, &id.to_string(), at.at()).await?;
    let details = current.details.ok_or_else(request_not_found)?;
    let source = source_facts(&state.ledger, details.link, details.quarter, at.at()).await?;
    // Held from reading what is available until the submission is appended, so two requests of
    // the partner and quarter cannot both count the same allocation (ADR 0003).
    let lock = commitments_lock(&state.ledger, details.partner_id, details.quarter).await?;
    let result = async {
        // A back-dated submission must not see more than is available today: approvals and
        // submissions recorded since its effective time have already spent some of it.
        let (p, q) = (details.partner_id, details.quarter);
        let then = available(&state.ledger, p, q, id, at.at()).await?;
        let now = available(&state.ledger, p, q, id, state.now()).await?;
        let available = if now.minor < then.minor { now } else { then };
        let reason = b.late_reason.as_ref().map(ToString::to_string);
        let command = FundRequestCommand::Submit {
            source,
            available,
            late_reason: b.late_reason,
        };
        run(&state, &auth, &request, id, at, command, reason).await
    }
    .await;
    lock.release().await;
    Ok(Json(result?))
}

/// Withdraw a request that is not yet decided, with a reason.
#[utoipa::path(post, path = "/api/v1/mdf/fund-requests/{id}/withdraw", tag = "mdf", request_body = WithReason,
    params(("id" = Uuid, Path, description = "Fund request id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn withdraw(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<WithReason>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = request_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let reason = Some(b.reason.to_string());
    let command = FundRequestCommand::Withdraw { reason: b.reason };
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}
