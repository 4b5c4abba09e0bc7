//! Double-entry ledger entries derived purely from MDF events, and balances as their sums.
//! The chart of accounts and the posting of each movement are documented on the
//! [`mdf`](crate::mdf) module. Nothing here is stored: projections call these functions.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::budget::ProgramBudgetEvent;
use super::ids::FundRequestId;
use super::request::{FundRequestEvent, Settlement};
use crate::fiscal::FiscalQuarter;
use crate::mdf_policy::PROGRAM_CURRENCY;
use crate::money::Money;
use crate::partner::PartnerId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "account")]
pub enum Account {
    /// The source of a quarter's budget; its balance is minus the budget.
    ProgramFunding { quarter: FiscalQuarter },
    /// Budget not yet allocated to any partner.
    Unallocated { quarter: FiscalQuarter },
    /// A partner's allocation not yet committed to approved activities.
    Allocated {
        partner_id: PartnerId,
        quarter: FiscalQuarter,
    },
    /// Approved for a request's activities, not yet claimed.
    Committed { request_id: FundRequestId },
    /// Claimed, awaiting accepted proof of performance.
    Claimed { request_id: FundRequestId },
    /// Accepted claims owed to the partner.
    Payable { request_id: FundRequestId },
    /// Reimbursed.
    Paid { request_id: FundRequestId },
}

/// One movement: `amount` (program currency, positive) debited to one account and credited to
/// another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LedgerEntry {
    pub debit: Account,
    pub credit: Account,
    pub amount: Money,
}

impl LedgerEntry {
    fn new(debit: Account, credit: Account, amount: Money) -> Self {
        Self {
            debit,
            credit,
            amount,
        }
    }

    /// The two legs: the debit positive, the credit negative. They sum to zero.
    pub fn legs(&self) -> [(Account, Money); 2] {
        [
            (self.debit, self.amount),
            (self.credit, self.amount.negated()),
        ]
    }
}

/// The entries of one event of the quarter `quarter`'s budget stream.
pub fn budget_entries(quarter: FiscalQuarter, event: &ProgramBudgetEvent) -> Vec<LedgerEntry> {
    use ProgramBudgetEvent as E;
    let unallocated = Account::Unallocated { quarter };
    let allocate = |partner_id, amount: &Money| {
        vec![LedgerEntry::new(
            Account::Allocated {
                partner_id,
                quarter,
            },
            unallocated,
            *amount,
        )]
    };
    match event {
        E::BudgetSet { amount, .. } | E::BudgetRaised { by: amount, .. } => vec![LedgerEntry::new(
            unallocated,
            Account::ProgramFunding { quarter },
            *amount,
        )],
        E::AllocationGranted {
            partner, amount, ..
        } => allocate(partner.partner_id, amount),
        E::ExemptionApprovedByCxo {
            partner_id, amount, ..
        } => allocate(*partner_id, amount),
        // Requested and Manager-approved exemptions hold budget but are not available yet.
        E::ExemptionRequested { .. }
        | E::ExemptionApprovedByManager { .. }
        | E::ExemptionRejected { .. } => Vec::new(),
    }
}

/// All entries of a quarter's budget stream, in order.
pub fn budget_ledger<'a>(
    quarter: FiscalQuarter,
    events: impl IntoIterator<Item = &'a ProgramBudgetEvent>,
) -> Vec<LedgerEntry> {
    events
        .into_iter()
        .flat_map(|e| budget_entries(quarter, e))
        .collect()
}

/// Which request, partner and quarter a fund request's events post for; from its draft event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLedgerContext {
    pub request_id: FundRequestId,
    pub partner_id: PartnerId,
    pub quarter: FiscalQuarter,
}

/// The entries of one event of a fund request's stream.
pub fn request_entries(ctx: &RequestLedgerContext, event: &FundRequestEvent) -> Vec<LedgerEntry> {
    use FundRequestEvent as E;
    let r = ctx.request_id;
    let per = |lines: &[Settlement], debit: Account, credit: Account| {
        lines
            .iter()
            .map(|s| LedgerEntry::new(debit, credit, s.amount))
            .collect()
    };
    match event {
        E::FundRequestApproved { commitments, .. } => per(
            commitments,
            Account::Committed { request_id: r },
            Account::Allocated {
                partner_id: ctx.partner_id,
                quarter: ctx.quarter,
            },
        ),
        E::ClaimSubmitted { amount_program, .. } => vec![LedgerEntry::new(
            Account::Claimed { request_id: r },
            Account::Committed { request_id: r },
            *amount_program,
        )],
        E::ProofAccepted { amount, .. } => vec![LedgerEntry::new(
            Account::Payable { request_id: r },
            Account::Claimed { request_id: r },
            *amount,
        )],
        E::PaymentRecorded { settled, .. } => per(
            settled,
            Account::Paid { request_id: r },
            Account::Payable { request_id: r },
        ),
        _ => Vec::new(),
    }
}

/// All entries of a fund request's stream, in order; the context comes from its draft event.
pub fn request_ledger<'a>(
    events: impl IntoIterator<Item = &'a FundRequestEvent>,
) -> Vec<LedgerEntry> {
    let mut ctx = None;
    let mut entries = Vec::new();
    for event in events {
        if let FundRequestEvent::FundRequestDrafted {
            request_id,
            partner_id,
            quarter,
            ..
        } = event
        {
            ctx = Some(RequestLedgerContext {
                request_id: *request_id,
                partner_id: *partner_id,
                quarter: *quarter,
            });
        }
        if let Some(ctx) = &ctx {
            entries.extend(request_entries(ctx, event));
        }
    }
    entries
}

/// Every account's balance: debits minus credits, in the program currency.
pub fn balances<'a>(
    entries: impl IntoIterator<Item = &'a LedgerEntry>,
) -> BTreeMap<Account, Money> {
    let mut out: BTreeMap<Account, Money> = BTreeMap::new();
    for entry in entries {
        for (account, amount) in entry.legs() {
            let balance = out.entry(account).or_insert(Money::zero(PROGRAM_CURRENCY));
            balance.minor = balance.minor.saturating_add(amount.minor);
        }
    }
    out
}
