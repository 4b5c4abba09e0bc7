//! Folding one event into the [`ProgramModel`](super::ProgramModel).

use channel_ledger_domain::partner::PartnerEvent;
use channel_ledger_domain::staff::StaffEvent;
use cqrs_es::Aggregate;

use super::{PamTenure, ProgramModel, Touch};
use crate::event::{DomainEvent, LedgerEvent};

pub(super) fn apply(model: &mut ProgramModel, e: &LedgerEvent) {
    let id = e.aggregate_id.clone();
    match &e.event {
        DomainEvent::Staff(event) => {
            let entry = model.staff.entry(id).or_default();
            if matches!(event, StaffEvent::StaffJoined { .. }) {
                entry.joined_at = Some(e.effective_at);
            }
            entry.staff.apply(event.clone());
        }
        DomainEvent::Partner(event) => {
            let entry = model.partners.entry(id).or_default();
            match event {
                PartnerEvent::PartnerRegistered { .. } => {
                    entry.registered_at = Some(e.effective_at)
                }
                PartnerEvent::PamAssigned {
                    pam_id, pam_name, ..
                } => entry.pam_history.push(PamTenure {
                    pam_id: *pam_id,
                    pam_name: pam_name.clone(),
                    from: e.effective_at,
                }),
                _ => {}
            }
            entry.partner.apply(event.clone());
        }
        DomainEvent::Rap(event) => {
            let rap = model.raps.entry(id.clone()).or_default();
            rap.apply(event.clone());
            if let Some(plan) = &rap.plan {
                let partner = plan.partner_id.to_string();
                model.partners.entry(partner).or_default().raps.insert(id);
            }
        }
        DomainEvent::Qar(event) => {
            model.qars.entry(id).or_default().apply(event.clone());
        }
        DomainEvent::Cohort(event) => {
            model.cohorts.entry(id).or_default().apply(event.clone());
        }
        DomainEvent::Budget(event) => {
            model.budgets.entry(id).or_default().apply(event.clone());
        }
        DomainEvent::FundRequest(event) => {
            let request = model.fund_requests.entry(id.clone()).or_default();
            request.apply(event.clone());
            if let Some(details) = &request.details {
                let partner = details.partner_id.to_string();
                model
                    .partners
                    .entry(partner)
                    .or_default()
                    .fund_requests
                    .insert(id);
            }
        }
    }
    if let Some(partner) = partner_of(model, e) {
        if let Some(entry) = model.partners.get_mut(&partner) {
            entry.last_activity = Some(Touch {
                position: e.position,
                effective_at: e.effective_at,
                actor_id: e.meta.actor_id,
                actor_name: e.meta.actor_name.clone(),
            });
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
