//! Reading a partner's QARs: the QAR due now (with `due_at` and `overdue` against the app's
//! clock), the commitments it reviews, the plan it locked, and the completed QARs.

use axum::extract::{Path, State};
use axum::Json;
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::qar::{
    Commitment, CommitmentReview, CompletedQar, Discussion, PendingQar, QarSeries,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Authenticated;
use crate::directory::aggregate_as_of;
use crate::facts::partner_facts_at;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::routes::partners::{not_found, partner_id, Scope};
use crate::state::AppState;

/// A partner's QAR series as of `as_of` (the app's clock).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct QarOverview {
    pub partner_id: PartnerId,
    /// The moment `pending.overdue` was computed for.
    pub as_of: DateTime<Utc>,
    /// The first PAM assignment, which started the cadence; absent before it.
    pub first_assigned_at: Option<DateTime<Utc>>,
    /// The QAR due now, with its due date and whether it is overdue.
    pub pending: Option<PendingQar>,
    /// The previous plan's commitments the current QAR reviews, each with its review once done.
    pub under_review: Vec<CommitmentUnderReview>,
    /// The current QAR's discussion, once recorded.
    pub discussion: Option<Discussion>,
    /// The next quarter's plan, once the current QAR locked it.
    pub locked_plan: Option<Vec<Commitment>>,
    /// What is still owed: the locked plan, or the reviewed plan without what was delivered or missed.
    pub open_commitments: Vec<Commitment>,
    /// Completed QARs, oldest first.
    pub history: Vec<CompletedQar>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CommitmentUnderReview {
    #[serde(flatten)]
    pub commitment: Commitment,
    pub review: Option<CommitmentReview>,
}

impl QarOverview {
    fn of(partner_id: PartnerId, series: &QarSeries, now: DateTime<Utc>) -> Self {
        let current = series.current.as_ref();
        let review_of = |c: &Commitment| {
            current.and_then(|q| q.reviews.iter().find(|r| r.commitment_id == c.id).cloned())
        };
        Self {
            partner_id,
            as_of: now,
            first_assigned_at: series.first_assigned_at,
            pending: series.pending(now),
            under_review: series
                .plan_under_review
                .iter()
                .map(|c| CommitmentUnderReview {
                    commitment: c.clone(),
                    review: review_of(c),
                })
                .collect(),
            discussion: current.and_then(|q| q.discussion.clone()),
            locked_plan: current.and_then(|q| q.next_plan.clone()),
            open_commitments: series.open_commitments(),
            history: series.history().to_vec(),
        }
    }
}

/// The partner's QARs. Outside the caller's territory it answers 404, as the partner does.
#[utoipa::path(get, path = "/api/v1/partners/{id}/qars", tag = "qars",
    params(("id" = Uuid, Path, description = "Partner id")),
    responses((status = 200, body = QarOverview), ReadErrors), security(("bearer" = [])))]
pub async fn overview(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(id): Path<String>,
) -> Result<Json<QarOverview>, ApiError> {
    let scope = Scope::of(&auth.actor)?;
    let id = partner_id(&id)?;
    let now = state.now();
    let partner = partner_facts_at(&state.ledger, id, now).await?;
    if !scope.allows(&partner.territory) {
        return Err(not_found());
    }
    let series: QarSeries = aggregate_as_of(&state.ledger, &id.to_string(), now).await?;
    Ok(Json(QarOverview::of(id, &series, now)))
}
