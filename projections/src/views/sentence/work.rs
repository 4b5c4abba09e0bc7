//! Sentences of RAP and QAR events.

use channel_ledger_domain::qar::{Outcome, QarEvent as Q};
use channel_ledger_domain::rap::RapEvent as R;

use super::{day, money};
use crate::model::ProgramModel;

pub(super) fn rap(ev: &R, title: &str, model: &ProgramModel, id: &str) -> String {
    let account = |domain: &channel_ledger_domain::rap::AccountDomain| {
        model
            .raps
            .get(id)
            .and_then(|r| r.plan.as_ref())
            .and_then(|p| p.accounts.iter().find(|a| &a.domain == domain))
            .map_or_else(|| domain.to_string(), |a| a.name.to_string())
    };
    let exemption = |signed: &bool| {
        if *signed {
            " with its MDF exemption"
        } else {
            ""
        }
    };
    match ev {
        R::RapDrafted { title, .. } => format!("drafted RAP {title}"),
        R::RapRevised { .. } => format!("revised RAP {title}"),
        R::RapSubmitted { .. } => format!("submitted RAP {title} for approval"),
        R::RapApprovedByManager {
            mdf_exemption_signed_off: s,
            ..
        } => {
            format!("approved RAP {title}{}", exemption(s))
        }
        R::RapRejected { .. } => format!("rejected RAP {title}"),
        R::RapActivated {
            mdf_exemption_signed_off: s,
            ..
        } => {
            format!("approved RAP {title}{}; it is now Active", exemption(s))
        }
        R::RapAmendmentProposed { .. } => format!("proposed an amendment to RAP {title}"),
        R::RapAmendmentApprovedByManager {
            mdf_exemption_signed_off: s,
            ..
        } => {
            format!("approved the amendment to RAP {title}{}", exemption(s))
        }
        R::RapAmendmentApproved { version, .. } => {
            format!("approved the amendment to RAP {title}, in force as version {version}")
        }
        R::RapAmendmentRejected { .. } => format!("rejected the amendment to RAP {title}"),
        R::NamedAccountAdvanced { domain, from, to } => {
            format!(
                "moved named account {} of RAP {title} from {from} to {to}",
                account(domain)
            )
        }
        R::NamedAccountWon { domain, arr, .. } => {
            format!(
                "marked named account {} of RAP {title} Won with {} ARR",
                account(domain),
                money(*arr)
            )
        }
        R::NamedAccountLost { domain, .. } => {
            format!(
                "marked named account {} of RAP {title} Lost",
                account(domain)
            )
        }
        R::RapClosed {
            outcome, arr_won, ..
        } => {
            format!(
                "closed RAP {title} as {outcome:?} with {} ARR won",
                money(*arr_won)
            )
        }
    }
}

pub(super) fn qar(ev: &Q, partner: &str) -> String {
    match ev {
        Q::QarScheduled { number, due_at, .. } => {
            format!("scheduled QAR {number} with {partner}, due {}", day(*due_at))
        }
        Q::QarOpened { number, .. } => format!("opened QAR {number} with {partner}"),
        Q::CommitmentReviewed { number, commitment_id, outcome, .. } => {
            let outcome = match outcome {
                Outcome::Delivered => "Delivered".to_owned(),
                Outcome::Deferred { new_due_at } => format!("Deferred to {}", day(*new_due_at)),
                Outcome::Missed => "Missed".to_owned(),
            };
            format!("reviewed commitment {commitment_id} at QAR {number} with {partner}: {outcome}")
        }
        Q::QarDiscussionRecorded { number, .. } => {
            format!("recorded the discussion of QAR {number} with {partner}")
        }
        Q::QarPlanLocked { number, commitments } => format!(
            "locked a plan of {} commitments at QAR {number} with {partner}",
            commitments.len()
        ),
        Q::QarCompleted { number, outcomes, next_due_at, .. } => format!(
            "completed QAR {number} with {partner} ({} delivered, {} deferred, {} missed); next due {}",
            outcomes.delivered,
            outcomes.deferred,
            outcomes.missed,
            day(*next_due_at)
        ),
    }
}
