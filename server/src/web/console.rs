//! The manager console in three tabs: a card per PAM, the workflow queue and program
//! intelligence — all three from `manager_console`, scoped as the API scopes `/console`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use channel_ledger_projections::views::{
    manager_console, ManagerConsole, PamCard, PamStatus, ProgramIntelligence,
};
use maud::{html, Markup};

use super::error::WebError;
use super::flash::Flash;
use super::format::{badge, money, percent_bps, Tone};
use super::layout::{heading, page, Section};
use super::queue;
use super::session::Session;
use crate::routes::views::program::build;
use crate::routes::views::{scope, ViewQuery};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Pams,
    Queue,
    Intelligence,
}

impl Tab {
    const ALL: [Tab; 3] = [Tab::Pams, Tab::Queue, Tab::Intelligence];

    fn href(self) -> &'static str {
        match self {
            Tab::Pams => "/console",
            Tab::Queue => "/console/queue",
            Tab::Intelligence => "/console/intelligence",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Tab::Pams => "PAM portfolios",
            Tab::Queue => "Workflow approvals",
            Tab::Intelligence => "Program intelligence",
        }
    }
}

/// The console as the reader may see it now.
async fn load(state: &AppState, session: &Session) -> Result<ManagerConsole, WebError> {
    let scope = scope(
        session.actor(),
        Section::Console.readers(),
        "the manager console",
    )?;
    let query = ViewQuery {
        min_position: None,
        as_of: None,
        axis: channel_ledger_replay::Axis::Effective,
    };
    let now = query.now(state);
    let (console, _) = build(state, &query, |m| manager_console(m, &scope, now)).await?;
    Ok(console)
}

fn tabs(current: Tab, console: &ManagerConsole, session: &Session) -> Markup {
    let waiting = console
        .queue
        .items
        .iter()
        .filter(|i| queue::may_decide(i, session.actor()))
        .count();
    html! {
        nav.tabs aria-label="Console" {
            @for t in Tab::ALL {
                a href=(t.href()) aria-current=[(t == current).then_some("page")] {
                    (t.label())
                    @if t == Tab::Queue && waiting > 0 {
                        " " span.count aria-label=(format!("{waiting} waiting for you")) { (waiting) }
                    }
                }
            }
        }
    }
}

fn render(
    session: &Session,
    console: &ManagerConsole,
    tab: Tab,
    flash: Option<&Flash>,
    body: Markup,
) -> Markup {
    let reach = match &session.actor().territory {
        Some(t) => format!("PAMs, approvals and the program in {t}"),
        None => "PAMs, approvals and the program, every territory".to_owned(),
    };
    let content = html! {
        (heading("Manager console", Some(html! { (reach) })))
        (tabs(tab, console, session))
        (body)
    };
    page(tab.label(), session, Section::Console, flash, content)
}

/// Tab 1: a card per PAM, On Track or Needs Attention.
pub async fn pams(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, WebError> {
    let console = load(&state, &session).await?;
    let body = html! {
        @if console.cards.is_empty() {
            p.empty { "No PAMs in scope." }
        }
        ul.cards {
            @for c in &console.cards { li { (pam_card(c)) } }
        }
    };
    Ok(Html(
        render(&session, &console, Tab::Pams, None, body).into_string(),
    ))
}

fn pam_card(c: &PamCard) -> Markup {
    let status = match c.status {
        PamStatus::OnTrack => badge(Tone::Good, "On Track"),
        PamStatus::NeedsAttention => badge(Tone::Bad, "Needs Attention"),
    };
    html! {
        article.card.pam aria-labelledby=(format!("pam-{}", c.pam_id)) {
            header {
                h2 #(format!("pam-{}", c.pam_id)) {
                    a href=(format!("/portfolio?pam={}", c.pam_id)) { (c.pam_name) }
                }
                (status)
            }
            p.muted {
                @if let Some(t) = &c.territory { (t) }
                @if !c.on_staff { " · has left" }
            }
            dl.figures {
                div { dt { "Partners" } dd { (c.partners) @if c.over_capacity { " " (badge(Tone::Warn, "over capacity")) } } }
                div { dt { "Active RAPs" } dd { (c.raps_active) } }
                div { dt { "QARs open" } dd { (c.qars_open) } }
                div {
                    dt { "QARs overdue" }
                    dd class=[(c.qars_overdue > 0).then_some("overdue")] { (c.qars_overdue) }
                }
                div.wide { dt { "Revenue under management" } dd { (money(c.revenue_under_management)) } }
            }
            @if !c.attention_reasons.is_empty() {
                ul.reasons { @for r in &c.attention_reasons { li { (r) } } }
            }
        }
    }
}

/// Tab 2: the workflow queue, what the reader may decide first.
pub async fn queue(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let console = load(&state, &session).await?;
    let taken = Flash::take(&headers, &session);
    let body = queue::render(&console.queue, &session);
    let html = render(
        &session,
        &console,
        Tab::Queue,
        taken.as_ref().map(|(f, _)| f),
        body,
    );
    let html = Html(html.into_string());
    Ok(match taken {
        Some((_, clear)) => ([clear], html).into_response(),
        None => html.into_response(),
    })
}

/// Tab 3: classification mix, Longtail Diamond candidates and PAM capacity.
pub async fn intelligence(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, WebError> {
    let console = load(&state, &session).await?;
    let body = intelligence_body(&console.intelligence);
    Ok(Html(
        render(&session, &console, Tab::Intelligence, None, body).into_string(),
    ))
}

fn intelligence_body(i: &ProgramIntelligence) -> Markup {
    let total: u32 = i.classification_mix.iter().map(|c| c.partners).sum();
    html! {
        div.grid-2 {
            section.panel aria-labelledby="mix" {
                h2 #mix { "Classification mix" }
                table {
                    caption.sr-only { "Partners by classification" }
                    thead { tr { th scope="col" { "Classification" } th.num scope="col" { "Partners" } th scope="col" { span.sr-only { "Share" } } } }
                    tbody {
                        @for c in &i.classification_mix {
                            tr {
                                th scope="row" { (c.label) }
                                td.num { (c.partners) }
                                td.bar-cell {
                                    span.bar style=(format!("width: {}%", share(c.partners, total))) {}
                                }
                            }
                        }
                    }
                }
            }
            section.panel aria-labelledby="capacity" {
                h2 #capacity { "PAM capacity" }
                table {
                    thead { tr { th scope="col" { "PAM" } th.num scope="col" { "Partners" } th.num scope="col" { "Load" } } }
                    tbody {
                        @for p in &i.pam_capacity {
                            tr {
                                th scope="row" { (p.pam_name) }
                                td.num { (p.partners) " / " (p.capacity) }
                                td.num class=[p.over_capacity.then_some("overdue")] { (percent_bps(p.load_bps)) }
                            }
                        }
                    }
                }
            }
        }
        section.panel aria-labelledby="diamonds" {
            h2 #diamonds { "Longtail Diamond candidates" }
            p.muted { "Longtail partners with an active RAP or a named account won: evidence of net-new logos in their base." }
            @if i.longtail_diamond_candidates.is_empty() {
                p.empty { "No candidates right now." }
            } @else {
                table {
                    thead { tr { th scope="col" { "Partner" } th scope="col" { "Territory" } th scope="col" { "PAM" } th scope="col" { "Evidence" } } }
                    tbody {
                        @for d in &i.longtail_diamond_candidates {
                            tr {
                                th scope="row" { a href=(format!("/partners/{}", d.partner_id)) { (d.name) } }
                                td { (d.territory) }
                                td { @if let Some(p) = &d.pam { (p.name) } @else { span.muted { "unassigned" } } }
                                td { (d.evidence) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn share(n: u32, total: u32) -> u32 {
    (n * 100).checked_div(total).unwrap_or(0)
}
