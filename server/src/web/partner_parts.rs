//! Sections the partner page and the handover brief share: the cohort strategy a partner
//! inherits, its RAPs with their named accounts, its QAR history and the timeline.

use channel_ledger_projections::views::{
    CohortStrategyInForce, QarRecord, RapSummary, TimelineEntry,
};
use maud::{html, Markup};

use super::format::{account_status, badge, date_time, money, rap_status, time, Tone};

pub fn strategy(s: Option<&CohortStrategyInForce>) -> Markup {
    html! {
        section.panel aria-labelledby="strategy" {
            h2 #strategy { "Inherited cohort strategy" }
            @match s {
                None => p.empty { "No approved strategy is in force for this classification." },
                Some(s) => {
                    p.muted {
                        (s.classification.label()) " · version " (s.version)
                        @if let Some(at) = s.approved_at { " · approved " (time(at)) }
                    }
                    p.intent { (s.intent) }
                    @if !s.plays.is_empty() {
                        h3 { "Activation plays" }
                        ol.plays {
                            @for p in &s.plays {
                                li { strong { (p.title) } " — " (p.description) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn raps(raps: &[RapSummary]) -> Markup {
    html! {
        section.panel aria-labelledby="raps" {
            h2 #raps { "Active RAPs" }
            @if raps.is_empty() { p.empty { "No active RAP." } }
            @for r in raps {
                article.rap aria-label=(r.title) {
                    header {
                        h3 { (r.title) }
                        (rap_status(r.status))
                        @if r.amendment_pending { " " (badge(Tone::Warn, "Amendment pending")) }
                    }
                    dl.figures {
                        div { dt { "MDF" } dd { (money(r.mdf)) } }
                        div { dt { "Partner" } dd { (money(r.partner_contribution)) } }
                        div { dt { "ARR target" } dd { (money(r.arr_target)) } }
                        div { dt { "ARR won" } dd { (money(r.arr_won)) } }
                    }
                    @if !r.named_accounts.is_empty() {
                        table {
                            caption { "Named accounts" }
                            thead { tr { th scope="col" { "Account" } th scope="col" { "Domain" } th scope="col" { "Status" } } }
                            tbody {
                                @for a in &r.named_accounts {
                                    tr {
                                        th scope="row" { (a.name) }
                                        td { code { (a.domain) } }
                                        td { (account_status(a.status)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn qar_history(history: &[QarRecord]) -> Markup {
    html! {
        section.panel aria-labelledby="qars" {
            h2 #qars { "QAR history" }
            @if history.is_empty() {
                p.empty { "No QAR completed yet." }
            } @else {
                div.table-wrap {
                    table {
                        thead {
                            tr {
                                th scope="col" { "QAR" } th scope="col" { "Due" } th scope="col" { "Completed" }
                                th.num scope="col" { "Delivered" } th.num scope="col" { "Deferred" } th.num scope="col" { "Missed" }
                                th scope="col" { "Agreed" }
                            }
                        }
                        tbody {
                            @for q in history.iter().rev() {
                                tr {
                                    th scope="row" { "#" (q.number) }
                                    td { (time(q.due_at)) }
                                    td { (time(q.completed_at)) @if q.late { " " (badge(Tone::Warn, "late")) } }
                                    td.num { (q.outcomes.delivered) }
                                    td.num { (q.outcomes.deferred) }
                                    td.num { (q.outcomes.missed) }
                                    td { @match &q.discussion { Some(d) => (d.agreed), None => span.muted { "—" } } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn timeline(entries: &[TimelineEntry], older: Option<&str>) -> Markup {
    html! {
        section.panel aria-labelledby="timeline" {
            h2 #timeline { "Timeline" }
            @if entries.is_empty() { p.empty { "Nothing recorded yet." } }
            ol.timeline reversed {
                @for e in entries.iter().rev() {
                    li {
                        p.sentence { (e.sentence) }
                        p.meta {
                            (e.actor.name) " · " (e.actor.role.as_str())
                            @if let Some(t) = &e.actor.territory { ", " (t) }
                            " · " (e.authority)
                        }
                        @if let Some(r) = &e.reason { p.reason { "“" (r) "”" } }
                        p.meta.times {
                            "effective " (date_time(e.effective_at)) " · recorded " (date_time(e.recorded_at))
                            @if let Some(b) = &e.backdate_reason { " · back-dated: " (b) }
                        }
                    }
                }
            }
            @if let Some(href) = older { p { a.button href=(href) { "Older entries" } } }
        }
    }
}
