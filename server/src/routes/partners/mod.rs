//! Partners: registration and changes (commands), and the scoped views of them (queries).
//!
//! Reads are scoped by role: PAMs and Managers see their own territory, CxO, Finance and Auditor
//! see every partner, Admins see none (403). A partner outside the caller's territory answers
//! 404, exactly as if it did not exist, so reads never reveal what is outside one's view.
//! Commands are decided by the aggregate, which answers 403 for a territory it forbids.

pub mod commands;
pub mod queries;

pub use commands::{AssignPam, ChangeTier, Offboard, Reclassify, RegisterPartner};
pub use queries::{PartnerEvents, PartnerList, PartnerView};

use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::{Actor, Role, Territory};
use uuid::Uuid;

use super::ApiRoutes;
use crate::problem::ApiError;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .post("/partners", commands::register)
        .get("/partners", queries::list)
        .get("/partners/{id}", queries::get_one)
        .get("/partners/{id}/events", queries::events)
        .post("/partners/{id}/tier", commands::change_tier)
        .post("/partners/{id}/classification", commands::reclassify)
        .post("/partners/{id}/pam", commands::assign_pam)
        .post("/partners/{id}/offboard", commands::offboard)
}

/// Which partners a reader may see.
#[derive(Debug, Clone)]
pub enum Scope {
    All,
    Territory(Territory),
}

impl Scope {
    pub fn of(actor: &Actor) -> Result<Self, ApiError> {
        match (actor.role, &actor.territory) {
            (Role::Cxo | Role::Finance | Role::Auditor, _) => Ok(Scope::All),
            (Role::Pam | Role::Manager, Some(t)) => Ok(Scope::Territory(t.clone())),
            _ => Err(ApiError::forbidden(format!(
                "{} may not read partners",
                actor.capacity()
            ))),
        }
    }

    pub fn allows(&self, territory: &Territory) -> bool {
        match self {
            Scope::All => true,
            Scope::Territory(t) => t == territory,
        }
    }
}

pub fn not_found() -> ApiError {
    ApiError::not_found("partner-not-found", "no such partner")
}

/// Parses a partner id from the path; something that is not a UUID names no partner.
pub fn partner_id(raw: &str) -> Result<PartnerId, ApiError> {
    Uuid::parse_str(raw).map(PartnerId).map_err(|_| not_found())
}
