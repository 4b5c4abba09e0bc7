//! The workflow queue: every pending approval in scope, who submitted it and when, who must act
//! next, and its age against the approval SLA (what is queued, and what never is, on [`super`]).

use channel_ledger_domain::approval::{ApprovalStep, StaffRef};
use channel_ledger_domain::fiscal::add_business_days;
use channel_ledger_domain::mdf::FundRequestStatus;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::{Role, Territory};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Scope;
use crate::model::ProgramModel;

/// Every approval step is due this many business days after it became pending (design.md §2).
pub const SLA_BUSINESS_DAYS: u32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WorkflowKind {
    RapProposal,
    RapAmendment,
    CohortStrategyVersion,
    MdfExemption,
    /// A fund request whose activities await approval.
    FundRequest,
}

/// Who must act next: one of `roles`, inside `territory` when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextActor {
    pub roles: Vec<Role>,
    pub territory: Option<Territory>,
    /// "Manager of Southeast", "CxO", "Manager or CxO".
    pub label: String,
}

impl NextActor {
    fn step(step: ApprovalStep, territory: &Territory) -> Self {
        match step {
            ApprovalStep::Manager => Self {
                roles: vec![Role::Manager],
                territory: Some(territory.clone()),
                label: format!("Manager of {territory}"),
            },
            ApprovalStep::Cxo => Self {
                roles: vec![Role::Cxo],
                territory: None,
                label: "CxO".to_owned(),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowItem {
    pub kind: WorkflowKind,
    /// What to act on: the RAP, cohort (classification) or fund request stream id; for an MDF
    /// exemption, its allocation id (the budget stream is the quarter).
    pub subject_id: String,
    /// What people call it: "Bridgeline Co. · Q3 2026", "Farmer cohort strategy v2", …
    pub subject: String,
    pub partner_id: Option<PartnerId>,
    pub partner_name: Option<String>,
    pub territory: Option<Territory>,
    pub amount: Option<Money>,
    pub submitted_by: Option<StaffRef>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub next: NextActor,
    /// When the step now awaited became pending: the start of its SLA clock.
    pub pending_since: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    /// Seconds waited so far at `now`.
    pub age_seconds: i64,
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkflowQueue {
    /// Most urgent first: by due date, then kind and subject id.
    pub items: Vec<WorkflowItem>,
    pub overdue: u32,
}

pub fn workflow_queue(model: &ProgramModel, scope: &Scope, now: DateTime<Utc>) -> WorkflowQueue {
    let mut items = Vec::new();
    if scope.reads() {
        raps(model, scope, now, &mut items);
        cohorts(model, now, &mut items);
        exemptions(model, scope, now, &mut items);
        fund_requests(model, scope, now, &mut items);
    }
    items.sort_by(|a, b| (a.due_at, a.kind, &a.subject_id).cmp(&(b.due_at, b.kind, &b.subject_id)));
    let overdue = u32::try_from(items.iter().filter(|i| i.overdue).count()).unwrap_or(u32::MAX);
    WorkflowQueue { items, overdue }
}

/// An item pending since `since`, its SLA clock read at `now`; the caller fills in the rest.
fn item(
    kind: WorkflowKind,
    subject_id: &str,
    subject: String,
    next: NextActor,
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> WorkflowItem {
    let due_at = add_business_days(since, SLA_BUSINESS_DAYS);
    WorkflowItem {
        kind,
        subject_id: subject_id.to_owned(),
        subject,
        partner_id: None,
        partner_name: None,
        territory: None,
        amount: None,
        submitted_by: None,
        submitted_at: None,
        next,
        pending_since: since,
        due_at,
        age_seconds: (now - since).num_seconds().max(0),
        overdue: now > due_at,
    }
}

fn raps(model: &ProgramModel, scope: &Scope, now: DateTime<Utc>, items: &mut Vec<WorkflowItem>) {
    for (id, rap) in &model.raps {
        let (Some(plan), Some(pending)) = (&rap.plan, rap.pending_approval()) else {
            continue;
        };
        if !scope.sees_territory(&plan.territory) {
            continue;
        }
        let (kind, round, terms) = match (&plan.round, &plan.amendment) {
            (Some(round), _) => (WorkflowKind::RapProposal, round, &plan.terms),
            (None, Some(a)) => (WorkflowKind::RapAmendment, &a.round, &a.terms),
            (None, None) => continue,
        };
        let next = NextActor::step(pending.step, &plan.territory);
        items.push(WorkflowItem {
            partner_id: Some(plan.partner_id),
            partner_name: Some(plan.partner_name.to_string()),
            territory: Some(plan.territory.clone()),
            amount: Some(terms.gtm_budget().unwrap_or(terms.mdf)),
            submitted_by: Some(pending.submitted_by.clone()),
            submitted_at: Some(round.submission.at),
            ..item(
                kind,
                id,
                plan.title.clone(),
                next,
                pending.requested_at,
                now,
            )
        });
    }
}

/// Cohort strategies are program-wide: every reader sees them; any Manager or CxO but the
/// drafter may decide.
fn cohorts(model: &ProgramModel, now: DateTime<Utc>, items: &mut Vec<WorkflowItem>) {
    for (id, cohort) in &model.cohorts {
        let Some(pending) = cohort.pending_approval() else {
            continue;
        };
        let next = NextActor {
            roles: vec![Role::Manager, Role::Cxo],
            territory: None,
            label: "Manager or CxO".to_owned(),
        };
        let subject = format!(
            "{} cohort strategy v{}",
            pending.classification.label(),
            pending.version
        );
        items.push(WorkflowItem {
            submitted_by: Some(pending.drafted_by.clone()),
            submitted_at: Some(pending.requested_at),
            ..item(
                WorkflowKind::CohortStrategyVersion,
                id,
                subject,
                next,
                pending.requested_at,
                now,
            )
        });
    }
}

fn exemptions(
    model: &ProgramModel,
    scope: &Scope,
    now: DateTime<Utc>,
    items: &mut Vec<WorkflowItem>,
) {
    for (id, budget) in &model.budgets {
        for a in budget.pending_exemptions() {
            let (Some(step), Some(e)) = (a.awaiting(), &a.exemption) else {
                continue;
            };
            let territory = &a.partner.territory;
            if !scope.sees_territory(territory) {
                continue;
            }
            let subject = format!("MDF exemption for {} · {id}", a.partner.name);
            let next = NextActor::step(step, territory);
            items.push(WorkflowItem {
                partner_id: Some(a.partner.partner_id),
                partner_name: Some(a.partner.name.to_string()),
                territory: Some(territory.clone()),
                amount: Some(a.amount),
                submitted_by: Some(e.requested_by.clone()),
                submitted_at: Some(e.requested_at),
                ..item(
                    WorkflowKind::MdfExemption,
                    &a.allocation_id.to_string(),
                    subject,
                    next,
                    e.pending_since,
                    now,
                )
            });
        }
    }
}

/// Activities are approved by a Manager of the partner's territory.
fn fund_requests(
    model: &ProgramModel,
    scope: &Scope,
    now: DateTime<Utc>,
    items: &mut Vec<WorkflowItem>,
) {
    for (id, request) in &model.fund_requests {
        let Some(r) = &request.details else { continue };
        let (FundRequestStatus::Submitted, Some(at)) = (r.status, r.submitted_at) else {
            continue;
        };
        if !scope.sees_territory(&r.territory) {
            continue;
        }
        let next = NextActor::step(ApprovalStep::Manager, &r.territory);
        items.push(WorkflowItem {
            partner_id: Some(r.partner_id),
            partner_name: Some(r.partner_name.to_string()),
            territory: Some(r.territory.clone()),
            amount: Some(r.requested_total()),
            submitted_by: r.submitted_by.clone(),
            submitted_at: Some(at),
            ..item(
                WorkflowKind::FundRequest,
                id,
                r.title.to_string(),
                next,
                at,
                now,
            )
        });
    }
}
