//! Reading cohort strategies: every classification's version in force and pending version, one
//! classification's full history (versions, approval records, reviews), and the strategy a
//! partner inherits. Due dates and `overdue` are computed against the app's clock.

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::approval::StaffRef;
use channel_ledger_domain::cohort::{CohortStrategy, Play, StrategyText, StrategyVersion};
use channel_ledger_domain::partner::Classification;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{classification, may_read, strategy_as_of};
use crate::auth::Authenticated;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// The version awaiting approval: any Manager or CxO other than its drafter may decide it, by
/// `due_at` (5 business days after it was drafted); `overdue` is computed against the app's clock.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StrategyPendingApproval {
    pub version: u32,
    pub drafted_by: StaffRef,
    pub requested_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub overdue: bool,
}

impl StrategyPendingApproval {
    fn of(strategy: &CohortStrategy, now: DateTime<Utc>) -> Option<Self> {
        strategy.pending_approval().map(|p| Self {
            overdue: p.is_overdue(now),
            version: p.version,
            drafted_by: p.drafted_by,
            requested_at: p.requested_at,
            due_at: p.due_at,
        })
    }
}

/// One classification in the list: the version in force and the one awaiting approval.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CohortStrategySummary {
    pub classification: Classification,
    /// The name people read, e.g. "High-Potential".
    pub label: String,
    pub in_force: Option<StrategyVersion>,
    pub pending: Option<StrategyPendingApproval>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CohortStrategyList {
    pub as_of: DateTime<Utc>,
    /// Every classification, drafted or not, in the program's order.
    pub strategies: Vec<CohortStrategySummary>,
}

/// One classification's strategy: every version with its approval record and reviews.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CohortStrategyView {
    pub classification: Classification,
    pub label: String,
    pub as_of: DateTime<Utc>,
    /// The approved version every partner of the classification inherits.
    pub in_force_version: Option<u32>,
    pub pending: Option<StrategyPendingApproval>,
    /// Oldest first; empty when no strategy has been drafted.
    pub versions: Vec<StrategyVersion>,
}

/// The strategy in force for a partner's classification, as the partner page shows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InheritedStrategy {
    pub classification: Classification,
    pub version: u32,
    pub intent: StrategyText,
    /// Ordered: first to do first.
    pub plays: Vec<Play>,
    pub approved_at: Option<DateTime<Utc>>,
}

/// The strategy a partner of `class` inherits now, if one is in force.
pub async fn inherited(
    state: &AppState,
    class: Option<Classification>,
) -> Result<Option<InheritedStrategy>, ApiError> {
    let Some(class) = class else { return Ok(None) };
    let strategy = strategy_as_of(state, class, state.now()).await?;
    Ok(strategy.in_force().map(|v| InheritedStrategy {
        classification: class,
        version: v.version,
        intent: v.intent.clone(),
        plays: v.plays.clone(),
        approved_at: v.decision.as_ref().map(|d| d.decided_at),
    }))
}

/// Every classification with its strategy in force and the version awaiting approval.
#[utoipa::path(get, path = "/api/v1/cohort-strategies", tag = "cohort-strategies",
    responses((status = 200, body = CohortStrategyList), ReadErrors), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
) -> Result<Json<CohortStrategyList>, ApiError> {
    may_read(&auth.actor)?;
    let now = state.now();
    let mut strategies = Vec::new();
    for &class in Classification::ALL {
        let strategy = strategy_as_of(&state, class, now).await?;
        strategies.push(CohortStrategySummary {
            classification: class,
            label: class.label().to_owned(),
            in_force: strategy.in_force().cloned(),
            pending: StrategyPendingApproval::of(&strategy, now),
        });
    }
    Ok(Json(CohortStrategyList {
        as_of: now,
        strategies,
    }))
}

/// One classification's strategy: all versions, approval records, reviews, pending approval.
#[utoipa::path(get, path = "/api/v1/cohort-strategies/{classification}", tag = "cohort-strategies",
    params(("classification" = Classification, Path, description = "Wire name, e.g. HighPotential")),
    responses((status = 200, body = CohortStrategyView), ReadErrors), security(("bearer" = [])))]
pub async fn get_one(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw): Path<String>,
) -> Result<Json<CohortStrategyView>, ApiError> {
    may_read(&auth.actor)?;
    let class = classification(&raw)?;
    let now = state.now();
    let strategy = strategy_as_of(&state, class, now).await?;
    Ok(Json(CohortStrategyView {
        classification: class,
        label: class.label().to_owned(),
        as_of: now,
        in_force_version: strategy.in_force().map(|v| v.version),
        pending: StrategyPendingApproval::of(&strategy, now),
        versions: strategy.versions,
    }))
}
