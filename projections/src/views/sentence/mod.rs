//! The predicate of a timeline sentence ("approved RAP Ironclad MSP · Q2 2026"), one arm per
//! event of every aggregate and no wildcard: adding an event fails to compile until it reads well.
//! Names come from the model (the RAP's title, the partner's name); QAR notes never appear here.

mod mdf;
mod work;

use channel_ledger_domain::cohort::CohortEvent as C;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerEvent as P;
use channel_ledger_domain::staff::StaffEvent as S;
use channel_ledger_domain::StaffId;
use chrono::{DateTime, Utc};

use super::common::staff_name;
use crate::event::{DomainEvent, LedgerEvent};
use crate::model::ProgramModel;

pub(super) fn describe(e: &LedgerEvent, model: &ProgramModel) -> String {
    let id = e.aggregate_id.as_str();
    match &e.event {
        DomainEvent::Staff(ev) => staff(ev, &person(model, id), model),
        DomainEvent::Partner(ev) => partner(ev, &partner_name(model, id), model),
        DomainEvent::Rap(ev) => work::rap(ev, &rap_title(model, id), model, id),
        DomainEvent::Qar(ev) => work::qar(ev, &partner_name(model, id)),
        DomainEvent::Cohort(ev) => cohort(ev, id),
        DomainEvent::Budget(ev) => mdf::budget(ev, id, model),
        DomainEvent::FundRequest(ev) => mdf::fund_request(ev, &request_title(model, id)),
    }
}

fn staff(ev: &S, who: &str, model: &ProgramModel) -> String {
    let named = |id: StaffId| staff_name(model, id).unwrap_or_else(|| id.to_string());
    match ev {
        S::StaffJoined {
            name,
            role,
            territory,
            ..
        } => match territory {
            Some(t) => format!("added {name} to staff as {role} of {t}"),
            None => format!("added {name} to staff as {role}"),
        },
        S::StaffRoleChanged { from, to, .. } => format!("changed {who}'s role from {from} to {to}"),
        S::StaffTerritoryMoved { from, to } => match from {
            Some(f) => format!("moved {who} from {f} to {to}"),
            None => format!("moved {who} to {to}"),
        },
        S::StaffLeft { reason } => format!("recorded that {who} left: {reason}"),
        S::ApprovalsDelegated { to, from, until } => format!(
            "delegated {who}'s approvals to {} from {} until {}",
            named(*to),
            day(*from),
            day(*until)
        ),
        S::ApprovalDelegationEnded { to, .. } => {
            format!("ended {who}'s delegation to {}", named(*to))
        }
    }
}

fn partner(ev: &P, name: &str, model: &ProgramModel) -> String {
    match ev {
        P::PartnerRegistered {
            name,
            partner_type,
            territory,
            ..
        } => {
            format!("registered {name} ({partner_type}, {territory})")
        }
        P::PartnerTierChanged { from, to, .. } => format!("moved {name} from {from} to {to} tier"),
        P::PartnerReclassified { from, to, .. } => match from {
            Some(f) => format!("reclassified {name} from {f} to {to}"),
            None => format!("classified {name} as {to}"),
        },
        P::PamAssigned {
            pam_name,
            previous_pam_id,
            ..
        } => match previous_pam_id {
            Some(prev) => format!(
                "assigned {pam_name} as PAM of {name}, taking over from {}",
                staff_name(model, *prev).unwrap_or_else(|| "the previous PAM".to_owned())
            ),
            None => format!("assigned {pam_name} as PAM of {name}"),
        },
        P::PartnerOffboarded { .. } => format!("offboarded {name}"),
    }
}

fn cohort(ev: &C, id: &str) -> String {
    let label = channel_ledger_domain::partner::Classification::ALL
        .iter()
        .find(|c| c.wire() == id)
        .map_or(id, |c| c.label());
    match ev {
        C::CohortStrategyDrafted { version, .. } => {
            format!("drafted version {version} of the {label} cohort strategy")
        }
        C::CohortStrategyRevised { version, .. } => {
            format!("revised the {label} cohort strategy as version {version}")
        }
        C::CohortStrategyApproved { version, .. } => {
            format!("approved version {version} of the {label} cohort strategy")
        }
        C::CohortStrategyRejected { version, .. } => {
            format!("rejected version {version} of the {label} cohort strategy")
        }
        C::CohortStrategyReviewed {
            version, quarter, ..
        } => {
            format!("reviewed version {version} of the {label} cohort strategy for {quarter}")
        }
    }
}

fn person(model: &ProgramModel, id: &str) -> String {
    model
        .staff
        .get(id)
        .and_then(|s| s.staff.profile.as_ref())
        .map_or_else(|| "a member of staff".to_owned(), |p| p.name.to_string())
}

fn partner_name(model: &ProgramModel, id: &str) -> String {
    model
        .partners
        .get(id)
        .and_then(|p| p.partner.profile.as_ref())
        .map_or_else(|| "a partner".to_owned(), |p| p.name.to_string())
}

fn rap_title(model: &ProgramModel, id: &str) -> String {
    model
        .raps
        .get(id)
        .and_then(|r| r.plan.as_ref())
        .map_or_else(|| "(untitled)".to_owned(), |p| p.title.clone())
}

fn request_title(model: &ProgramModel, id: &str) -> String {
    model
        .fund_requests
        .get(id)
        .and_then(|r| r.details.as_ref())
        .map_or_else(
            || "(untitled)".to_owned(),
            |d| format!("{} ({})", d.title, d.partner_name),
        )
}

pub(super) fn day(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y").to_string()
}

/// "$24,000" or "$24,000.50" for dollars; "1,234.00 EUR" for other currencies.
pub(super) fn money(m: Money) -> String {
    let sign = if m.minor < 0 { "-" } else { "" };
    let abs = m.minor.unsigned_abs();
    let (units, cents) = (abs / 100, abs % 100);
    let digits = units.to_string();
    let mut grouped = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let amount = if cents == 0 {
        grouped
    } else {
        format!("{grouped}.{cents:02}")
    };
    match m.currency.as_str() {
        "USD" => format!("{sign}${amount}"),
        other => format!("{sign}{amount} {other}"),
    }
}
