//! The staff directory: Admins register people, change roles, move territories and record
//! departures; any authenticated member of staff may read the directory.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use channel_ledger_domain::staff::{Staff, StaffCommand, StaffStatus};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Role, StaffId, Territory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::ApiRoutes;
use crate::auth::Authenticated;
use crate::commands::{decide, CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::openapi::{CommandErrors, ReadErrors};
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .post("/staff", join)
        .get("/staff", list)
        .get("/staff/{id}", get_one)
        .post("/staff/{id}/role", change_role)
        .post("/staff/{id}/territory", move_territory)
        .post("/staff/{id}/leave", leave)
}

/// Register a member of staff. PAMs and Managers need a territory; other roles have none.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinStaff {
    pub name: Name,
    pub role: Role,
    pub territory: Option<Territory>,
    /// When it took effect (RFC 3339, UTC); defaults to now, never in the future.
    pub effective_at: Option<DateTime<Utc>>,
    /// Required when `effective_at` is more than five minutes in the past.
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeRole {
    pub role: Role,
    pub territory: Option<Territory>,
    pub reason: Option<Reason>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveTerritory {
    pub territory: Territory,
    pub reason: Option<Reason>,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Leave {
    pub reason: Reason,
    pub effective_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// A member of staff as the directory knows them now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StaffView {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
    pub territory: Option<Territory>,
    /// False once they have left.
    pub active: bool,
}

impl StaffView {
    fn of(staff: Staff) -> Option<Self> {
        staff.profile.map(|p| Self {
            staff_id: p.staff_id,
            name: p.name.to_string(),
            role: p.role,
            territory: p.territory,
            active: p.status == StaffStatus::Active,
        })
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StaffList {
    pub staff: Vec<StaffView>,
}

/// Parses a staff id from the path; something that is not a UUID names nobody.
pub fn staff_id(raw: &str) -> Result<StaffId, ApiError> {
    Uuid::parse_str(raw)
        .map(StaffId)
        .map_err(|_| ApiError::not_found("staff-not-found", "no such member of staff"))
}

struct When {
    at: Option<DateTime<Utc>>,
    backdate_reason: Option<String>,
}

async fn run(
    state: &AppState,
    auth: &Authenticated,
    request: &RequestMeta,
    id: StaffId,
    command: StaffCommand,
    when: When,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError> {
    let at = crate::commands::when(state, when.at, when.backdate_reason)?;
    decide::<Staff, _>(state, auth, request, &id.to_string(), &at, command, reason).await
}

/// Register a member of staff (Admin).
#[utoipa::path(post, path = "/api/v1/staff", tag = "staff", request_body = JoinStaff,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 201, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn join(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    JsonBody(body): JsonBody<JoinStaff>,
) -> Result<(StatusCode, Json<CommandAccepted>), ApiError> {
    let staff_id = StaffId(state.new_id());
    let command = StaffCommand::Join {
        staff_id,
        name: body.name,
        role: body.role,
        territory: body.territory,
    };
    let when = When {
        at: body.effective_at,
        backdate_reason: body.backdate_reason,
    };
    let accepted = run(&state, &auth, &request, staff_id, command, when, None).await?;
    Ok((StatusCode::CREATED, Json(accepted)))
}

/// The directory, everyone who ever joined, in order of joining.
#[utoipa::path(get, path = "/api/v1/staff", tag = "staff",
    responses((status = 200, body = StaffList), ReadErrors), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    _: Authenticated,
) -> Result<Json<StaffList>, ApiError> {
    let staff = crate::directory::all_staff(&state.ledger, state.now())
        .await?
        .into_iter()
        .filter_map(StaffView::of)
        .collect();
    Ok(Json(StaffList { staff }))
}

/// One member of staff.
#[utoipa::path(get, path = "/api/v1/staff/{id}", tag = "staff",
    params(("id" = Uuid, Path, description = "Staff id")),
    responses((status = 200, body = StaffView), ReadErrors), security(("bearer" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    _: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<StaffView>, ApiError> {
    let id = staff_id(&id)?;
    let staff: Staff =
        crate::directory::aggregate_as_of(&state.ledger, &id.to_string(), state.now()).await?;
    StaffView::of(staff)
        .map(Json)
        .ok_or_else(|| ApiError::not_found("staff-not-found", "no such member of staff"))
}

/// Change someone's role (Admin). PAM and Manager roles need a territory.
#[utoipa::path(post, path = "/api/v1/staff/{id}/role", tag = "staff", request_body = ChangeRole,
    params(("id" = Uuid, Path, description = "Staff id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn change_role(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ChangeRole>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = staff_id(&id)?;
    let command = StaffCommand::ChangeRole {
        role: body.role,
        territory: body.territory,
    };
    let when = When {
        at: body.effective_at,
        backdate_reason: body.backdate_reason,
    };
    let reason = body.reason.map(String::from);
    Ok(Json(
        run(&state, &auth, &request, id, command, when, reason).await?,
    ))
}

/// Move a PAM or Manager to another territory (Admin).
#[utoipa::path(post, path = "/api/v1/staff/{id}/territory", tag = "staff", request_body = MoveTerritory,
    params(("id" = Uuid, Path, description = "Staff id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn move_territory(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<MoveTerritory>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = staff_id(&id)?;
    let command = StaffCommand::MoveTerritory {
        territory: body.territory,
    };
    let when = When {
        at: body.effective_at,
        backdate_reason: body.backdate_reason,
    };
    let reason = body.reason.map(String::from);
    Ok(Json(
        run(&state, &auth, &request, id, command, when, reason).await?,
    ))
}

/// Record a departure (Admin). People who left can neither act nor be assigned.
#[utoipa::path(post, path = "/api/v1/staff/{id}/leave", tag = "staff", request_body = Leave,
    params(("id" = Uuid, Path, description = "Staff id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Makes a retry safe")),
    responses((status = 200, body = CommandAccepted), CommandErrors), security(("bearer" = [])))]
pub async fn leave(
    State(state): State<AppState>,
    auth: Authenticated,
    request: RequestMeta,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Leave>,
) -> Result<Json<CommandAccepted>, ApiError> {
    let id = staff_id(&id)?;
    let reason = Some(body.reason.to_string());
    let command = StaffCommand::Leave {
        reason: body.reason,
    };
    let when = When {
        at: body.effective_at,
        backdate_reason: body.backdate_reason,
    };
    Ok(Json(
        run(&state, &auth, &request, id, command, when, reason).await?,
    ))
}
