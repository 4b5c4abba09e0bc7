//! Changing partners. The aggregate decides who may (role and territory as of the effective time);
//! these handlers only build the command and its metadata.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::partner::{
    Classification, CompanySize, Partner, PartnerCommand, PartnerId, PartnerType, Tier,
};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{StaffId, Territory};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;

use super::partner_id;
use crate::auth::Authenticated;
use crate::commands::{decide, when, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::openapi::CommandErrors;
use crate::problem::ApiError;
use crate::state::AppState;
use channel_ledger_domain::EffectiveTime;

/// Register a partner in a territory (PAM or Manager of it, or CxO).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterPartner {
    pub name: Name,
    pub partner_type: PartnerType,
    pub territory: Territory,
    pub headquarters: Name,
    pub size: CompanySize,
    pub specialization: Option<Name>,
    /// When it took effect (RFC 3339, UTC); defaults to now, never in the future.
    pub effective_at: Option<DateTime<Utc>>,
    /// Required when `effective_at` is more than five minutes in the past.
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeTier {
    pub tier: Tier,
    pub evidence: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Reclassify (Manager of the partner's territory or CxO); never to the same class.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Reclassify {
    pub classification: Classification,
    pub rationale: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Assign or reassign the PAM: an active PAM of the partner's territory at the effective time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignPam {
    pub pam_id: StaffId,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Offboard {
    pub reason: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// Resolves the actor as of the effective time and executes.
async fn run(
    state: &AppState,
    auth: &Authenticated,
    request: &RequestMeta,
    id: PartnerId,
    at: EffectiveTime,
    command: PartnerCommand,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError> {
    decide::<Partner, _>(state, auth, request, &id.to_string(), &at, command, reason).await
}

/// Register a partner.
#[utoipa::path(post, path = "/api/v1/partners", tag = "partners", request_body = RegisterPartner,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn register(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    JsonBody(b): JsonBody<RegisterPartner>,
) -> Result<(StatusCode, Json<CommandAccepted>), ApiError> {
    let partner_id = PartnerId(state.new_id());
    let command = PartnerCommand::Register {
        partner_id,
        name: b.name,
        partner_type: b.partner_type,
        territory: b.territory,
        headquarters: b.headquarters,
        size: b.size,
        specialization: b.specialization,
    };
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let accepted = run(&state, &auth, &request, partner_id, at, command, None).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

/// Change the tier, with evidence.
#[utoipa::path(post, path = "/api/v1/partners/{id}/tier", tag = "partners", request_body = ChangeTier,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn change_tier(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ChangeTier>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let reason = Some(b.evidence.to_string());
    let command = PartnerCommand::ChangeTier {
        tier: b.tier,
        evidence: b.evidence,
    };
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}

/// Reclassify, with a rationale.
#[utoipa::path(post, path = "/api/v1/partners/{id}/classification", tag = "partners", request_body = Reclassify,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn reclassify(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Reclassify>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let reason = Some(b.rationale.to_string());
    let command = PartnerCommand::Reclassify {
        to: b.classification,
        rationale: b.rationale,
    };
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}

/// Assign or reassign the partner's PAM. The first assignment also schedules QAR 1 (due 90 days
/// later); the answer lists that event after the assignment.
#[utoipa::path(post, path = "/api/v1/partners/{id}/pam", tag = "partners", request_body = AssignPam,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn assign_pam(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<AssignPam>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    let pam = crate::directory::pam_candidate(&state.ledger, b.pam_id, at.at()).await?;
    let command = PartnerCommand::AssignPam { pam };
    let mut accepted = run(&state, &auth, &request, id, at.clone(), command, None).await?;
    // The first assignment starts the QAR cadence: the answer lists those events too, so a read
    // with the last position sees the schedule. A failure there is logged, not answered.
    let scheduled =
        crate::routes::qars::schedule_after_assignment(&state, &auth.actor, &request, id, &at)
            .await;
    accepted.events.extend(scheduled);
    Ok(Json(accepted))
}

/// Offboard, with a reason. The history stays; the partner accepts no further change.
#[utoipa::path(post, path = "/api/v1/partners/{id}/offboard", tag = "partners", request_body = Offboard,
    params(("id" = Uuid, Path, description = "Partner id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn offboard(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Offboard>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = partner_id(&id)?;
    let reason = Some(b.reason.to_string());
    let command = PartnerCommand::Offboard { reason: b.reason };
    let at = when(&state, b.effective_at, b.backdate_reason)?;
    Ok(Json(
        run(&state, &auth, &request, id, at, command, reason).await?,
    ))
}
