//! The read-model views of issue 4 item 2: pure functions over a [`ProgramModel`](crate::ProgramModel)
//! (live, or replayed to a date), scoped by who is reading and evaluated against a `now` the
//! caller passes in, so "overdue" and "age" are query-time facts and every view is testable with
//! an injected clock. No view stores anything; each returns a serializable DTO in a
//! deterministic order (by name, then id).
//!
//! # Who sees what ([`Scope`])
//! - **PAM** and **Manager**: the partners of their own territory only, and everything of those
//!   partners (RAPs, QARs, MDF). A PAM sees the whole territory, not only their own portfolio;
//!   the portfolio view filters by PAM on request.
//! - **CxO** and **Auditor**: everything. The Auditor reads everything and acts on nothing; the
//!   views are the same, the server refuses the Auditor's commands.
//! - **Finance**: every partner and every amount, but not what was said at QARs: discussion notes
//!   (what was discussed, agreed and why), commitment descriptions and review notes are left out
//!   (`None`) of every view Finance reads, and QAR events in the timeline carry no reason. Owners,
//!   due dates and outcome counts stay: they say whether the cadence is kept, not what was said.
//! - **Admin**: nothing. Views built for an Admin are empty; the server answers 403 before
//!   building one.
//!
//! # Documented rules
//! - **QARs open** ([`console`]): a partner's current QAR that has been opened (`QarOpened`) and
//!   not yet completed. **QARs overdue**: a partner's current QAR whose due date is before `now`
//!   (opened or not). An overdue QAR may also be open.
//! - **Revenue Under Management** (design.md §2, "ARR of the partners and active RAPs a PAM
//!   manages"): the ledger records no partner revenue outside RAPs, so RUM is, over the PAM's
//!   current partners, the ARR won on all their RAPs (active and closed) plus, for each Active RAP,
//!   the part of its ARR target not yet won: `Σ closed won + Σ active max(target, won)`. Nothing
//!   is counted twice.
//! - **On Track / Needs Attention** ([`PamStatus`]): Needs Attention when the PAM has
//!   [`NEEDS_ATTENTION_OVERDUE_QARS`] or more QARs overdue, or any one QAR overdue by more than
//!   [`NEEDS_ATTENTION_DAYS_LATE`] days; otherwise On Track. The card lists the reasons.
//! - **PAM capacity**: [`PAM_CAPACITY`] partners per PAM; above it the PAM is over capacity.
//! - **Longtail Diamond candidates**: partners classified Longtail (not yet Longtail Diamond)
//!   with an Active RAP, or with a named account Won on any of their RAPs: evidence that their
//!   existing customer base holds net-new logos for the ISV.
//! - **Workflow queue**: RAP proposals and amendments, cohort strategy versions, MDF exemptions
//!   and fund requests awaiting activity approval. Classification changes are never pending in
//!   this domain: a Manager or above reclassifies directly, with a rationale, so they appear in
//!   the timeline, not the queue. Every step is due [`SLA_BUSINESS_DAYS`] business days after it
//!   became pending.
//! - **MDF committed / approved / claimed / paid** ([`reconciliation`]): committed is what the
//!   ISV put in: the MDF of the terms in force of Active and Closed RAPs, and approved MDF
//!   exemption allocations. Approved, claimed and paid sum the fund requests drawing on each
//!   (approved counts only requests whose approval was posted, i.e. status Approved), in the
//!   program currency: they equal the MDF ledger's balances (approved = Committed + Claimed +
//!   Payable + Paid, claimed = Claimed + Payable + Paid, paid = Paid).
//! - **Offboarded partners** appear in the profile, handover brief, timeline and reconciliation
//!   (their money is still real) but not in the portfolio, console counts or intelligence.

mod commitments;
mod common;
pub mod console;
mod handover;
mod intelligence;
mod portfolio;
mod profile;
mod queue;
pub mod reconciliation;
mod scope;
mod sentence;
mod timeline;

#[cfg(test)]
mod tests;

pub use commitments::{
    cxo_commitments, CoFundObligation, CommitmentTotals, CxoCommitments, RapCommitment,
};
pub use common::{PersonRef, RapSummary};
pub use console::{
    manager_console, ManagerConsole, PamCard, PamStatus, NEEDS_ATTENTION_DAYS_LATE,
    NEEDS_ATTENTION_OVERDUE_QARS,
};
pub use handover::{handover_brief, CommitmentView, HandoverBrief, PreviousPam, QarRecord};
pub use intelligence::{
    program_intelligence, ClassificationCount, DiamondCandidate, PamCapacity, ProgramIntelligence,
    PAM_CAPACITY,
};
pub use portfolio::{
    portfolio, PartnerIdentity, PartnerSummary, Portfolio, PortfolioLine, QarLine,
};
pub use profile::{
    partner_profile, CohortStrategyInForce, MdfTotals, PartnerProfileView, QarStatus,
};
pub use queue::{
    workflow_queue, NextActor, WorkflowItem, WorkflowKind, WorkflowQueue, SLA_BUSINESS_DAYS,
};
pub use reconciliation::{
    finance_reconciliation, to_csv, FundingSource, Reconciliation, ReconciliationFlags,
    ReconciliationRow, ReconciliationTotals, CSV_HEADER,
};
pub use scope::Scope;
pub use timeline::{
    partner_timeline, partner_timeline_page, scoped_timeline, timeline, TimelineActor,
    TimelineEntry, TimelineKind, TimelinePage, TimelineSlice,
};
