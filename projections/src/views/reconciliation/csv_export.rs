//! The reconciliation as CSV. The columns are part of the contract with Finance's spreadsheets:
//! add new ones only at the end, never rename or reorder. Money is in minor units (cents for USD)
//! beside its currency; booleans are `true`/`false`; an absent ROI is an empty cell. The last
//! line is the totals row, whose `partner_id` is `TOTAL`.

use super::{totals, FundingSource, ReconciliationRow};
use crate::views::common::zero;

/// The header line, exactly as written.
pub const CSV_HEADER: &str = "partner_id,partner_name,territory,quarter,source,rap_id,rap_title,\
allocation_id,currency,mdf_committed_minor,mdf_approved_minor,mdf_claimed_minor,mdf_paid_minor,\
partner_contribution_minor,arr_won_minor,roi_bps,paid_without_outcome_after_two_quarters,\
missing_proof,reimbursement_overdue";

/// `rows` and their totals row as CSV, header first, `\n` line endings.
pub fn to_csv(rows: &[ReconciliationRow]) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let record = |w: &mut csv::Writer<Vec<u8>>, fields: Vec<String>| {
        // Writing to a Vec cannot fail.
        w.write_record(&fields).ok();
    };
    record(&mut w, CSV_HEADER.split(',').map(str::to_owned).collect());
    for r in rows {
        let (source, rap_id, rap_title, allocation_id) = match &r.source {
            FundingSource::Rap { rap_id, title } => {
                ("RAP", rap_id.to_string(), title.clone(), String::new())
            }
            FundingSource::Exemption { allocation_id } => (
                "Exemption",
                String::new(),
                String::new(),
                allocation_id.to_string(),
            ),
        };
        record(
            &mut w,
            vec![
                r.partner_id.to_string(),
                r.partner_name.clone(),
                r.territory.to_string(),
                r.quarter.to_string(),
                source.to_owned(),
                rap_id,
                rap_title,
                allocation_id,
                r.mdf_committed.currency.to_string(),
                r.mdf_committed.minor.to_string(),
                r.mdf_approved.minor.to_string(),
                r.mdf_claimed.minor.to_string(),
                r.mdf_paid.minor.to_string(),
                r.partner_contribution.minor.to_string(),
                r.arr_won.minor.to_string(),
                r.roi_bps.map(|v| v.to_string()).unwrap_or_default(),
                r.flags.paid_without_outcome_after_two_quarters.to_string(),
                r.flags.missing_proof.to_string(),
                r.flags.reimbursement_overdue.to_string(),
            ],
        );
    }
    let t = totals(rows);
    let blank = String::new;
    record(
        &mut w,
        vec![
            "TOTAL".to_owned(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            blank(),
            zero().currency.to_string(),
            t.mdf_committed.minor.to_string(),
            t.mdf_approved.minor.to_string(),
            t.mdf_claimed.minor.to_string(),
            t.mdf_paid.minor.to_string(),
            t.partner_contribution.minor.to_string(),
            t.arr_won.minor.to_string(),
            t.roi_bps.map(|v| v.to_string()).unwrap_or_default(),
            blank(),
            blank(),
            blank(),
        ],
    );
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
