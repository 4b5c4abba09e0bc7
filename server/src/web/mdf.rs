//! The MDF ledger: each quarter's double-entry fund — balances per account and every posting —
//! read through the API's own `GET /api/v1/mdf/ledger` handler (CxO, Finance, Auditor).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::response::Html;
use axum::Json;
use channel_ledger_domain::mdf::Account;
use maud::{html, Markup};

use super::error::WebError;
use super::format::{badge, money, time, Tone};
use super::layout::{self, heading, Section};
use super::session::Session;
use crate::routes::mdf::ledger::{get_ledger, FundLedger};
use crate::state::AppState;

pub async fn page(
    State(state): State<AppState>,
    session: Session,
) -> Result<Html<String>, WebError> {
    let Json(ledger) =
        get_ledger(State(state), session.auth.clone(), Query(HashMap::new())).await?;
    // Latest quarter first: what people look at most.
    let mut funds = ledger.funds;
    funds.sort_by_key(|f| std::cmp::Reverse(f.quarter));
    let body = html! {
        (heading("MDF ledger", Some(html! { "Every quarter's fund in double entry: what was budgeted, allocated, committed, claimed and paid" })))
        @if funds.is_empty() { p.empty { "No MDF budget has been set yet." } }
        @for f in &funds { (fund(f)) }
    };
    Ok(Html(
        layout::page("MDF ledger", &session, Section::Mdf, None, body).into_string(),
    ))
}

fn account(a: &Account) -> String {
    match a {
        Account::ProgramFunding { .. } => "Program funding".to_owned(),
        Account::Unallocated { .. } => "Unallocated".to_owned(),
        Account::Allocated { partner_id, .. } => {
            format!("Allocated · partner {}", short(&partner_id.to_string()))
        }
        Account::Committed { request_id } => {
            format!("Committed · request {}", short(&request_id.to_string()))
        }
        Account::Claimed { request_id } => {
            format!("Claimed · request {}", short(&request_id.to_string()))
        }
        Account::Payable { request_id } => {
            format!("Payable · request {}", short(&request_id.to_string()))
        }
        Account::Paid { request_id } => {
            format!("Paid · request {}", short(&request_id.to_string()))
        }
    }
}

/// The first block of an id: enough to tell rows apart on a page.
fn short(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

fn fund(f: &FundLedger) -> Markup {
    let heading_id = format!("fund-{}", f.quarter.to_string().replace(' ', "-"));
    html! {
        section.panel aria-labelledby=(heading_id) {
            header.fund-head {
                h2 #(heading_id) { (f.quarter) }
                @if f.balanced { (badge(Tone::Good, "balanced")) } @else { (badge(Tone::Bad, "does not balance")) }
            }
            div.table-wrap {
                table {
                    caption.sr-only { "Balances of " (f.quarter) }
                    thead { tr { th scope="col" { "Account" } th.num scope="col" { "Balance" } } }
                    tbody {
                        @for b in &f.balances {
                            tr { th scope="row" { (account(&b.account)) } td.num { (money(b.balance)) } }
                        }
                    }
                }
            }
            details {
                summary { (f.postings.len()) " postings" }
                div.table-wrap {
                    table {
                        thead { tr {
                            th scope="col" { "Effective" } th scope="col" { "Event" }
                            th scope="col" { "Debit" } th scope="col" { "Credit" } th.num scope="col" { "Amount" }
                        } }
                        tbody {
                            @for p in &f.postings {
                                tr {
                                    td { (time(p.effective_at)) }
                                    td { (p.event_type) span.muted { " #" (p.position) } }
                                    td { (account(&p.debit)) }
                                    td { (account(&p.credit)) }
                                    td.num { (money(p.amount)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
