//! The OpenAPI 3.1 document, generated from the handlers' annotations (utoipa), served at
//! `GET /api/v1/openapi.json`. A test holds it to the list of registered routes.

use axum::Json;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi};

use crate::problem::ProblemDetails;
use crate::routes::{delegations, events, health, ledger, partners, raps, staff, tokens, views};

/// Errors any command (POST) may answer.
#[derive(Debug, IntoResponses)]
pub enum CommandErrors {
    /// Malformed JSON (`malformed-json`), or a path parameter that is not text once
    /// percent-decoded (`invalid-path-parameter`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(ProblemDetails),
    /// No valid bearer token, or its owner has left.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(ProblemDetails),
    /// The role or territory (as of the effective time) does not allow it.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(ProblemDetails),
    /// No such record.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(ProblemDetails),
    /// The record's state forbids it, or another change was committed first (re-read and retry),
    /// or a request with the same Idempotency-Key is still in progress
    /// (`idempotency-key-in-progress`, with `Retry-After`: until the attempt's lease runs out),
    /// or a retry took this attempt's key over (`idempotency-key-taken-over`), or an earlier
    /// attempt recorded the request but its answer cannot be rebuilt (`idempotency-key-applied`).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(ProblemDetails),
    /// The body is over 1 MiB.
    #[response(status = 413, content_type = "application/problem+json")]
    TooLarge(ProblemDetails),
    /// The body is not JSON.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(ProblemDetails),
    /// A field is missing, unknown, repeated (`duplicate-key`), of the wrong type or invalid;
    /// `field` names it.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(ProblemDetails),
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(ProblemDetails),
    /// The database cannot be reached (`database-unavailable`, with `Retry-After`), or it
    /// refuses changes because it is read-only, full or failing to write
    /// (`storage-unavailable`; reads keep working).
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(ProblemDetails),
}

/// Errors any read may answer.
#[derive(Debug, IntoResponses)]
pub enum ReadErrors {
    /// A path parameter that is not text once percent-decoded (`invalid-path-parameter`).
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(ProblemDetails),
    /// No valid bearer token, or its owner has left.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(ProblemDetails),
    /// The role does not allow this read.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(ProblemDetails),
    /// No such record, or outside the caller's territory.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(ProblemDetails),
    /// A query parameter is invalid or given twice (`duplicate-query-parameter`); `field` names it.
    #[response(status = 422, content_type = "application/problem+json")]
    Unprocessable(ProblemDetails),
    #[response(status = 500, content_type = "application/problem+json")]
    Internal(ProblemDetails),
    /// The database is unavailable, or the read models have not reached the `min_position` asked
    /// for within 2 s (`projection-lagging`, with `Retry-After`).
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(ProblemDetails),
}

/// The readiness probe's failure.
#[derive(Debug, IntoResponses)]
pub enum ReadyErrors {
    /// The database is unavailable.
    #[response(status = 503, content_type = "application/problem+json")]
    Unavailable(ProblemDetails),
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "Channel Ledger",
        description = "An event-sourced partner-program ledger. Every change is an immutable event."
    ),
    paths(
        health::health, health::ready, health::metrics, serve,
        events::global_log,
        staff::join, staff::list, staff::get_one, staff::change_role, staff::move_territory, staff::leave,
        delegations::delegate, delegations::end,
        tokens::create, tokens::list, tokens::revoke,
        partners::commands::register, partners::queries::list, partners::queries::get_one,
        partners::queries::events, partners::commands::change_tier, partners::commands::reclassify,
        partners::commands::assign_pam, partners::commands::offboard,
        crate::routes::qars::queries::overview, crate::routes::qars::commands::open,
        crate::routes::qars::commands::review_commitment, crate::routes::qars::commands::record_discussion,
        crate::routes::qars::commands::lock_plan, crate::routes::qars::commands::complete,
        crate::routes::cohorts::queries::list, crate::routes::cohorts::queries::get_one,
        crate::routes::cohorts::commands::draft, crate::routes::cohorts::commands::revise,
        crate::routes::cohorts::commands::approve, crate::routes::cohorts::commands::reject,
        crate::routes::cohorts::commands::review,
        crate::routes::mdf::budgets::set_budget, crate::routes::mdf::budgets::raise_budget, crate::routes::mdf::budgets::allocate,
        crate::routes::mdf::budgets::request_exemption, crate::routes::mdf::budgets::approve_exemption, crate::routes::mdf::budgets::reject_exemption,
        crate::routes::mdf::budget_view::get_budget, crate::routes::mdf::requests::draft, crate::routes::mdf::requests::add_activity,
        crate::routes::mdf::requests::remove_activity, crate::routes::mdf::requests::submit, crate::routes::mdf::requests::withdraw,
        crate::routes::mdf::review::return_request, crate::routes::mdf::review::reject_request, crate::routes::mdf::review::decline_request,
        crate::routes::mdf::review::approve_activity, crate::routes::mdf::review::reject_activity, crate::routes::mdf::claims::submit_claim,
        crate::routes::mdf::claims::submit_proof, crate::routes::mdf::claims::accept_proof, crate::routes::mdf::claims::reject_proof,
        crate::routes::mdf::claims::record_payment, crate::routes::mdf::request_views::list, crate::routes::mdf::request_views::get_one,
        crate::routes::mdf::ledger::get_ledger,
        raps::drafting::draft, raps::queries::for_partner, raps::queries::list, raps::queries::get_one,
        raps::drafting::revise, raps::drafting::submit, raps::decisions::approve, raps::decisions::reject,
        raps::drafting::propose_amendment, raps::accounts::advance, raps::accounts::win,
        raps::accounts::lose, raps::accounts::close,
        views::program::portfolio, views::partner::profile, views::partner::timeline,
        views::partner::handover, views::program::console, views::program::commitments,
        views::program::reconciliation, views::rebuild::rebuild,
        ledger::digest, ledger::verify,
    ),
    components(schemas(ProblemDetails)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

#[derive(Debug)]
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)))]
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
