//! Finance reconciliation: one row per funding source — a RAP (Active or Closed) or an approved
//! MDF exemption — of a partner in a quarter, from MDF committed to ARR won, with flags, a
//! totals row and a CSV export with stable columns ([`CSV_HEADER`]).
//!
//! A fund request counts on the row of the RAP or exemption it draws on. ARR won on a RAP row is
//! the ARR of the RAP's won named accounts; on an exemption row, the ARR of the named accounts its
//! requests cite, as won on any of the partner's RAPs (such an account may also count on its
//! RAP's row). ROI is ARR won ÷ MDF paid in basis points (10,000 = 1x), rounded down, `None` when
//! nothing is paid.
//!
//! Flags, at `now`:
//! - `paid_without_outcome_after_two_quarters`: MDF was paid, two or more fiscal quarters have
//!   passed since the first payment, and none of the row's named accounts is Won or Lost;
//! - `missing_proof`: an approved activity started before `now`'s date and its claim has no
//!   proof on file (not claimed, awaiting proof, or proof rejected);
//! - `reimbursement_overdue`: accepted proof not paid in full by its reimbursement due date.

mod csv_export;
mod rows;

pub use csv_export::{to_csv, CSV_HEADER};
pub(super) use rows::partner_mdf;

use channel_ledger_domain::fiscal::{FiscalCalendar, FiscalQuarter};
use channel_ledger_domain::mdf::AllocationId;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::rap::RapId;
use channel_ledger_domain::Territory;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{ratio_bps, sum, visible_partners};
use super::Scope;
use crate::model::ProgramModel;

/// What a row's MDF draws on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind")]
pub enum FundingSource {
    Rap { rap_id: RapId, title: String },
    Exemption { allocation_id: AllocationId },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReconciliationFlags {
    pub paid_without_outcome_after_two_quarters: bool,
    pub missing_proof: bool,
    pub reimbursement_overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReconciliationRow {
    pub partner_id: PartnerId,
    pub partner_name: String,
    pub territory: Territory,
    pub quarter: FiscalQuarter,
    pub source: FundingSource,
    pub mdf_committed: Money,
    pub mdf_approved: Money,
    pub mdf_claimed: Money,
    pub mdf_paid: Money,
    pub partner_contribution: Money,
    pub arr_won: Money,
    pub roi_bps: Option<i64>,
    pub flags: ReconciliationFlags,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReconciliationTotals {
    pub mdf_committed: Money,
    pub mdf_approved: Money,
    pub mdf_claimed: Money,
    pub mdf_paid: Money,
    pub partner_contribution: Money,
    pub arr_won: Money,
    pub roi_bps: Option<i64>,
    /// Rows with at least one flag raised.
    pub rows_flagged: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reconciliation {
    /// By partner name, quarter, RAPs before exemptions, then title or id.
    pub rows: Vec<ReconciliationRow>,
    pub totals: ReconciliationTotals,
}

/// The reconciliation of every partner the scope sees, at `now`, quarters per `calendar`.
pub fn finance_reconciliation(
    model: &ProgramModel,
    scope: &Scope,
    now: DateTime<Utc>,
    calendar: &FiscalCalendar,
) -> Reconciliation {
    let mut rows: Vec<ReconciliationRow> = visible_partners(model, scope)
        .flat_map(|(_, entry, _)| rows::partner_rows(model, entry, now, calendar))
        .collect();
    rows.sort_by(|a, b| row_key(a).cmp(&row_key(b)));
    let totals = totals(&rows);
    Reconciliation { rows, totals }
}

fn row_key(r: &ReconciliationRow) -> (&str, PartnerId, FiscalQuarter, u8, String) {
    let (kind, id) = match &r.source {
        FundingSource::Rap { title, rap_id } => (0, format!("{title}\u{0}{rap_id}")),
        FundingSource::Exemption { allocation_id } => (1, allocation_id.to_string()),
    };
    (&r.partner_name, r.partner_id, r.quarter, kind, id)
}

/// The totals row: each amount summed over `rows`, ROI of the sums.
pub fn totals(rows: &[ReconciliationRow]) -> ReconciliationTotals {
    let total = |f: fn(&ReconciliationRow) -> Money| sum(rows.iter().map(f));
    let arr_won = total(|r| r.arr_won);
    let mdf_paid = total(|r| r.mdf_paid);
    ReconciliationTotals {
        mdf_committed: total(|r| r.mdf_committed),
        mdf_approved: total(|r| r.mdf_approved),
        mdf_claimed: total(|r| r.mdf_claimed),
        mdf_paid,
        partner_contribution: total(|r| r.partner_contribution),
        arr_won,
        roi_bps: ratio_bps(arr_won, mdf_paid),
        rows_flagged: u32::try_from(
            rows.iter()
                .filter(|r| r.flags != ReconciliationFlags::default())
                .count(),
        )
        .unwrap_or(u32::MAX),
    }
}
