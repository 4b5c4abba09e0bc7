//! Folding one event into the [`ProgramModel`](super::ProgramModel).

use channel_ledger_domain::partner::PartnerEvent;
use channel_ledger_domain::staff::StaffEvent;
use channel_ledger_domain::StaffId;
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;

use super::{PamTenure, ProgramModel, Touch};
use crate::event::{DomainEvent, LedgerEvent};

/// What the fold keeps of one event, owned: the domain's `apply` takes its event by value.
/// Moved out of an event the caller is done with (a fold over the whole log), cloned from one
/// it keeps, so only the fields the model stores are ever copied.
pub(super) struct Folded {
    position: i64,
    effective_at: DateTime<Utc>,
    aggregate_id: String,
    actor_id: StaffId,
    actor_name: String,
    event: DomainEvent,
}

impl Folded {
    pub(super) fn cloned(e: &LedgerEvent) -> Self {
        Self {
            position: e.position,
            effective_at: e.effective_at,
            aggregate_id: e.aggregate_id.clone(),
            actor_id: e.meta.actor_id,
            actor_name: e.meta.actor_name.clone(),
            event: e.event.clone(),
        }
    }

    pub(super) fn taken(e: LedgerEvent) -> Self {
        Self {
            position: e.position,
            effective_at: e.effective_at,
            aggregate_id: e.aggregate_id,
            actor_id: e.meta.actor_id,
            actor_name: e.meta.actor_name,
            event: e.event,
        }
    }
}

/// Applies `e` to its aggregate's state and, when the stream belongs to a partner the model
/// knows ([`partner_of`] after the event), records it as that partner's last activity. The
/// partner is found in the branch that already holds the aggregate, not looked up again.
pub(super) fn apply(model: &mut ProgramModel, e: Folded) {
    let Folded {
        position,
        effective_at,
        aggregate_id: id,
        actor_id,
        actor_name,
        event,
    } = e;
    let touch = move || {
        Some(Touch {
            position,
            effective_at,
            actor_id,
            actor_name,
        })
    };
    match event {
        DomainEvent::Staff(event) => {
            let entry = model.staff.entry(id).or_default();
            if matches!(event, StaffEvent::StaffJoined { .. }) {
                entry.joined_at = Some(effective_at);
            }
            entry.staff.apply(event);
        }
        DomainEvent::Partner(event) => {
            let entry = model.partners.entry(id).or_default();
            match &event {
                PartnerEvent::PartnerRegistered { .. } => entry.registered_at = Some(effective_at),
                PartnerEvent::PamAssigned {
                    pam_id, pam_name, ..
                } => entry.pam_history.push(PamTenure {
                    pam_id: *pam_id,
                    pam_name: pam_name.clone(),
                    from: effective_at,
                }),
                _ => {}
            }
            entry.partner.apply(event);
            entry.last_activity = touch();
        }
        DomainEvent::Rap(event) => {
            let rap = model.raps.entry(id.clone()).or_default();
            rap.apply(event);
            if let Some(plan) = &rap.plan {
                let partner = model
                    .partners
                    .entry(plan.partner_id.to_string())
                    .or_default();
                partner.raps.insert(id);
                partner.last_activity = touch();
            }
        }
        DomainEvent::Qar(event) => {
            model.qars.entry(id.clone()).or_default().apply(event);
            if let Some(partner) = model.partners.get_mut(&id) {
                partner.last_activity = touch();
            }
        }
        DomainEvent::Cohort(event) => {
            model.cohorts.entry(id).or_default().apply(event);
        }
        DomainEvent::Budget(event) => {
            model.budgets.entry(id).or_default().apply(event);
        }
        DomainEvent::FundRequest(event) => {
            let request = model.fund_requests.entry(id.clone()).or_default();
            request.apply(event);
            if let Some(details) = &request.details {
                let partner = model
                    .partners
                    .entry(details.partner_id.to_string())
                    .or_default();
                partner.fund_requests.insert(id);
                partner.last_activity = touch();
            }
        }
    }
}

pub(super) fn partner_of(model: &ProgramModel, e: &LedgerEvent) -> Option<String> {
    let id = &e.aggregate_id;
    match &e.event {
        DomainEvent::Partner(_) | DomainEvent::Qar(_) => Some(id.clone()),
        DomainEvent::Rap(_) => model
            .raps
            .get(id)?
            .plan
            .as_ref()
            .map(|p| p.partner_id.to_string()),
        DomainEvent::FundRequest(_) => model
            .fund_requests
            .get(id)?
            .details
            .as_ref()
            .map(|d| d.partner_id.to_string()),
        DomainEvent::Staff(_) | DomainEvent::Cohort(_) | DomainEvent::Budget(_) => None,
    }
}
