//! Facts other aggregates decide on (QARs, RAPs, MDF, cohort strategies), resolved from their own
//! streams as of a moment (design.md §3.3: a decision is judged by what was true when it took
//! effect). The domain never reads the log; these functions do it for the handlers.

use axum::http::StatusCode;
use channel_ledger_domain::approval::Delegation;
use channel_ledger_domain::partner::{Partner, PartnerFacts, PartnerId};
use channel_ledger_domain::rap::{Rap, RapId};
use channel_ledger_domain::staff::Staff;
use channel_ledger_domain::{Actor, StaffId};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use tracing::instrument;
use uuid::Uuid;

use crate::directory::aggregate_as_of;
use crate::problem::ApiError;

/// The partner as it stood at `at` (as effective). A partner unknown then answers 404
/// `partner-not-found`, exactly like the partner routes.
#[instrument(skip_all, fields(partner.id = %id, at = %at), err(Display))]
pub async fn partner_facts_at(
    ledger: &Ledger,
    id: PartnerId,
    at: DateTime<Utc>,
) -> Result<PartnerFacts, ApiError> {
    let partner: Partner = aggregate_as_of(ledger, &id.to_string(), at).await?;
    partner
        .facts()
        .ok_or_else(crate::routes::partners::not_found)
}

/// The partner's first PAM assignment: the `PamAssigned` event earliest in effective time
/// (a back-dated assignment can precede one recorded before it). It starts the QAR cadence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstAssignment {
    pub event_id: Uuid,
    pub effective_at: DateTime<Utc>,
    /// The correlation id of the request that assigned the PAM, so what follows from it joins
    /// the same conversation.
    pub correlation_id: Option<Uuid>,
}

/// The first PAM assignment of the partner, if it ever had a PAM.
#[instrument(skip_all, fields(partner.id = %id), err(Display))]
pub async fn first_pam_assignment(
    ledger: &Ledger,
    id: PartnerId,
) -> Result<Option<FirstAssignment>, ApiError> {
    let events = ledger.read_stream(Partner::TYPE, &id.to_string()).await?;
    Ok(events
        .into_iter()
        .filter(|e| e.event_type == "PamAssigned")
        .min_by_key(|e| (e.effective_at, e.sequence))
        .map(|e| FirstAssignment {
            event_id: e.event_id,
            effective_at: e.effective_at,
            correlation_id: e
                .metadata
                .get("correlation_id")
                .and_then(|v| v.as_str())
                .and_then(|s| Uuid::parse_str(s).ok()),
        }))
}

/// A RAP's stream folded as of `at`; `plan` is `None` when it had not been drafted by then.
pub async fn rap_as_of(ledger: &Ledger, id: RapId, at: DateTime<Utc>) -> Result<Rap, ApiError> {
    aggregate_as_of(ledger, &id.to_string(), at).await
}

/// The delegation `actor` acts under when deciding on behalf of `principal` at `at`, resolved
/// from the principal's Staff stream as it stood then. `None` asked, `None` answered; a
/// principal who had granted the actor no delegation in force then answers 403 `no-delegation`.
#[instrument(skip_all, fields(staff.id = %actor.staff_id, at = %at), err(Display))]
pub async fn delegation_at(
    ledger: &Ledger,
    actor: &Actor,
    principal: Option<StaffId>,
    at: DateTime<Utc>,
) -> Result<Option<Delegation>, ApiError> {
    let Some(principal) = principal else {
        return Ok(None);
    };
    let staff: Staff = aggregate_as_of(ledger, &principal.to_string(), at).await?;
    staff
        .delegation_to(actor.staff_id, at)
        .map(Some)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "no-delegation",
                format!(
                    "{} held no delegation from staff {principal} in force at {at}",
                    actor.name
                ),
            )
        })
}
