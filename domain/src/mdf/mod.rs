//! The MDF (market development funds) ledger (design.md §2 "MDF", issue 3 item 4).
//!
//! The chain the best PRMs use, as two aggregates:
//!
//! - [`ProgramBudget`] — one stream per fiscal quarter (aggregate id = the quarter label,
//!   "FY26 Q2"). Holds the program's budget for the quarter *and* every allocation to a partner,
//!   so "approved allocations ≤ budget" and "a partner's allocations ≤ its tier cap" are decided
//!   atomically in one stream. Above the cap (or for a Registered partner, or outside the RAP
//!   framework) money is allocated only as an **exemption**: a Manager of the partner's territory
//!   signs, then a CxO who is neither the requester nor that Manager. A pending exemption holds
//!   budget (so its final approval can never overdraw it) but is not available to the partner.
//! - [`FundRequest`] — one stream per request: a partner's activities against its allocation,
//!   linked to an Active RAP (and its named accounts) or to an approved exemption allocation;
//!   each activity approved on its own; then a claim per approved activity, proof of performance,
//!   review, and payments that may settle several claims at once.
//!
//! Facts the domain cannot know (partner, RAP, exemption, the allocation still available, the
//! actor, delegations) arrive inside the commands, resolved by the server as of the effective time.
//!
//! ## Ledger (double entry)
//! Balances are never stored: [`ledger`] derives entries from events and [`balances`] sums them.
//! Every entry debits one account and credits another for the same amount in the program
//! currency (foreign amounts are converted at their transaction date's rate, and both are kept
//! on the event). Debits count positive, credits negative, so any set of entries sums to zero.
//!
//! | movement (event)                  | debit                      | credit                     |
//! |-----------------------------------|----------------------------|----------------------------|
//! | budget set / raised               | `Unallocated(q)`           | `ProgramFunding(q)`        |
//! | allocation granted / exemption CxO-approved | `Allocated(p, q)` | `Unallocated(q)`           |
//! | request approved (per activity)   | `Committed(r)`             | `Allocated(p, q)`          |
//! | claim submitted                   | `Claimed(r)`               | `Committed(r)`             |
//! | proof accepted                    | `Payable(r)`               | `Claimed(r)`               |
//! | payment recorded (per claim)      | `Paid(r)`                  | `Payable(r)`               |
//!
//! So `-ProgramFunding(q)` is the budget, `Unallocated(q)` what is left to allocate,
//! `Allocated(p, q)` what the partner may still request (less what its requests awaiting
//! review ask for: the server subtracts those when it resolves `available`), `Committed(r)`
//! approved but not yet claimed, `Claimed(r)` awaiting accepted proof, `Payable(r)` owed to the
//! partner, and `Paid(r)` reimbursed.

mod approver;
pub mod budget;
mod error;
mod facts;
mod ids;
pub mod ledger;
pub mod request;
#[cfg(test)]
mod test_support;

pub use budget::{
    Allocation, AllocationStatus, Exemption, ProgramBudget, ProgramBudgetCommand,
    ProgramBudgetEvent,
};
pub use error::MdfError;
pub use facts::{in_program_currency, ExemptionFacts, FundingLink, RapFacts, SourceFacts};
pub use ids::{ActivityId, AllocationId, FundRequestId};
pub use ledger::{
    balances, budget_entries, budget_ledger, request_entries, request_ledger, Account, LedgerEntry,
    RequestLedgerContext,
};
pub use request::{
    Activity, ActivityDecision, ActivityInput, Claim, ClaimStatus, FundRequest, FundRequestCommand,
    FundRequestEvent, FundRequestStatus, Payment, RequestDetails, Settlement,
};
