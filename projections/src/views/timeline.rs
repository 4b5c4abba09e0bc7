//! The partner timeline: every event as a sentence a person reads, with who (name, role,
//! territory as recorded on the event), the authority, the reason, both times and the position.
//! Sentences are written by [`super::sentence`], whose `match` names every event of every
//! aggregate, so a new event cannot be forgotten.

use channel_ledger_domain::{Role, StaffId, Territory};
use chrono::{DateTime, Datelike, Utc};
use cqrs_es::DomainEvent as _;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::sentence::describe;
use super::Scope;
use crate::event::{DomainEvent, LedgerEvent};
use crate::model::ProgramModel;

/// What an event is about; the timeline filters by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TimelineKind {
    Partner,
    Rap,
    Qar,
    /// Program budgets, exemptions and fund requests.
    Mdf,
    Staff,
    Cohort,
}

impl TimelineKind {
    pub fn of(event: &DomainEvent) -> Self {
        match event {
            DomainEvent::Staff(_) => Self::Staff,
            DomainEvent::Partner(_) => Self::Partner,
            DomainEvent::Rap(_) => Self::Rap,
            DomainEvent::Qar(_) => Self::Qar,
            DomainEvent::Cohort(_) => Self::Cohort,
            DomainEvent::Budget(_) | DomainEvent::FundRequest(_) => Self::Mdf,
        }
    }
}

/// Who decided, as the event's metadata recorded them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineActor {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
    pub territory: Option<Territory>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEntry {
    pub position: i64,
    pub event_id: Uuid,
    pub aggregate_id: String,
    pub event_type: String,
    pub kind: TimelineKind,
    /// "14 Feb 2026 — Priya M. (Manager, Southeast) approved RAP Ironclad MSP · Q2 2026".
    pub sentence: String,
    pub actor: TimelineActor,
    pub authority: String,
    pub reason: Option<String>,
    /// Why the entry was back-dated, when it was.
    pub backdate_reason: Option<String>,
    pub effective_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
}

/// Every event of `events` (in their order) as an entry, only those of `filter`'s kind if given.
pub fn timeline<'a>(
    events: impl IntoIterator<Item = &'a LedgerEvent>,
    model: &ProgramModel,
    filter: Option<TimelineKind>,
) -> Vec<TimelineEntry> {
    events
        .into_iter()
        .filter(|e| filter.is_none_or(|k| TimelineKind::of(&e.event) == k))
        .map(|e| entry(e, model))
        .collect()
}

/// The timeline of one partner: its own events and those of its RAPs, QARs and fund requests,
/// plus the budget events that allocate to it. `None` when the scope does not see the partner.
/// For readers who do not see QAR notes, QAR events carry no reason.
pub fn partner_timeline(
    events: &[LedgerEvent],
    model: &ProgramModel,
    scope: &Scope,
    partner_id: &str,
    filter: Option<TimelineKind>,
) -> Option<Vec<TimelineEntry>> {
    let page = TimelinePage::default();
    partner_timeline_page(events.iter(), model, scope, partner_id, filter, page).map(|p| p.entries)
}

/// Which part of a timeline to answer: the last `limit` entries (all when `None`) of those
/// before log position `before` (all when `None`). A client pages back in time by passing the
/// first entry's position as the next `before`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimelinePage {
    pub before: Option<i64>,
    pub limit: Option<usize>,
}

/// A page of a timeline, still in log order.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineSlice {
    pub entries: Vec<TimelineEntry>,
    /// Whether entries older than the first one exist.
    pub older: bool,
}

/// [`partner_timeline`], one page of it: only the events on the page are described.
pub fn partner_timeline_page<'a>(
    events: impl IntoIterator<Item = &'a LedgerEvent>,
    model: &ProgramModel,
    scope: &Scope,
    partner_id: &str,
    filter: Option<TimelineKind>,
    page: TimelinePage,
) -> Option<TimelineSlice> {
    let entry = model.partners.get(partner_id)?;
    if !scope.sees_partner(entry) {
        return None;
    }
    let candidates: Vec<&LedgerEvent> = events
        .into_iter()
        .filter(|e| page.before.is_none_or(|before| e.position < before))
        .filter(|e| filter.is_none_or(|k| TimelineKind::of(&e.event) == k))
        .collect();
    // From the newest back, so a page asks which partner an event concerns only of its own
    // events and the one that tells whether older ones exist.
    let mut mine: Vec<&LedgerEvent> = Vec::new();
    let mut older = false;
    for e in candidates.into_iter().rev() {
        if concerns(model, e).as_deref() != Some(partner_id) {
            continue;
        }
        if page.limit.is_some_and(|limit| mine.len() == limit) {
            older = true;
            break;
        }
        mine.push(e);
    }
    mine.reverse();
    let entries = timeline(mine, model, None);
    Some(TimelineSlice {
        entries: redact(entries, scope),
        older,
    })
}

/// The program's timeline as `scope` may read it: events of partners it sees, and the
/// program-wide ones (staff, cohort strategies, budgets) for every reader but an Admin.
pub fn scoped_timeline(
    events: &[LedgerEvent],
    model: &ProgramModel,
    scope: &Scope,
    filter: Option<TimelineKind>,
) -> Vec<TimelineEntry> {
    if !scope.reads() {
        return Vec::new();
    }
    let visible = events.iter().filter(|e| match concerns(model, e) {
        Some(p) => model
            .partners
            .get(&p)
            .is_some_and(|x| scope.sees_partner(x)),
        None => true,
    });
    redact(timeline(visible, model, filter), scope)
}

/// The partner an event concerns: its stream's partner, or the partner a budget event allocates to.
fn concerns(model: &ProgramModel, e: &LedgerEvent) -> Option<String> {
    use channel_ledger_domain::mdf::ProgramBudgetEvent as B;
    match &e.event {
        DomainEvent::Budget(B::AllocationGranted { partner, .. })
        | DomainEvent::Budget(B::ExemptionRequested { partner, .. }) => {
            Some(partner.partner_id.to_string())
        }
        DomainEvent::Budget(
            B::ExemptionApprovedByManager { allocation_id, .. }
            | B::ExemptionApprovedByCxo { allocation_id, .. }
            | B::ExemptionRejected { allocation_id, .. },
        ) => model
            .budgets
            .get(&e.aggregate_id)?
            .allocation(*allocation_id)
            .map(|a| a.partner.partner_id.to_string()),
        _ => model.partner_of(e),
    }
}

fn redact(mut entries: Vec<TimelineEntry>, scope: &Scope) -> Vec<TimelineEntry> {
    if !scope.sees_qar_notes() {
        for e in entries.iter_mut().filter(|e| e.kind == TimelineKind::Qar) {
            e.reason = None;
        }
    }
    entries
}

/// The months as a sentence's date names them ("3 Mar 2026"): `%b`, without parsing a format
/// string for every entry.
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn entry(e: &LedgerEvent, model: &ProgramModel) -> TimelineEntry {
    let m = &e.meta;
    let who = match &m.actor_territory {
        Some(t) => format!("{} ({}, {t})", m.actor_name, m.actor_role),
        None => format!("{} ({})", m.actor_name, m.actor_role),
    };
    let event_type = match &e.event {
        DomainEvent::Staff(x) => x.event_type(),
        DomainEvent::Partner(x) => x.event_type(),
        DomainEvent::Rap(x) => x.event_type(),
        DomainEvent::Qar(x) => x.event_type(),
        DomainEvent::Cohort(x) => x.event_type(),
        DomainEvent::Budget(x) => x.event_type(),
        DomainEvent::FundRequest(x) => x.event_type(),
    };
    TimelineEntry {
        position: e.position,
        event_id: e.event_id,
        aggregate_id: e.aggregate_id.clone(),
        event_type,
        kind: TimelineKind::of(&e.event),
        sentence: format!(
            "{} {} {} — {who} {}",
            e.effective_at.day(),
            MONTHS[e.effective_at.month0() as usize],
            e.effective_at.year(),
            describe(e, model)
        ),
        actor: TimelineActor {
            staff_id: m.actor_id,
            name: m.actor_name.clone(),
            role: m.actor_role,
            territory: m.actor_territory.clone(),
        },
        authority: m.authority.clone(),
        reason: m.reason.clone(),
        backdate_reason: m.backdate_reason.clone(),
        effective_at: e.effective_at,
        recorded_at: e.recorded_at,
    }
}
