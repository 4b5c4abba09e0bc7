//! Finance reconciliation: rows, flags, totals equal to the MDF ledger's balances, and a CSV
//! whose header never changes.

use std::collections::BTreeMap;

use channel_ledger_domain::fiscal::FiscalCalendar;
use channel_ledger_domain::mdf::{balances, request_ledger, Account, FundRequestEvent};
use channel_ledger_domain::money::Money;

use super::builder::{scope_of, t, usd};
use super::program::program;
use crate::event::DomainEvent;
use crate::views::*;

#[test]
fn rows_carry_the_chain_from_mdf_committed_to_arr_won_and_roi() {
    let p = program();
    let rec = finance_reconciliation(
        &p.model(),
        &scope_of(&p.cast.finance),
        p.now(),
        &FiscalCalendar::default(),
    );
    let names: Vec<&str> = rec.rows.iter().map(|r| r.partner_name.as_str()).collect();
    assert_eq!(
        names,
        ["Harbor Tech", "Ironclad MSP"],
        "NovaTech's exemption is not approved yet"
    );
    let ironclad = &rec.rows[1];
    assert_eq!(ironclad.quarter.to_string(), "FY26 Q2");
    assert_eq!(
        (
            ironclad.mdf_committed,
            ironclad.mdf_approved,
            ironclad.mdf_claimed,
            ironclad.mdf_paid
        ),
        (usd(24_000), usd(15_000), usd(10_000), usd(6_000))
    );
    assert_eq!(
        (ironclad.partner_contribution, ironclad.arr_won),
        (usd(24_000), usd(90_000))
    );
    assert_eq!(
        ironclad.roi_bps,
        Some(150_000),
        "$90K won on $6K paid is 15x"
    );
    assert!(
        ironclad.flags.missing_proof,
        "the 15 May activity has no proof"
    );
    assert!(
        ironclad.flags.reimbursement_overdue,
        "accepted 25 Apr, $4K still unpaid after 30 days"
    );
    assert!(!ironclad.flags.paid_without_outcome_after_two_quarters);
    let harbor = &rec.rows[0];
    assert_eq!(harbor.flags, ReconciliationFlags::default());
    assert_eq!(harbor.roi_bps, Some(0));
}

#[test]
fn paid_mdf_without_a_named_account_outcome_is_flagged_two_quarters_later() {
    let p = program();
    let model = p.model();
    let scope = scope_of(&p.cast.finance);
    let cal = FiscalCalendar::default();
    let harbor = |now| finance_reconciliation(&model, &scope, t(now), &cal).rows[0].flags;
    assert!(!harbor("2026-09-30T00:00:00Z").paid_without_outcome_after_two_quarters);
    assert!(harbor("2026-10-15T00:00:00Z").paid_without_outcome_after_two_quarters);
}

#[test]
fn reconciliation_totals_equal_the_sums_of_the_mdf_ledger_balances() {
    let p = program();
    let rec = finance_reconciliation(
        &p.model(),
        &scope_of(&p.cast.cxo),
        p.now(),
        &FiscalCalendar::default(),
    );
    let mut streams: BTreeMap<&str, Vec<&FundRequestEvent>> = BTreeMap::new();
    for e in &p.log.events {
        if let DomainEvent::FundRequest(ev) = &e.event {
            streams.entry(&e.aggregate_id).or_default().push(ev);
        }
    }
    let entries: Vec<_> = streams.into_values().flat_map(request_ledger).collect();
    let balances = balances(&entries);
    let total = |keep: fn(&Account) -> bool| {
        let minor = balances
            .iter()
            .filter(|(a, _)| keep(a))
            .map(|(_, m)| m.minor)
            .sum();
        Money::usd(minor)
    };
    assert_eq!(
        rec.totals.mdf_paid,
        total(|a| matches!(a, Account::Paid { .. }))
    );
    assert_eq!(
        rec.totals.mdf_claimed,
        total(|a| matches!(
            a,
            Account::Claimed { .. } | Account::Payable { .. } | Account::Paid { .. }
        ))
    );
    assert_eq!(
        rec.totals.mdf_approved,
        total(|a| matches!(
            a,
            Account::Committed { .. }
                | Account::Claimed { .. }
                | Account::Payable { .. }
                | Account::Paid { .. }
        ))
    );
    assert_eq!(rec.totals.mdf_paid, usd(8_000));
    assert_eq!(rec.totals.rows_flagged, 1);
}

#[test]
fn the_csv_header_is_stable_and_the_last_line_is_the_totals_row() {
    let p = program();
    let rec = finance_reconciliation(
        &p.model(),
        &scope_of(&p.cast.finance),
        p.now(),
        &FiscalCalendar::default(),
    );
    let csv = to_csv(&rec.rows);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "partner_id,partner_name,territory,quarter,source,rap_id,rap_title,allocation_id,currency,\
         mdf_committed_minor,mdf_approved_minor,mdf_claimed_minor,mdf_paid_minor,\
         partner_contribution_minor,arr_won_minor,roi_bps,paid_without_outcome_after_two_quarters,\
         missing_proof,reimbursement_overdue"
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[2].contains(",Ironclad MSP,Southeast,FY26 Q2,RAP,"));
    assert!(lines[2]
        .ends_with(",USD,2400000,1500000,1000000,600000,2400000,9000000,150000,false,true,true"));
    assert_eq!(
        lines[3],
        "TOTAL,,,,,,,,USD,2600000,1700000,1200000,800000,2600000,9000000,112500,,,"
    );
}
