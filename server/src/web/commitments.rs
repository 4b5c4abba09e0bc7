//! CxO commitments: every active RAP's commitment, the co-funding still owed and the ARR at
//! stake — `cxo_commitments`, scoped as `GET /api/v1/commitments`.

use axum::extract::State;
use axum::response::Html;
use channel_ledger_projections::views::{cxo_commitments, CxoCommitments};
use maud::{html, Markup};

use super::error::WebError;
use super::format::{money, time};
use super::layout::{self, heading, Section};
use super::session::Session;
use crate::routes::views::program::build;
use crate::routes::views::{scope, ViewQuery};
use crate::state::AppState;

pub async fn page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, WebError> {
    let scope = scope(
        session.actor(),
        Section::Commitments.readers(),
        "program commitments",
    )?;
    let query = ViewQuery::parse(&Default::default())?;
    let now = query.now(&state);
    let (view, _) = build(&state, &query, |m| cxo_commitments(m, &scope, now)).await?;
    let body = html! {
        (heading("Commitments", Some(html! { "What the program has promised, and the ARR riding on it" })))
        (totals(&view))
        (raps(&view))
        (obligations(&view))
    };
    Ok(Html(
        layout::page("Commitments", &session, Section::Commitments, None, body).into_string(),
    ))
}

fn totals(v: &CxoCommitments) -> Markup {
    let t = &v.totals;
    html! {
        dl.kpis {
            div { dt { "MDF committed" } dd { (money(t.mdf)) } }
            div { dt { "Partner co-funding" } dd { (money(t.partner_contribution)) } }
            div { dt { "ARR target" } dd { (money(t.arr_target)) } }
            div { dt { "ARR won" } dd { (money(t.arr_won)) } }
            div.attention { dt { "ARR at stake" } dd { (money(t.arr_at_stake)) } }
            div { dt { "Co-funding owed" } dd { (money(t.co_fund_outstanding)) } }
        }
    }
}

fn raps(v: &CxoCommitments) -> Markup {
    html! {
        section.panel aria-labelledby="active-raps" {
            h2 #active-raps { "Active RAPs" }
            @if v.commitments.is_empty() { p.empty { "No active RAP." } } @else {
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { "RAP" } th scope="col" { "Territory" }
                            th.num scope="col" { "GTM budget" } th.num scope="col" { "MDF" }
                            th.num scope="col" { "ARR target" } th.num scope="col" { "Won" } th.num scope="col" { "At stake" }
                            th.num scope="col" { "Accounts open" } th scope="col" { "In force since" }
                        } }
                        tbody {
                            @for c in &v.commitments {
                                tr {
                                    th scope="row" { a href=(format!("/partners/{}", c.partner_id)) { (c.title) } }
                                    td { (c.territory) }
                                    td.num { (money(c.gtm_budget)) }
                                    td.num { (money(c.mdf)) }
                                    td.num { (money(c.arr_target)) }
                                    td.num { (money(c.arr_won)) }
                                    td.num { (money(c.arr_at_stake)) }
                                    td.num { (c.named_accounts_open) " / " (c.named_accounts) }
                                    td { @if let Some(at) = c.activated_at { (time(at)) } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn obligations(v: &CxoCommitments) -> Markup {
    html! {
        section.panel aria-labelledby="owed" {
            h2 #owed { "Co-funding owed" }
            p.muted { "MDF approved on fund requests and not yet paid." }
            @if v.co_fund_outstanding.is_empty() { p.empty { "Nothing owed." } } @else {
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { "Request" } th scope="col" { "Partner" } th scope="col" { "Quarter" }
                            th.num scope="col" { "Approved" } th.num scope="col" { "Paid" } th.num scope="col" { "Owed" }
                        } }
                        tbody {
                            @for o in &v.co_fund_outstanding {
                                tr {
                                    th scope="row" { (o.title) }
                                    td { a href=(format!("/partners/{}", o.partner_id)) { (o.partner_name) } }
                                    td { (o.quarter) }
                                    td.num { (money(o.approved)) }
                                    td.num { (money(o.paid)) }
                                    td.num { (money(o.outstanding)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
