//! The portfolio: a line per partner in the reader's scope. A PAM opens on their own partners
//! ("My portfolio") and may widen to their territory; others may narrow to one PAM.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Html;
use channel_ledger_domain::{Role, StaffId};
use channel_ledger_projections::views::Portfolio;
use maud::{html, Markup};
use uuid::Uuid;

use super::error::WebError;
use super::format::{badge, classification, due, money, time, Tone};
use super::layout::{self, heading, Section};
use super::session::Session;
use crate::problem::ApiError;
use crate::routes::views::program::portfolio_of;
use crate::routes::views::{scope, ViewQuery, READERS};
use crate::state::AppState;

/// Whose partners to list: `pam=<id>`, `pam=all`, or (absent) the PAM's own / everyone's.
fn pam_filter(
    session: &Session,
    raw: &HashMap<String, String>,
) -> Result<Option<StaffId>, WebError> {
    match raw.get("pam").map(|p| p.trim()) {
        Some("all") | Some("") => Ok(None),
        Some(p) => Uuid::parse_str(p)
            .map(|id| Some(StaffId(id)))
            .map_err(|_| ApiError::invalid("invalid-pam", "pam", "not a staff id").into()),
        None if session.role() == Role::Pam => Ok(Some(session.actor().staff_id)),
        None => Ok(None),
    }
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let scope = scope(session.actor(), READERS, "the portfolio")?;
    let pam = pam_filter(&session, &raw)?;
    let query = ViewQuery::parse(&HashMap::new())?;
    let now = query.now(&state);
    let (view, _) = portfolio_of(&state, &query, &scope, now, pam).await?;
    let mine = pam == Some(session.actor().staff_id);
    let title = if mine { "My portfolio" } else { "Portfolio" };
    let whose = match (mine, view.partners.first().and_then(|p| p.pam.as_ref())) {
        (true, _) => "Your partners".to_owned(),
        (false, Some(p)) if pam.is_some() => format!("{}'s partners", p.name),
        _ => match &session.actor().territory {
            Some(t) => format!("Every partner in {t}"),
            None => "Every partner in the program".to_owned(),
        },
    };
    let body = html! {
        (heading(title, Some(html! { (whose) " · " (view.partners.len()) " partners" })))
        div.toolbar {
            @if session.role() == Role::Pam {
                @if mine { a.button href="/portfolio?pam=all" { "Whole territory" } }
                @else { a.button href="/portfolio" { "Only mine" } }
            } @else if pam.is_some() {
                a.button href="/portfolio" { "Every PAM" }
            }
        }
        (table(&view))
    };
    Ok(Html(
        layout::page(title, &session, Section::Portfolio, None, body).into_string(),
    ))
}

fn table(view: &Portfolio) -> Markup {
    html! {
        section.panel {
            @if view.partners.is_empty() {
                p.empty { "No partners." }
            } @else {
                div.table-wrap {
                    table #portfolio {
                        thead {
                            tr {
                                th scope="col" { "Partner" }
                                th scope="col" { "Classification" }
                                th scope="col" { "Tier" }
                                th scope="col" { "PAM" }
                                th.num scope="col" { "Active RAPs" }
                                th scope="col" { "Next QAR" }
                                th.num scope="col" { "ARR won" }
                                th scope="col" { "Last activity" }
                                th scope="col" { span.sr-only { "Handover" } }
                            }
                        }
                        tbody {
                            @for p in &view.partners {
                                tr {
                                    th scope="row" {
                                        a href=(format!("/partners/{}", p.partner_id)) { (p.name) }
                                        br; span.muted { (p.partner_type.label()) " · " (p.territory) }
                                    }
                                    td { (classification(p.classification)) }
                                    td { (badge(Tone::Neutral, p.tier.label())) }
                                    td { @match &p.pam { Some(pam) => (pam.name), None => span.muted { "unassigned" } } }
                                    td.num { (p.raps_active) }
                                    td { (due(p.qar.next_due_at, p.qar.overdue, p.qar.days_overdue)) }
                                    td.num { (money(p.arr_won)) }
                                    td {
                                        @if let Some(at) = p.last_activity_at { (time(at)) }
                                        @if let Some(by) = &p.last_activity_by { br; span.muted { (by) } }
                                    }
                                    td { a href=(format!("/partners/{}/handover", p.partner_id)) { "Handover" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
