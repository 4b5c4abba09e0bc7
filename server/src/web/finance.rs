//! Finance reconciliation — MDF committed → approved → claimed → paid → ARR won, per RAP or
//! exemption — and its CSV download, from `finance_reconciliation` and `to_csv` as the API's
//! `GET /api/v1/finance/reconciliation` builds them.

use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use channel_ledger_domain::fiscal::FiscalCalendar;
use channel_ledger_projections::views::{
    finance_reconciliation, to_csv, FundingSource, Reconciliation, ReconciliationFlags,
};
use maud::{html, Markup};

use super::error::WebError;
use super::format::{badge, money, multiple_bps, Tone};
use super::layout::{self, heading, Section};
use super::session::Session;
use crate::routes::views::program::build;
use crate::routes::views::{scope, ViewQuery};
use crate::state::AppState;

async fn load(state: &AppState, session: &Session) -> Result<Reconciliation, WebError> {
    let scope = scope(
        session.actor(),
        Section::Finance.readers(),
        "the finance reconciliation",
    )?;
    let query = ViewQuery::parse(&Default::default())?;
    let now = query.now(state);
    let calendar = FiscalCalendar::default();
    let (view, _) = build(state, &query, |m| {
        finance_reconciliation(m, &scope, now, &calendar)
    })
    .await?;
    Ok(view)
}

pub async fn page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, WebError> {
    let view = load(&state, &session).await?;
    let t = &view.totals;
    let body = html! {
        (heading("Finance reconciliation", Some(html! { "Every dollar of MDF, from commitment to the ARR it won" })))
        div.toolbar {
            a.button.primary href="/finance/reconciliation.csv" download="reconciliation.csv" { "Download CSV" }
        }
        dl.kpis {
            div { dt { "Committed" } dd { (money(t.mdf_committed)) } }
            div { dt { "Approved" } dd { (money(t.mdf_approved)) } }
            div { dt { "Claimed" } dd { (money(t.mdf_claimed)) } }
            div { dt { "Paid" } dd { (money(t.mdf_paid)) } }
            div { dt { "ARR won" } dd { (money(t.arr_won)) } }
            div { dt { "ROI" } dd { @match t.roi_bps { Some(r) => (multiple_bps(r)), None => "—" } } }
            div.attention { dt { "Rows flagged" } dd { (t.rows_flagged) } }
        }
        (rows(&view))
    };
    Ok(Html(
        layout::page("Reconciliation", &session, Section::Finance, None, body).into_string(),
    ))
}

fn flags(f: &ReconciliationFlags) -> Markup {
    html! {
        @if f.paid_without_outcome_after_two_quarters { (badge(Tone::Warn, "paid, no outcome")) " " }
        @if f.missing_proof { (badge(Tone::Warn, "missing proof")) " " }
        @if f.reimbursement_overdue { (badge(Tone::Bad, "reimbursement overdue")) }
    }
}

fn rows(view: &Reconciliation) -> Markup {
    html! {
        section.panel {
            div.table-wrap {
                table #reconciliation {
                    thead { tr {
                        th scope="col" { "Partner" } th scope="col" { "Quarter" } th scope="col" { "Source" }
                        th.num scope="col" { "Committed" } th.num scope="col" { "Approved" } th.num scope="col" { "Claimed" }
                        th.num scope="col" { "Paid" } th.num scope="col" { "Partner share" } th.num scope="col" { "ARR won" }
                        th.num scope="col" { "ROI" } th scope="col" { "Flags" }
                    } }
                    tbody {
                        @for r in &view.rows {
                            tr {
                                th scope="row" { a href=(format!("/partners/{}", r.partner_id)) { (r.partner_name) } }
                                td { (r.quarter) }
                                td { @match &r.source {
                                    FundingSource::Rap { title, .. } => (title),
                                    FundingSource::Exemption { .. } => "MDF exemption",
                                } }
                                td.num { (money(r.mdf_committed)) }
                                td.num { (money(r.mdf_approved)) }
                                td.num { (money(r.mdf_claimed)) }
                                td.num { (money(r.mdf_paid)) }
                                td.num { (money(r.partner_contribution)) }
                                td.num { (money(r.arr_won)) }
                                td.num { @match r.roi_bps { Some(b) => (multiple_bps(b)), None => "—" } }
                                td { (flags(&r.flags)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The same CSV as `GET /api/v1/finance/reconciliation?format=csv`.
pub async fn csv(State(state): State<AppState>, session: Session) -> Result<Response, WebError> {
    let view = load(&state, &session).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"reconciliation.csv\"",
            ),
        ],
        to_csv(&view.rows),
    )
        .into_response())
}
