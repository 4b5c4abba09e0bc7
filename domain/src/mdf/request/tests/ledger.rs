use super::*;
use crate::mdf::ledger::{balances, request_ledger, Account};

#[test]
fn the_request_ledger_moves_money_from_the_allocation_to_paid_and_balances() {
    let money = finance();
    let events = [
        approved_history(),
        vec![
            FundRequestEvent::ClaimSubmitted {
                activity_id: webinar(),
                amount: usd(2_000),
                rate: None,
                amount_program: usd(2_000),
            },
            FundRequestEvent::ProofAccepted {
                activity_id: webinar(),
                amount: usd(2_000),
                reviewed_by: StaffRef::from(&money),
                comment: None,
                reimbursement_due: at(),
            },
            FundRequestEvent::PaymentRecorded {
                payment_reference: Name::parse("ACH-1").unwrap(),
                settlements: vec![],
                rate: None,
                settled: vec![Settlement {
                    activity_id: webinar(),
                    amount: usd(1_500),
                }],
                paid_at: at(),
            },
        ],
    ]
    .concat();
    let entries = request_ledger(&events);
    let b = balances(&entries);
    let r = request_id();
    let allocated = Account::Allocated {
        partner_id: ironclad().partner_id,
        quarter: q2(),
    };
    assert_eq!(b[&allocated], usd(-4_670));
    assert_eq!(b[&Account::Committed { request_id: r }], usd(2_670));
    assert_eq!(b[&Account::Claimed { request_id: r }], usd(0));
    assert_eq!(b[&Account::Payable { request_id: r }], usd(500));
    assert_eq!(b[&Account::Paid { request_id: r }], usd(1_500));
    assert_eq!(b.values().map(|m| m.minor).sum::<i64>(), 0);
    assert!(entries
        .iter()
        .all(|e| e.amount.minor > 0 && e.debit != e.credit));
}
