//! Reading partners. Without projections yet, a list folds every Partner stream (fine at this size;
//! the projections issue replaces it with a read model).

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::partner::{
    Classification, CompanySize, Partner, PartnerId, PartnerProfile, PartnerType, Tier,
};
use channel_ledger_domain::{StaffId, Territory};
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{not_found, partner_id, Scope};
use crate::auth::Authenticated;
use crate::directory::aggregate_as_of;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::routes::events::EventView;
use crate::routes::views::caught_up;
use crate::state::AppState;

/// A partner as it stands now.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerView {
    pub partner_id: PartnerId,
    pub name: String,
    pub partner_type: PartnerType,
    pub territory: Territory,
    pub headquarters: String,
    pub size: CompanySize,
    pub specialization: Option<String>,
    pub tier: Tier,
    pub classification: Option<Classification>,
    pub pam_id: Option<StaffId>,
    pub offboarded: bool,
    /// The cohort strategy in force for the partner's classification (single-partner reads only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cohort_strategy: Option<crate::routes::cohorts::InheritedStrategy>,
}

impl From<PartnerProfile> for PartnerView {
    fn from(p: PartnerProfile) -> Self {
        Self {
            partner_id: p.partner_id,
            name: p.name.to_string(),
            partner_type: p.partner_type,
            territory: p.territory,
            headquarters: p.headquarters.to_string(),
            size: p.size,
            specialization: p.specialization.map(String::from),
            tier: p.tier,
            classification: p.classification,
            pam_id: p.pam,
            offboarded: p.offboarded,
            cohort_strategy: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerList {
    pub partners: Vec<PartnerView>,
}

/// One partner's stream with full metadata, positions and both times.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct PartnerEvents {
    pub partner_id: PartnerId,
    pub events: Vec<EventView>,
}

async fn visible(
    state: &AppState,
    scope: &Scope,
    id: PartnerId,
) -> Result<PartnerProfile, ApiError> {
    let partner: Partner = aggregate_as_of(&state.ledger, &id.to_string(), state.now()).await?;
    partner
        .profile
        .filter(|p| scope.allows(&p.territory))
        .ok_or_else(not_found)
}

/// Partners the caller may see: their territory (PAM, Manager) or all (CxO, Finance, Auditor),
/// by id, from the live read model once it holds every event appended so far.
#[utoipa::path(get, path = "/api/v1/partners", tag = "partners",
    responses((status = 200, body = PartnerList), ReadErrors), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Json<PartnerList>, ApiError> {
    let scope = Scope::of(&auth.actor)?;
    caught_up(&state).await?;
    let partners = state
        .projector
        .with_model(|model| {
            model
                .partners
                .values()
                .filter_map(|entry| entry.partner.profile.as_ref())
                .filter(|p| scope.allows(&p.territory))
                .map(|p| PartnerView::from(p.clone()))
                .collect()
        })
        .await;
    Ok(Json(PartnerList { partners }))
}

/// One partner. Outside the caller's territory it answers 404, as if it did not exist.
#[utoipa::path(get, path = "/api/v1/partners/{id}", tag = "partners",
    params(("id" = Uuid, Path, description = "Partner id")),
    responses((status = 200, body = PartnerView), ReadErrors), security(("bearer" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<PartnerView>, ApiError> {
    let scope = Scope::of(&auth.actor)?;
    let profile = visible(&state, &scope, partner_id(&id)?).await?;
    let mut view = PartnerView::from(profile);
    view.cohort_strategy = crate::routes::cohorts::inherited(&state, view.classification).await?;
    Ok(Json(view))
}

/// A partner's full history in stream order, with metadata, positions and both times.
#[utoipa::path(get, path = "/api/v1/partners/{id}/events", tag = "partners",
    params(("id" = Uuid, Path, description = "Partner id")),
    responses((status = 200, body = PartnerEvents), ReadErrors), security(("bearer" = [])))]
pub async fn events(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<PartnerEvents>, ApiError> {
    let scope = Scope::of(&auth.actor)?;
    let id = partner_id(&id)?;
    visible(&state, &scope, id).await?;
    let events = state
        .ledger
        .read_stream(Partner::TYPE, &id.to_string())
        .await?
        .into_iter()
        .map(EventView::from)
        .collect();
    Ok(Json(PartnerEvents {
        partner_id: id,
        events,
    }))
}
