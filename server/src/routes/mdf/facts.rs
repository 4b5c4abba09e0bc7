//! What MDF decisions and views need from the log, folded as of a moment (as effective):
//! a quarter's budget, the facts of a RAP or exemption a request draws on, the allocation a
//! partner still has available (and the lock that keeps it true until the decision is appended),
//! and the quarter's double-entry ledger. Without projections yet these fold the relevant
//! streams; the projections issue replaces them with read models.

use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::{
    balances, budget_entries, request_entries, Account, ExemptionFacts, FundRequest,
    FundRequestEvent, FundRequestId, FundRequestStatus, FundingLink, LedgerEntry, ProgramBudget,
    ProgramBudgetEvent, RapFacts, RequestLedgerContext, SourceFacts,
};
use channel_ledger_domain::mdf_policy::PROGRAM_CURRENCY;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::rap::RapId;
use channel_ledger_store::{KeyLock, Ledger, RecordedEvent};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;

use crate::directory::{aggregate_as_of, typed};
use crate::facts::rap_as_of;
use crate::problem::ApiError;

/// The quarter's budget stream folded as of `at`.
pub async fn budget_as_of(
    ledger: &Ledger,
    quarter: FiscalQuarter,
    at: DateTime<Utc>,
) -> Result<ProgramBudget, ApiError> {
    aggregate_as_of(ledger, &quarter.to_string(), at).await
}

/// A fund request's stream folded as of `at`.
pub async fn request_as_of(
    ledger: &Ledger,
    id: &str,
    at: DateTime<Utc>,
) -> Result<FundRequest, ApiError> {
    aggregate_as_of(ledger, id, at).await
}

/// The facts of the RAP or exemption a request is linked to, as of `at`. An unknown RAP or
/// exemption is refused with 422 on the link's field.
pub async fn source_facts(
    ledger: &Ledger,
    link: FundingLink,
    quarter: FiscalQuarter,
    at: DateTime<Utc>,
) -> Result<SourceFacts, ApiError> {
    match link {
        FundingLink::Rap { rap_id } => {
            let rap = rap_as_of(ledger, RapId(rap_id), at).await?;
            let plan = rap.plan.ok_or_else(|| {
                ApiError::invalid(
                    "rap-not-found",
                    "rap_id",
                    "no such RAP at the effective time",
                )
            })?;
            Ok(SourceFacts::Rap(RapFacts::of(&plan)))
        }
        FundingLink::Exemption { allocation_id } => {
            let budget = budget_as_of(ledger, quarter, at).await?;
            let facts: ExemptionFacts = budget.exemption_facts(allocation_id).ok_or_else(|| {
                ApiError::invalid(
                    "exemption-not-found",
                    "allocation_id",
                    "no exemption allocation with this id in the request's quarter",
                )
            })?;
            Ok(SourceFacts::Exemption(facts))
        }
    }
}

/// One ledger entry with the event that posted it.
#[derive(Debug, Clone)]
pub struct Posting {
    pub event: RecordedEvent,
    pub entry: LedgerEntry,
}

/// Events of one stream effective at or before `at`, in effective order (ties by stream order),
/// each read in the current shape of its event.
fn as_effective<E: serde::de::DeserializeOwned>(
    events: Vec<RecordedEvent>,
    at: DateTime<Utc>,
) -> Result<Vec<(RecordedEvent, E)>, ApiError> {
    let mut out = events
        .into_iter()
        .filter(|e| e.effective_at <= at)
        .map(|e| {
            let event = typed(&e)?;
            Ok((e, event))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    out.sort_by_key(|(e, _)| (e.effective_at, e.sequence));
    Ok(out)
}

/// Every posting of a quarter as of `at`: its budget stream, then each fund request of the
/// quarter (optionally only `partner`'s), in stream order.
pub async fn quarter_postings(
    ledger: &Ledger,
    quarter: FiscalQuarter,
    partner: Option<PartnerId>,
    at: DateTime<Utc>,
) -> Result<Vec<Posting>, ApiError> {
    let mut out = budget_postings(ledger, quarter, at).await?;
    for (ctx, events) in quarter_requests(ledger, quarter, partner, at).await? {
        out.extend(request_postings(&ctx, &events));
    }
    Ok(out)
}

async fn budget_postings(
    ledger: &Ledger,
    quarter: FiscalQuarter,
    at: DateTime<Utc>,
) -> Result<Vec<Posting>, ApiError> {
    let budget = ledger
        .read_stream(ProgramBudget::TYPE, &quarter.to_string())
        .await?;
    let mut out = Vec::new();
    for (event, e) in as_effective::<ProgramBudgetEvent>(budget, at)? {
        for entry in budget_entries(quarter, &e) {
            out.push(Posting {
                event: event.clone(),
                entry,
            });
        }
    }
    Ok(out)
}

fn request_postings(
    ctx: &RequestLedgerContext,
    events: &[(RecordedEvent, FundRequestEvent)],
) -> Vec<Posting> {
    let mut out = Vec::new();
    for (event, e) in events {
        for entry in request_entries(ctx, e) {
            out.push(Posting {
                event: event.clone(),
                entry,
            });
        }
    }
    out
}

/// Each fund request of `quarter` (optionally only `partner`'s) with its events effective as of
/// `at`, in stream order; every stream is read once.
async fn quarter_requests(
    ledger: &Ledger,
    quarter: FiscalQuarter,
    partner: Option<PartnerId>,
    at: DateTime<Utc>,
) -> Result<Vec<RequestEvents>, ApiError> {
    let mut out = Vec::new();
    for id in ledger.stream_ids(FundRequest::TYPE).await? {
        let stream = ledger.read_stream(FundRequest::TYPE, &id).await?;
        let events = as_effective::<FundRequestEvent>(stream, at)?;
        // The draft, always first, says whose request it is and for which quarter.
        let Some((
            _,
            FundRequestEvent::FundRequestDrafted {
                request_id,
                partner_id,
                quarter: q,
                ..
            },
        )) = events.first()
        else {
            continue;
        };
        if *q == quarter && partner.is_none_or(|p| p == *partner_id) {
            let ctx = RequestLedgerContext {
                request_id: *request_id,
                partner_id: *partner_id,
                quarter: *q,
            };
            out.push((ctx, events));
        }
    }
    Ok(out)
}

type RequestEvents = (RequestLedgerContext, Vec<(RecordedEvent, FundRequestEvent)>);

/// What `partner` may still request in `quarter` at `at`, for a submission of request `except`:
/// the balance of its `Allocated` account in the double-entry ledger (allocations less approved
/// commitments) less the requested totals of its *other* requests awaiting review. A submitted
/// request holds what it asks for until it is approved (then it commits at most that) or leaves
/// review, so approvals can never commit more than the allocation.
///
/// Only sound while the caller holds [`commitments_lock`] until its decision is appended.
pub async fn available(
    ledger: &Ledger,
    partner_id: PartnerId,
    quarter: FiscalQuarter,
    except: FundRequestId,
    at: DateTime<Utc>,
) -> Result<Money, ApiError> {
    let mut postings = budget_postings(ledger, quarter, at).await?;
    let mut awaiting_review: i64 = 0;
    for (ctx, events) in quarter_requests(ledger, quarter, Some(partner_id), at).await? {
        postings.extend(request_postings(&ctx, &events));
        if ctx.request_id == except {
            continue;
        }
        let mut request = FundRequest::default();
        for (_, e) in events {
            request.apply(e);
        }
        if let Some(d) = request
            .details
            .filter(|d| d.status == FundRequestStatus::Submitted)
        {
            awaiting_review = awaiting_review.saturating_add(d.requested_total().minor);
        }
    }
    let account = Account::Allocated {
        partner_id,
        quarter,
    };
    let allocated = balances(postings.iter().map(|p| &p.entry))
        .get(&account)
        .copied()
        .unwrap_or(Money::zero(PROGRAM_CURRENCY));
    Ok(Money::new(
        allocated.minor.saturating_sub(awaiting_review),
        allocated.currency,
    ))
}

/// Serializes, across every server on the database, the decisions that check a partner's
/// commitments in a quarter against its allocation: without it two submissions could each see
/// the other's share as still available (docs/adr/0003-facts-in-commands.md).
pub async fn commitments_lock(
    ledger: &Ledger,
    partner_id: PartnerId,
    quarter: FiscalQuarter,
) -> Result<KeyLock, ApiError> {
    Ok(ledger
        .lock(&format!("mdf-commitments:{partner_id}:{quarter}"))
        .await?)
}
