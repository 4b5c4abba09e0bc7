//! The workflow queue as a page: what waits for the reader (with Approve and Reject), then what
//! waits for someone else. Buttons are offered only where the reader's role, territory and
//! segregation of duties allow the decision; the aggregates check again when it is made.

use channel_ledger_domain::{Actor, Role};
use channel_ledger_projections::views::{WorkflowItem, WorkflowKind, WorkflowQueue};
use maud::{html, Markup};

use super::format::{age, badge, money, time, Tone};
use super::session::Session;

/// Whether `actor` may take the step `item` waits for: their role is the one awaited (in its
/// territory when it has one) and they did not submit it themselves.
pub fn may_decide(item: &WorkflowItem, actor: &Actor) -> bool {
    let role = item.next.roles.contains(&actor.role) && actor.role != Role::Auditor;
    let territory = match (&item.next.territory, actor.role) {
        (Some(t), Role::Manager) => actor.territory.as_ref() == Some(t),
        _ => true,
    };
    let own = item
        .submitted_by
        .as_ref()
        .is_some_and(|s| s.staff_id == actor.staff_id);
    role && territory && !own
}

pub fn kind_label(kind: WorkflowKind) -> &'static str {
    match kind {
        WorkflowKind::RapProposal => "RAP proposal",
        WorkflowKind::RapAmendment => "RAP amendment",
        WorkflowKind::CohortStrategyVersion => "Cohort strategy",
        WorkflowKind::MdfExemption => "MDF exemption",
        WorkflowKind::FundRequest => "MDF fund request",
    }
}

/// The kind as forms carry it: its wire name.
pub fn kind_wire(kind: WorkflowKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub fn render(queue: &WorkflowQueue, session: &Session) -> Markup {
    let (mine, others): (Vec<&WorkflowItem>, Vec<&WorkflowItem>) = queue
        .items
        .iter()
        .partition(|i| may_decide(i, session.actor()));
    html! {
        section.panel aria-labelledby="for-you" {
            h2 #for-you { "Waiting for you" }
            @if mine.is_empty() {
                p.empty { "Nothing waits for your decision." }
            } @else {
                (table("for-you-table", &mine, Some(session)))
            }
        }
        section.panel aria-labelledby="for-others" {
            h2 #for-others { "Waiting for others" }
            @if others.is_empty() {
                p.empty { "Nothing else is pending in your scope." }
            } @else {
                (table("for-others-table", &others, None))
            }
        }
    }
}

/// The items, with decision forms when `decide` (the reader may act on each).
fn table(id: &str, items: &[&WorkflowItem], decide: Option<&Session>) -> Markup {
    html! {
        div.table-wrap {
            table #(id) {
                thead {
                    tr {
                        th scope="col" { "Item" }
                        th scope="col" { "Partner" }
                        th.num scope="col" { "Amount" }
                        th scope="col" { "Submitted" }
                        th scope="col" { "Waiting for" }
                        th scope="col" { "Due" }
                        @if decide.is_some() { th scope="col" { "Decision" } }
                    }
                }
                tbody {
                    @for item in items {
                        tr data-subject=(item.subject) {
                            th scope="row" {
                                span.kind { (kind_label(item.kind)) }
                                br;
                                (item.subject)
                            }
                            td {
                                @if let (Some(id), Some(name)) = (&item.partner_id, &item.partner_name) {
                                    a href=(format!("/partners/{id}")) { (name) }
                                } @else { span.muted { "program-wide" } }
                            }
                            td.num { @if let Some(a) = item.amount { (money(a)) } }
                            td {
                                @if let Some(by) = &item.submitted_by { (by.name) br; }
                                @if let Some(at) = item.submitted_at { span.muted { (time(at)) } }
                            }
                            td { (item.next.label) br; span.muted { (age(item.age_seconds)) } }
                            td {
                                @if item.overdue { (badge(Tone::Bad, "Overdue")) br; }
                                (time(item.due_at))
                            }
                            @if let Some(session) = decide { td { (decision_forms(item, session)) } }
                        }
                    }
                }
            }
        }
    }
}

fn decision_forms(item: &WorkflowItem, session: &Session) -> Markup {
    let kind = kind_wire(item.kind);
    let reason_id = format!("reason-{}", item.subject_id);
    html! {
        div.decide {
            form method="post" action="/console/queue/decide" {
                input type="hidden" name="csrf" value=(session.csrf);
                input type="hidden" name="kind" value=(kind);
                input type="hidden" name="subject_id" value=(item.subject_id);
                input type="hidden" name="decision" value="approve";
                button.primary type="submit" aria-label=(format!("Approve {}", item.subject)) { "Approve" }
            }
            details {
                summary { "Reject…" }
                form method="post" action="/console/queue/decide" {
                    input type="hidden" name="csrf" value=(session.csrf);
                    input type="hidden" name="kind" value=(kind);
                    input type="hidden" name="subject_id" value=(item.subject_id);
                    input type="hidden" name="decision" value="reject";
                    label for=(reason_id) { "Reason the partner and PAM will read" }
                    textarea id=(reason_id) name="reason" rows="2" required {}
                    button.danger type="submit" aria-label=(format!("Reject {}", item.subject)) { "Reject" }
                }
            }
        }
    }
}
