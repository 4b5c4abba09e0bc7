//! The MDF ledger over HTTP (issue 3 item 4): quarterly program budgets and their allocations
//! and exemptions, fund requests with their activities, claims, proofs and payments, and the
//! double-entry ledger they post.
//!
//! Handlers only resolve the facts a decision needs (partner, RAP, exemption, the allocation
//! still available, a delegation) as of the effective time and hand them to the aggregates,
//! which decide. Reads fold the streams (no projections yet) and are scoped like partners:
//! PAMs and Managers see their territory (anything else answers 404), CxO, Finance and Auditor
//! see everything, and the program-wide ledger is for CxO, Finance and Auditor only.

pub mod budget_view;
pub mod budgets;
pub mod claims;
pub mod facts;
pub mod ledger;
pub mod request_views;
pub mod requests;
pub mod review;

use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::{ActivityId, AllocationId, FundRequestId};
use channel_ledger_domain::{Actor, Role};
use uuid::Uuid;

use super::partners::Scope;
use super::ApiRoutes;
use crate::problem::ApiError;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .post("/mdf/budgets/{quarter}", budgets::set_budget)
        .get("/mdf/budgets/{quarter}", budget_view::get_budget)
        .post("/mdf/budgets/{quarter}/raise", budgets::raise_budget)
        .post("/mdf/budgets/{quarter}/allocations", budgets::allocate)
        .post(
            "/mdf/budgets/{quarter}/exemptions",
            budgets::request_exemption,
        )
        .post(
            "/mdf/budgets/{quarter}/allocations/{allocation_id}/approve",
            budgets::approve_exemption,
        )
        .post(
            "/mdf/budgets/{quarter}/allocations/{allocation_id}/reject",
            budgets::reject_exemption,
        )
        .post("/mdf/fund-requests", requests::draft)
        .get("/mdf/fund-requests", request_views::list)
        .get("/mdf/fund-requests/{id}", request_views::get_one)
        .post("/mdf/fund-requests/{id}/activities", requests::add_activity)
        .post(
            "/mdf/fund-requests/{id}/activities/{activity_id}/remove",
            requests::remove_activity,
        )
        .post("/mdf/fund-requests/{id}/submit", requests::submit)
        .post("/mdf/fund-requests/{id}/withdraw", requests::withdraw)
        .post("/mdf/fund-requests/{id}/return", review::return_request)
        .post("/mdf/fund-requests/{id}/reject", review::reject_request)
        .post("/mdf/fund-requests/{id}/decline", review::decline_request)
        .post(
            "/mdf/fund-requests/{id}/activities/{activity_id}/approve",
            review::approve_activity,
        )
        .post(
            "/mdf/fund-requests/{id}/activities/{activity_id}/reject",
            review::reject_activity,
        )
        .post(
            "/mdf/fund-requests/{id}/activities/{activity_id}/claim",
            claims::submit_claim,
        )
        .post(
            "/mdf/fund-requests/{id}/activities/{activity_id}/proof",
            claims::submit_proof,
        )
        .post(
            "/mdf/fund-requests/{id}/activities/{activity_id}/proof/accept",
            claims::accept_proof,
        )
        .post(
            "/mdf/fund-requests/{id}/activities/{activity_id}/proof/reject",
            claims::reject_proof,
        )
        .post("/mdf/fund-requests/{id}/payments", claims::record_payment)
        .get("/mdf/ledger", ledger::get_ledger)
}

/// Who may read MDF records: like partners, by territory; Admins none.
pub fn read_scope(actor: &Actor) -> Result<Scope, ApiError> {
    match (actor.role, &actor.territory) {
        (Role::Cxo | Role::Finance | Role::Auditor, _) => Ok(Scope::All),
        (Role::Pam | Role::Manager, Some(t)) => Ok(Scope::Territory(t.clone())),
        _ => Err(ApiError::forbidden(format!(
            "{} may not read MDF records",
            actor.capacity()
        ))),
    }
}

/// A quarter label from the path or a query, e.g. `FY26 Q2` (URL-encoded `FY26%20Q2`); in a
/// URL `FY26-Q2`, `FY26+Q2`, `FY26_Q2` and `FY26Q2` name it too.
pub fn quarter(raw: &str) -> Result<FiscalQuarter, ApiError> {
    let mut label = raw.trim().replace(['-', '+', '_'], " ");
    if !label.contains(' ') {
        if let Some(q) = label.find('Q') {
            label.insert(q, ' ');
        }
    }
    label.parse().map_err(|_| {
        ApiError::invalid(
            "invalid-quarter",
            "quarter",
            format!("{raw:?} is not a fiscal quarter: they read like \"FY26 Q2\""),
        )
    })
}

fn uuid_or(raw: &str, missing: fn() -> ApiError) -> Result<Uuid, ApiError> {
    Uuid::parse_str(raw).map_err(|_| missing())
}

pub fn request_not_found() -> ApiError {
    ApiError::not_found("fund-request-not-found", "no such fund request")
}

/// Something that is not a UUID names no fund request.
pub fn request_id(raw: &str) -> Result<FundRequestId, ApiError> {
    uuid_or(raw, request_not_found).map(FundRequestId)
}

pub fn activity_id(raw: &str) -> Result<ActivityId, ApiError> {
    uuid_or(raw, || {
        ApiError::not_found("activity-not-found", "no such activity")
    })
    .map(ActivityId)
}

pub fn allocation_id(raw: &str) -> Result<AllocationId, ApiError> {
    uuid_or(raw, || {
        ApiError::not_found("allocation-not-found", "no such allocation")
    })
    .map(AllocationId)
}

#[cfg(test)]
mod tests {
    use super::quarter;

    #[test]
    fn a_quarter_in_a_url_may_be_spelled_without_its_space() {
        for raw in ["FY26 Q2", "FY26-Q2", "FY26+Q2", "FY26Q2", "FY26_Q2"] {
            assert_eq!(quarter(raw).unwrap().to_string(), "FY26 Q2", "{raw}");
        }
        assert_eq!(
            quarter("FY26 Q5").unwrap_err().field.as_deref(),
            Some("quarter")
        );
        assert!(quarter("2026Q2").is_err());
    }
}
