//! Reading RAPs. Without projections yet, a list folds every Rap stream (fine at this size; the
//! projections issue replaces it with a read model). Lateness is judged against the app's clock.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::Json;
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::rap::{Rap, RapStatus};
use uuid::Uuid;

use super::view::{RapList, RapView};
use super::{not_found, rap_id, read_scope};
use crate::auth::Authenticated;
use crate::directory::aggregate_as_of;
use crate::facts::partner_facts_at;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::routes::partners::{self, partner_id, Scope};
use crate::routes::views::caught_up;
use crate::state::AppState;

/// Which RAPs a list keeps.
#[derive(Debug, Default)]
struct Filter {
    partner_id: Option<PartnerId>,
    status: Option<RapStatus>,
}

impl Filter {
    fn parse(query: &HashMap<String, String>) -> Result<Self, ApiError> {
        let partner_id = query
            .get("partner_id")
            .map(|s| {
                Uuid::parse_str(s.trim()).map(PartnerId).map_err(|_| {
                    ApiError::invalid("invalid-query", "partner_id", "partner_id is a UUID")
                })
            })
            .transpose()?;
        let status = query
            .get("status")
            .map(|s| {
                serde_json::from_value(serde_json::Value::String(s.trim().to_owned())).map_err(
                    |_| {
                        ApiError::invalid(
                            "invalid-query",
                            "status",
                            "status is one of Draft, Submitted, ManagerApproved, Active, Rejected, Closed",
                        )
                    },
                )
            })
            .transpose()?;
        Ok(Self { partner_id, status })
    }

    fn keeps(&self, view: &RapView) -> bool {
        self.partner_id.is_none_or(|p| p == view.partner.partner_id)
            && self.status.is_none_or(|s| s == view.status)
    }
}

/// Every RAP the caller may see that `filter` keeps, as it stands now, by id: from the live read
/// model once it holds every event appended so far.
async fn visible_raps(
    state: &AppState,
    scope: &Scope,
    filter: &Filter,
) -> Result<Vec<RapView>, ApiError> {
    let now = state.now();
    caught_up(state).await?;
    Ok(state
        .projector
        .with_model(|model| {
            model
                .raps
                .values()
                .filter_map(|rap| RapView::of(rap, now))
                .filter(|view| scope.allows(&view.partner.territory) && filter.keeps(view))
                .collect()
        })
        .await)
}

/// RAPs the caller may see: their territory's (PAM, Manager) or all (CxO, Finance, Auditor).
#[utoipa::path(get, path = "/api/v1/raps", tag = "raps",
    params(
        ("partner_id" = Option<Uuid>, Query, description = "Only this partner's RAPs"),
        ("status" = Option<RapStatus>, Query, description = "Only RAPs in this status"),
    ),
    responses((status = 200, body = RapList), ReadErrors), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<RapList>, ApiError> {
    let scope = read_scope(&auth.actor)?;
    let filter = Filter::parse(&query)?;
    let raps = visible_raps(&state, &scope, &filter).await?;
    Ok(Json(RapList { raps }))
}

/// One RAP. Outside the caller's territory it answers 404, as if it did not exist.
#[utoipa::path(get, path = "/api/v1/raps/{id}", tag = "raps",
    params(("id" = Uuid, Path, description = "RAP id")),
    responses((status = 200, body = RapView), ReadErrors), security(("bearer" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<RapView>, ApiError> {
    let scope = read_scope(&auth.actor)?;
    let now = state.now();
    let rap: Rap = aggregate_as_of(&state.ledger, &rap_id(&id)?.to_string(), now).await?;
    RapView::of(&rap, now)
        .filter(|v| scope.allows(&v.partner.territory))
        .map(Json)
        .ok_or_else(not_found)
}

/// One partner's RAPs; a partner outside the caller's territory answers 404.
#[utoipa::path(get, path = "/api/v1/partners/{id}/raps", tag = "raps",
    params(("id" = Uuid, Path, description = "Partner id"),
        ("status" = Option<RapStatus>, Query, description = "Only RAPs in this status")),
    responses((status = 200, body = RapList), ReadErrors), security(("bearer" = [])))]
pub async fn for_partner(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<RapList>, ApiError> {
    let scope = read_scope(&auth.actor)?;
    let partner = partner_facts_at(&state.ledger, partner_id(&id)?, state.now()).await?;
    if !scope.allows(&partner.territory) {
        return Err(partners::not_found());
    }
    let filter = Filter {
        partner_id: Some(partner.partner_id),
        ..Filter::parse(&query)?
    };
    let raps = visible_raps(&state, &scope, &filter).await?;
    Ok(Json(RapList { raps }))
}
