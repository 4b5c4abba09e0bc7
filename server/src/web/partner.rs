//! A partner's page — profile, inherited cohort strategy, RAPs with named accounts, QAR history
//! and timeline — and its handover brief, both live or "as of" a date on either axis, built by
//! the same functions as `GET /api/v1/partners/{id}/profile|timeline|handover`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::Html;
use channel_ledger_projections::views::{HandoverBrief, PartnerProfileView, TimelineSlice};
use channel_ledger_replay::Axis;
use maud::{html, Markup};

use super::error::WebError;
use super::format::{badge, classification, date, due, money, time, Tone};
use super::layout::{self, heading, Section};
use super::partner_parts;
use super::session::Session;
use crate::routes::partners::partner_id;
use crate::routes::views::partner::{handover_view, parse_page, profile_view, timeline_view};
use crate::routes::views::{scope, ViewQuery, READERS};
use crate::state::AppState;

/// Timeline entries on one page of the partner's page; older ones are a link away.
const TIMELINE_PAGE: usize = 100;

/// The as-of query of a form: blank fields mean "now".
fn view_query(raw: &HashMap<String, String>) -> Result<ViewQuery, WebError> {
    let filled: HashMap<String, String> = raw
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && matches!(k.as_str(), "as_of" | "axis"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Ok(ViewQuery::parse(&filled)?)
}

/// The "as of" control, and a line saying which moment is shown.
fn as_of_form(action: &str, name: &str, query: &ViewQuery) -> Markup {
    let value = query
        .as_of
        .map(|t| t.date_naive().format("%Y-%m-%d").to_string());
    let recorded = query.axis == Axis::Recorded;
    html! {
        form.as-of method="get" action=(action) {
            div.field {
                label for="as_of" { "As of" }
                input #as_of type="date" name="as_of" value=[value];
            }
            div.field {
                label for="axis" { "Axis" }
                select #axis name="axis" {
                    option value="effective" selected[!recorded] { "What was true then" }
                    option value="recorded" selected[recorded] { "What the ledger knew then" }
                }
            }
            button type="submit" { "Show" }
            @if query.as_of.is_some() { a.button href=(action) { "Back to now" } }
        }
        @if let Some(t) = query.as_of {
            p.as-of-banner role="status" {
                "Showing " strong { (name) } " as of the end of " strong { (date(t)) } " — "
                @if recorded { "what the ledger had recorded by then." }
                @else { "what was true then, with later corrections applied." }
            }
        }
    }
}

fn facts(p: &PartnerProfileView) -> Markup {
    html! {
        section.panel aria-labelledby="profile" {
            h2 #profile { "Profile" }
            dl.facts {
                div { dt { "PAM" } dd { @match &p.pam { Some(pam) => (pam.name), None => span.muted { "unassigned" } } } }
                div { dt { "Size" } dd { (p.size.label()) } }
                div { dt { "Specialization" } dd { (p.specialization.as_deref().unwrap_or("—")) } }
                div { dt { "Headquarters" } dd { (p.headquarters) } }
                div { dt { "Next QAR" } dd {
                    @if let Some(n) = p.qar.next_number { "#" (n) " · " }
                    (due(p.qar.next_due_at, p.qar.overdue, p.qar.days_overdue))
                    @if p.qar.open { " " (badge(Tone::Info, "open")) }
                } }
                div { dt { "QARs completed" } dd {
                    (p.qar.completed)
                    @if let Some(at) = p.qar.last_completed_at { span.muted { " · last " (time(at)) } }
                } }
                div { dt { "ARR won" } dd { (money(p.arr_won)) } }
            }
            h3 { "MDF" }
            dl.figures {
                div { dt { "Committed" } dd { (money(p.mdf.committed)) } }
                div { dt { "Approved" } dd { (money(p.mdf.approved)) } }
                div { dt { "Claimed" } dd { (money(p.mdf.claimed)) } }
                div { dt { "Paid" } dd { (money(p.mdf.paid)) } }
            }
        }
    }
}

fn title_line(p: &PartnerProfileView) -> Markup {
    html! {
        (classification(p.classification)) " " (badge(Tone::Neutral, p.tier.label()))
        @if p.offboarded { " " (badge(Tone::Bad, "Offboarded")) }
        " " span.muted { (p.partner_type.label()) " · " (p.territory) }
    }
}

/// `/partners/{id}`: everything about one partner, as of the chosen moment.
pub async fn page(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let scope = scope(session.actor(), READERS, "partner profiles")?;
    let id = partner_id(&id)?.to_string();
    let query = view_query(&raw)?;
    let (profile, _) = profile_view(&state, &scope, &id, &query).await?;
    let (brief, _) = handover_view(&state, &scope, &id, &query).await?;
    let mut page = parse_page(&raw)?;
    let limit = *page.limit.get_or_insert(TIMELINE_PAGE);
    let (timeline, _) = timeline_view(&state, &scope, &id, &query, None, page).await?;
    let older = older_href(&id, &query, limit, &timeline);
    let handover_href = match query.as_of {
        Some(_) => format!("/partners/{id}/handover?{}", as_of_params(&query)),
        None => format!("/partners/{id}/handover"),
    };
    let body = html! {
        (heading(&profile.name, Some(title_line(&profile))))
        div.toolbar {
            (as_of_form(&format!("/partners/{id}"), &profile.name, &query))
            a.button href=(handover_href) { "Handover brief" }
        }
        div.grid-2 {
            (facts(&profile))
            (partner_parts::strategy(profile.cohort_strategy.as_ref()))
        }
        (partner_parts::raps(&profile.active_raps))
        (partner_parts::qar_history(&brief.qar_history))
        (partner_parts::timeline(&timeline.entries, older.as_deref()))
    };
    Ok(Html(
        layout::page(&profile.name, &session, Section::Other, None, body).into_string(),
    ))
}

/// The link to the page of older timeline entries, when there are any.
fn older_href(
    id: &str,
    query: &ViewQuery,
    limit: usize,
    timeline: &TimelineSlice,
) -> Option<String> {
    let first = timeline.entries.first().filter(|_| timeline.older)?;
    let page = format!("before={}&limit={limit}", first.position);
    Some(match query.as_of {
        Some(_) => format!("/partners/{id}?{}&{page}#timeline", as_of_params(query)),
        None => format!("/partners/{id}?{page}#timeline"),
    })
}

fn as_of_params(query: &ViewQuery) -> String {
    let date = query
        .as_of
        .map(|t| t.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    format!("as_of={date}&axis={}", query.axis)
}

fn brief_body(b: &HandoverBrief) -> Markup {
    html! {
        div.grid-2 {
            section.panel aria-labelledby="people" {
                h2 #people { "Who had this partner" }
                dl.facts {
                    div { dt { "PAM now" } dd {
                        @match &b.pam { Some(p) => (p.name), None => span.muted { "unassigned" } }
                        @if let Some(since) = b.pam_since { span.muted { " · since " (time(since)) } }
                    } }
                    div { dt { "MDF owed" } dd { (money(b.mdf_owed)) } }
                    div { dt { "Next QAR" } dd { (due(b.qar.next_due_at, b.qar.overdue, b.qar.days_overdue)) } }
                }
                @if !b.previous_pams.is_empty() {
                    h3 { "Before them" }
                    ol.people {
                        @for p in &b.previous_pams {
                            li { (p.pam_name) span.muted { " · " (time(p.from)) " – " (time(p.until)) } }
                        }
                    }
                }
            }
            section.panel aria-labelledby="concerns" {
                h2 #concerns { "Last concerns" }
                @match &b.last_concerns {
                    None => p.empty { "No QAR discussion on file that you may read." },
                    Some(d) => dl.discussion {
                        dt { "Discussed" } dd { (d.discussed) }
                        dt { "Agreed" } dd { (d.agreed) }
                        dt { "Why" } dd { (d.why) }
                    },
                }
            }
        }
        section.panel aria-labelledby="commitments" {
            h2 #commitments { "Open commitments" }
            @if b.open_commitments.is_empty() {
                p.empty { "Nothing is still owed from the QAR plan." }
            } @else {
                table {
                    thead { tr { th scope="col" { "Commitment" } th scope="col" { "Owner" } th scope="col" { "Due" } } }
                    tbody {
                        @for c in &b.open_commitments {
                            tr {
                                th scope="row" { (c.description.as_deref().unwrap_or("(not shown to your role)")) }
                                td { (c.owner) }
                                td {
                                    @if c.overdue { (badge(Tone::Bad, "Overdue")) " " }
                                    (time(c.due_at))
                                    @if c.times_deferred > 0 { span.muted { " · deferred " (c.times_deferred) "×" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (partner_parts::strategy(b.cohort_strategy.as_ref()))
        (partner_parts::raps(&b.active_raps))
        (partner_parts::qar_history(&b.qar_history))
    }
}

/// `/partners/{id}/handover`: what an incoming PAM reads before the first call.
pub async fn handover(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Html<String>, WebError> {
    let scope = scope(session.actor(), READERS, "handover briefs")?;
    let id = partner_id(&id)?.to_string();
    let query = view_query(&raw)?;
    let (brief, _) = handover_view(&state, &scope, &id, &query).await?;
    let title = format!("Handover brief: {}", brief.partner_name);
    let body = html! {
        (heading(&title, Some(html! {
            a href=(format!("/partners/{id}")) { "Back to " (brief.partner_name) }
            " · " (brief.territory)
        })))
        (as_of_form(&format!("/partners/{id}/handover"), &brief.partner_name, &query))
        (brief_body(&brief))
    };
    Ok(Html(
        layout::page(&title, &session, Section::Other, None, body).into_string(),
    ))
}
