//! QARs — Quarterly Activity Reviews (design.md §2, issue 3 item 2), under
//! `/partners/{id}/qars`: one `QarSeries` per partner (aggregate id = partner id).
//!
//! The series is scheduled by the partner's first PAM assignment ([`schedule_after_assignment`],
//! called from `POST /partners/{id}/pam`). That is a follow-up command, not part of the
//! assignment's append: if it fails the assignment still stands, the failure is logged, and the
//! next `POST …/qars/open` schedules the series first (same causation: the first `PamAssigned`).
//!
//! Commands are decided by the aggregate with the partner's facts as of the effective time (its
//! PAM, a PAM or Manager of its territory, or a CxO; 403 otherwise). Reads are scoped like
//! partner reads: outside the caller's territory a partner's QARs answer 404.

pub mod commands;
pub mod queries;
mod schedule;

pub use commands::{LockPlan, QarStep, RecordDiscussion, ReviewCommitment};
pub use queries::{CommitmentUnderReview, QarOverview};
pub use schedule::schedule_after_assignment;

use channel_ledger_domain::partner::{PartnerFacts, PartnerId};
use channel_ledger_domain::qar::{QarCommand, QarSeries};
use channel_ledger_domain::EffectiveTime;

use super::ApiRoutes;
use crate::auth::Authenticated;
use crate::commands::{actor_at, decide_as, CommandAccepted, RequestMeta};
use crate::facts::partner_facts_at;
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .get("/partners/{id}/qars", queries::overview)
        .post("/partners/{id}/qars/open", commands::open)
        .post(
            "/partners/{id}/qars/current/commitments/{commitment_id}/review",
            commands::review_commitment,
        )
        .post(
            "/partners/{id}/qars/current/discussion",
            commands::record_discussion,
        )
        .post("/partners/{id}/qars/current/plan", commands::lock_plan)
        .post("/partners/{id}/qars/current/complete", commands::complete)
}

/// Resolves the actor and the partner as of the effective time, builds the command from the
/// partner's facts and executes it on the partner's QAR series.
async fn run(
    state: &AppState,
    auth: &Authenticated,
    request: &RequestMeta,
    id: PartnerId,
    at: &EffectiveTime,
    command: impl FnOnce(PartnerFacts) -> QarCommand,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError> {
    let actor = actor_at(state, &auth.actor, at).await?;
    let partner = partner_facts_at(&state.ledger, id, at.at()).await?;
    let command = command(partner);
    decide_as::<QarSeries, _>(state, request, &id.to_string(), actor, at, command, reason).await
}
