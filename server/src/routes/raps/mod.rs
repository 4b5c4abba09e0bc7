//! RAPs — Revenue Acceleration Programs (design.md §2): drafting, sign-off, amendments, named
//! accounts and closing (commands), and the territory-scoped views of them (queries).
//!
//! Commands are decided by the `Rap` aggregate, which checks the actor's role and territory as of
//! the effective time and answers 403 for what it forbids. The facts it cannot know by itself —
//! the partner as it stood, a delegation in force — are resolved here from their own streams
//! (see [`crate::facts`]). Reads are scoped like partners: PAMs and Managers see the RAPs of their
//! territory, CxO, Finance and Auditor see all, Admins none; outside one's view a RAP is 404.

pub mod accounts;
pub mod bodies;
pub mod decisions;
pub mod drafting;
pub mod queries;
pub mod view;

pub use bodies::{
    Advance, Approve, Close, Draft, Lose, NamedAccountBody, ProposeAmendment, Reject, Revise,
    Submit, TermsBody, Win,
};
pub use view::{AmendmentView, PendingApprovalView, RapList, RapPartner, RapView};

use channel_ledger_domain::rap::{Rap, RapCommand, RapId};
use channel_ledger_domain::{Actor, EffectiveTime};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::partners::Scope;
use super::ApiRoutes;
use crate::commands::{decide_as, CommandAccepted, RequestMeta};
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .post("/partners/{id}/raps", drafting::draft)
        .get("/partners/{id}/raps", queries::for_partner)
        .get("/raps", queries::list)
        .get("/raps/{id}", queries::get_one)
        .post("/raps/{id}/revise", drafting::revise)
        .post("/raps/{id}/submit", drafting::submit)
        .post("/raps/{id}/approve", decisions::approve)
        .post("/raps/{id}/reject", decisions::reject)
        .post("/raps/{id}/amendments", drafting::propose_amendment)
        .post(
            "/raps/{id}/named-accounts/{domain}/advance",
            accounts::advance,
        )
        .post("/raps/{id}/named-accounts/{domain}/win", accounts::win)
        .post("/raps/{id}/named-accounts/{domain}/lose", accounts::lose)
        .post("/raps/{id}/close", accounts::close)
}

pub fn not_found() -> ApiError {
    ApiError::not_found("rap-not-found", "no such RAP")
}

/// Parses a RAP id from the path; something that is not a UUID names no RAP.
pub fn rap_id(raw: &str) -> Result<RapId, ApiError> {
    Uuid::parse_str(raw).map(RapId).map_err(|_| not_found())
}

/// Which RAPs a reader may see: those of partners they may see.
fn read_scope(actor: &Actor) -> Result<Scope, ApiError> {
    Scope::of(actor)
        .map_err(|_| ApiError::forbidden(format!("{} may not read RAPs", actor.capacity())))
}

/// The RAP as it stood at `at`; 404 when it had not been drafted by then.
pub async fn rap_at(state: &AppState, id: RapId, at: DateTime<Utc>) -> Result<Rap, ApiError> {
    let rap = crate::facts::rap_as_of(&state.ledger, id, at).await?;
    match rap.plan {
        Some(_) => Ok(rap),
        None => Err(not_found()),
    }
}

/// Executes `command` on RAP `id` as `actor` (already resolved as of `at`), with the authority
/// that names the principal when a delegate decides.
async fn execute_as(
    state: &AppState,
    request: &RequestMeta,
    id: RapId,
    actor: Actor,
    at: &EffectiveTime,
    command: RapCommand,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError> {
    decide_as::<Rap, _>(state, request, &id.to_string(), actor, at, command, reason).await
}
