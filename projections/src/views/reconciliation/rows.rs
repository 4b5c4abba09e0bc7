//! Building a partner's reconciliation rows from its RAPs, exemption allocations and fund
//! requests.

use std::collections::BTreeSet;

use channel_ledger_domain::fiscal::{FiscalCalendar, FiscalQuarter};
use channel_ledger_domain::mdf::{
    AllocationStatus, ClaimStatus, FundRequestStatus, FundingLink, RequestDetails,
};
use channel_ledger_domain::rap::{NamedAccount, RapStatus};
use chrono::{DateTime, Utc};

use super::{FundingSource, ReconciliationFlags, ReconciliationRow};
use crate::model::{PartnerEntry, ProgramModel};
use crate::views::common::{partner_raps, partner_requests, ratio_bps, sum, zero};
use crate::views::profile::MdfTotals;

/// A row being built: its amounts so far and the requests and accounts behind it.
struct Draft<'a> {
    row: ReconciliationRow,
    requests: Vec<&'a RequestDetails>,
    /// The RAP's accounts, or the domains an exemption's requests cite.
    accounts: Vec<&'a NamedAccount>,
}

/// The partner's MDF totals: its rows summed (flags need no clock here, so none is asked).
pub(crate) fn partner_mdf(model: &ProgramModel, entry: &PartnerEntry) -> MdfTotals {
    let rows = partner_rows(
        model,
        entry,
        DateTime::<Utc>::MIN_UTC,
        &FiscalCalendar::default(),
    );
    MdfTotals {
        committed: sum(rows.iter().map(|r| r.mdf_committed)),
        approved: sum(rows.iter().map(|r| r.mdf_approved)),
        claimed: sum(rows.iter().map(|r| r.mdf_claimed)),
        paid: sum(rows.iter().map(|r| r.mdf_paid)),
    }
}

pub(super) fn partner_rows(
    model: &ProgramModel,
    entry: &PartnerEntry,
    now: DateTime<Utc>,
    calendar: &FiscalCalendar,
) -> Vec<ReconciliationRow> {
    let Some(p) = entry.partner.profile.as_ref() else {
        return Vec::new();
    };
    let blank = |quarter: FiscalQuarter, source: FundingSource| ReconciliationRow {
        partner_id: p.partner_id,
        partner_name: p.name.to_string(),
        territory: p.territory.clone(),
        quarter,
        source,
        mdf_committed: zero(),
        mdf_approved: zero(),
        mdf_claimed: zero(),
        mdf_paid: zero(),
        partner_contribution: zero(),
        arr_won: zero(),
        roi_bps: None,
        flags: ReconciliationFlags::default(),
    };
    let mut drafts: Vec<Draft> = Vec::new();
    for plan in partner_raps(model, entry) {
        if !matches!(plan.status, RapStatus::Active | RapStatus::Closed) {
            continue;
        }
        let mut row = blank(
            plan.period,
            FundingSource::Rap {
                rap_id: plan.rap_id,
                title: plan.title.clone(),
            },
        );
        row.mdf_committed = plan.terms.mdf;
        row.partner_contribution = plan.terms.partner_contribution;
        drafts.push(Draft {
            row,
            requests: Vec::new(),
            accounts: plan.accounts.iter().collect(),
        });
    }
    for budget in model.budgets.values() {
        let Some(quarter) = budget.quarter() else {
            continue;
        };
        for a in &budget.allocations {
            if a.exemption.is_none()
                || a.partner.partner_id != p.partner_id
                || a.status != AllocationStatus::Approved
            {
                continue;
            }
            let mut row = blank(
                quarter,
                FundingSource::Exemption {
                    allocation_id: a.allocation_id,
                },
            );
            row.mdf_committed = a.amount;
            drafts.push(Draft {
                row,
                requests: Vec::new(),
                accounts: Vec::new(),
            });
        }
    }
    for request in partner_requests(model, entry) {
        let at = drafts
            .iter()
            .position(|d| links(&d.row.source, &request.link));
        let at = at.unwrap_or_else(|| {
            let source = match request.link {
                FundingLink::Rap { rap_id } => FundingSource::Rap {
                    rap_id: channel_ledger_domain::rap::RapId(rap_id),
                    title: request.title.to_string(),
                },
                FundingLink::Exemption { allocation_id } => {
                    FundingSource::Exemption { allocation_id }
                }
            };
            drafts.push(Draft {
                row: blank(request.quarter, source),
                requests: Vec::new(),
                accounts: Vec::new(),
            });
            drafts.len() - 1
        });
        drafts[at].requests.push(request);
    }
    let rap_accounts: Vec<&NamedAccount> = partner_raps(model, entry)
        .flat_map(|plan| plan.accounts.iter())
        .collect();
    drafts
        .into_iter()
        .map(|d| finish(d, &rap_accounts, now, calendar))
        .collect()
}

fn links(source: &FundingSource, link: &FundingLink) -> bool {
    match (source, link) {
        (FundingSource::Rap { rap_id, .. }, FundingLink::Rap { rap_id: l }) => rap_id.0 == *l,
        (
            FundingSource::Exemption { allocation_id },
            FundingLink::Exemption { allocation_id: l },
        ) => allocation_id == l,
        _ => false,
    }
}

fn finish<'a>(
    mut d: Draft<'a>,
    rap_accounts: &[&'a NamedAccount],
    now: DateTime<Utc>,
    calendar: &FiscalCalendar,
) -> ReconciliationRow {
    let approved = |r: &&&RequestDetails| r.status == FundRequestStatus::Approved;
    let row = &mut d.row;
    row.mdf_approved = sum(d
        .requests
        .iter()
        .filter(approved)
        .map(|r| r.approved_total()));
    row.mdf_claimed = sum(d.requests.iter().map(|r| r.claimed_total()));
    row.mdf_paid = sum(d.requests.iter().map(|r| r.paid_total()));
    if matches!(row.source, FundingSource::Exemption { .. }) {
        let cited: BTreeSet<&str> = d
            .requests
            .iter()
            .flat_map(|r| r.named_accounts.iter().map(String::as_str))
            .collect();
        d.accounts = rap_accounts
            .iter()
            .copied()
            .filter(|a| cited.contains(a.domain.as_str()))
            .collect();
        let mut seen = BTreeSet::new();
        d.accounts.retain(|a| seen.insert(a.domain.as_str()));
    }
    row.arr_won = sum(d.accounts.iter().filter_map(|a| a.arr_won));
    row.roi_bps = ratio_bps(row.arr_won, row.mdf_paid);
    let first_paid = d
        .requests
        .iter()
        .flat_map(|r| r.payments.iter().map(|p| p.paid_at))
        .min();
    let outcome = d.accounts.iter().any(|a| a.status.is_final());
    row.flags = ReconciliationFlags {
        paid_without_outcome_after_two_quarters: row.mdf_paid.minor > 0
            && !outcome
            && first_paid.is_some_and(|at| {
                calendar
                    .quarter_at(now)
                    .quarters_since(calendar.quarter_at(at))
                    >= 2
            }),
        missing_proof: d.requests.iter().filter(approved).any(|r| {
            r.activities.iter().any(|a| {
                a.approved().is_some()
                    && a.starts_on < now.date_naive()
                    && a.claim.as_ref().is_none_or(|c| {
                        matches!(
                            c.status,
                            ClaimStatus::AwaitingProof | ClaimStatus::ProofRejected
                        )
                    })
            })
        }),
        reimbursement_overdue: d.requests.iter().any(|r| {
            r.claims()
                .any(|(_, c)| c.reimbursement_due.is_some_and(|due| now > due))
        }),
    };
    d.row
}
