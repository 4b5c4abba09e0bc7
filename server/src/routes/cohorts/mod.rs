//! Cohort strategies (design.md §2, issue 3 item 3) under `/cohort-strategies/{classification}`:
//! one `CohortStrategy` per classification (aggregate id = its wire name, e.g. `HighPotential`).
//!
//! Management (Managers of any territory, CxOs) drafts, revises, approves or rejects — never their
//! own draft — and records the quarterly review; the aggregate decides all of it. An approval or
//! rejection `on_behalf_of` a principal acts under the delegation resolved from the principal's
//! Staff stream as of the effective time (403 `no-delegation` without one). Every role that reads
//! partners reads strategies: the version in force is what a partner of the class inherits, and
//! [`inherited`] puts it on the partner page.

pub mod commands;
pub mod queries;

pub use commands::{ApproveVersion, DraftStrategy, RejectVersion, ReviewStrategy};
pub use queries::{
    inherited, CohortStrategyList, CohortStrategySummary, CohortStrategyView, InheritedStrategy,
    StrategyPendingApproval,
};

use channel_ledger_domain::cohort::CohortStrategy;
use channel_ledger_domain::partner::Classification;
use channel_ledger_domain::Actor;
use chrono::{DateTime, Utc};

use super::partners::Scope;
use super::ApiRoutes;
use crate::directory::aggregate_as_of;
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .get("/cohort-strategies", queries::list)
        .get("/cohort-strategies/{classification}", queries::get_one)
        .post("/cohort-strategies/{classification}", commands::draft)
        .post(
            "/cohort-strategies/{classification}/revise",
            commands::revise,
        )
        .post(
            "/cohort-strategies/{classification}/versions/{version}/approve",
            commands::approve,
        )
        .post(
            "/cohort-strategies/{classification}/versions/{version}/reject",
            commands::reject,
        )
        .post(
            "/cohort-strategies/{classification}/reviews",
            commands::review,
        )
}

/// The classification named in the path by its wire name; any other name is 404, naming it.
pub fn classification(raw: &str) -> Result<Classification, ApiError> {
    Classification::ALL
        .iter()
        .copied()
        .find(|c| c.wire() == raw)
        .ok_or_else(|| {
            let known: Vec<&str> = Classification::ALL.iter().map(|c| c.wire()).collect();
            ApiError::not_found(
                "unknown-classification",
                format!(
                    "there is no classification {raw:?}; the classifications are {}",
                    known.join(", ")
                ),
            )
            .with_field("classification")
        })
}

/// A classification's strategy stream folded as of `at`.
async fn strategy_as_of(
    state: &AppState,
    classification: Classification,
    at: DateTime<Utc>,
) -> Result<CohortStrategy, ApiError> {
    aggregate_as_of(&state.ledger, classification.wire(), at).await
}

/// Strategies are read by everyone who reads partners (Admins do not).
fn may_read(actor: &Actor) -> Result<(), ApiError> {
    Scope::of(actor).map(drop).map_err(|_| {
        ApiError::forbidden(format!(
            "{} may not read cohort strategies",
            actor.capacity()
        ))
    })
}
