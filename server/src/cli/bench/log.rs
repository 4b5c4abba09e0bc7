//! A realistic log, written fast: partners registered, given a PAM, moved between tiers,
//! reclassified and reassigned, with some entries back-dated as late corrections.
//!
//! The events are appended through the store's cqrs-es repository in batches (the command path
//! reloads the whole stream per command, which is quadratic for a partner with a long history);
//! the events and metadata are the ones the command path writes.

use channel_ledger_domain::partner::{
    Classification, CompanySize, Partner, PartnerEvent, PartnerId, PartnerType, Tier,
};
use channel_ledger_domain::staff::{Staff, StaffEvent};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, EffectiveTime, EventMetadata, Role, StaffId, Territory};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Duration, TimeZone, Utc};
use cqrs_es::persist::{PersistedEventRepository, SerializedEvent};
use cqrs_es::{Aggregate, DomainEvent};

/// Events per append.
const BATCH: usize = 500;
/// Concurrent appenders for the program's log.
const WRITERS: usize = 4;
/// A program partner's history: registration, a PAM, then tier changes, reclassifications and
/// reassignments.
const EVENTS_PER_PARTNER: usize = 10;
const TERRITORIES: [&str; 4] = ["Southeast", "Northwest", "Midwest", "Northeast"];
const PAMS_PER_TERRITORY: usize = 4;
/// Every 50th event is a late correction, effective 20 days before its place in the history.
const BACKDATE_EVERY: usize = 50;
const BACKDATE_DAYS: i64 = 20;

/// The earliest and latest moment the written events carry on each axis.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub recorded: (DateTime<Utc>, DateTime<Utc>),
    pub effective: (DateTime<Utc>, DateTime<Utc>),
}

#[derive(Debug, Clone)]
pub struct Pam {
    id: StaffId,
    name: String,
    territory: usize,
}

/// Day `n` of the generated history (day 0 is 2025-01-01).
fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::days(n)
}

fn cxo() -> Actor {
    Actor {
        staff_id: StaffId::new(),
        name: "Bench CxO".into(),
        role: Role::Cxo,
        territory: None,
    }
}

fn serialize<A: Aggregate>(
    id: String,
    sequence: usize,
    event: &A::Event,
    meta: &EventMetadata,
) -> anyhow::Result<SerializedEvent> {
    Ok(SerializedEvent {
        aggregate_id: id,
        sequence,
        aggregate_type: A::TYPE.into(),
        event_type: event.event_type(),
        event_version: event.event_version(),
        payload: serde_json::to_value(event)?,
        metadata: serde_json::to_value(meta.to_map())?,
    })
}

fn metadata(actor: &Actor, effective_at: DateTime<Utc>, late: bool) -> EventMetadata {
    let mut meta = EventMetadata::new(actor, &EffectiveTime::now(Utc::now()), "bench");
    meta.effective_at = effective_at;
    meta.backdate_reason = Some(if late { "late correction" } else { "history" }.into());
    meta
}

/// One partner's history as it is generated: what the next event changes from.
struct History<'a> {
    id: PartnerId,
    territory: usize,
    pams: Vec<&'a Pam>,
    tier: Tier,
    classification: Option<Classification>,
    pam: Option<usize>,
}

impl<'a> History<'a> {
    fn new(territory: usize, pams: &'a [Pam]) -> Self {
        Self {
            id: PartnerId::new(),
            territory,
            pams: pams.iter().filter(|p| p.territory == territory).collect(),
            tier: Tier::Registered,
            classification: None,
            pam: None,
        }
    }

    /// The partner's `i`th event (0: registration, 1: a PAM, then a mix).
    fn event(&mut self, i: usize) -> anyhow::Result<PartnerEvent> {
        Ok(match (i, i % 5) {
            (0, _) => PartnerEvent::PartnerRegistered {
                partner_id: self.id,
                name: Name::parse(&format!("Partner {}", &self.id.to_string()[..8]))?,
                partner_type: PartnerType::Msp,
                territory: Territory::parse(TERRITORIES[self.territory])?,
                headquarters: Name::parse("Atlanta, GA")?,
                size: CompanySize::Small,
                specialization: None,
                tier: Tier::Registered,
            },
            (1, _) | (_, 4) => {
                let next = self.pam.map_or(i, |p| p + 1) % self.pams.len();
                let pam = self.pams[next];
                let previous_pam_id = self.pam.map(|p| self.pams[p].id);
                self.pam = Some(next);
                PartnerEvent::PamAssigned {
                    pam_id: pam.id,
                    pam_name: pam.name.clone(),
                    previous_pam_id,
                }
            }
            (_, 0 | 2) => {
                let from = self.tier;
                let at = Tier::ALL.iter().position(|t| *t == from).unwrap_or(0);
                self.tier = Tier::ALL[at % (Tier::ALL.len() - 1) + 1];
                PartnerEvent::PartnerTierChanged {
                    from,
                    to: self.tier,
                    evidence: Reason::parse("quarterly review")?,
                }
            }
            _ => {
                let all = Classification::ALL;
                let from = self.classification;
                let at = from.and_then(|c| all.iter().position(|x| *x == c));
                let to = all[at.map_or(i, |a| a + 1 + i % (all.len() - 1)) % all.len()];
                self.classification = Some(to);
                PartnerEvent::PartnerReclassified {
                    from,
                    to,
                    rationale: Reason::parse("pipeline changed")?,
                }
            }
        })
    }

    /// Events `0..n` of the history, the first effective at `start`, one every `step`.
    fn events(
        &mut self,
        n: usize,
        start: DateTime<Utc>,
        step: Duration,
        actor: &Actor,
        span: &mut Span,
    ) -> anyhow::Result<Vec<SerializedEvent>> {
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let late = i > 0 && i % BACKDATE_EVERY == BACKDATE_EVERY - 1;
            let mut at = start + step * i as i32;
            if late {
                at = (at - Duration::days(BACKDATE_DAYS)).max(start + Duration::hours(1));
            }
            span.effective = (span.effective.0.min(at), span.effective.1.max(at));
            let event = self.event(i)?;
            let meta = metadata(actor, at, late);
            out.push(serialize::<Partner>(
                self.id.to_string(),
                i + 1,
                &event,
                &meta,
            )?);
        }
        Ok(out)
    }
}

impl Span {
    fn empty() -> Self {
        let now = Utc::now();
        Self {
            recorded: (now, now),
            effective: (DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC),
        }
    }

    fn finish(mut self, other: &Span) -> Self {
        self.effective.0 = self.effective.0.min(other.effective.0);
        self.effective.1 = self.effective.1.max(other.effective.1);
        self.recorded.1 = Utc::now();
        self
    }
}

async fn append(ledger: &Ledger, events: &[SerializedEvent]) -> anyhow::Result<()> {
    for batch in events.chunks(BATCH) {
        ledger.repository().persist::<Partner>(batch, None).await?;
    }
    Ok(())
}

/// The program's PAMs, joined on day 0.
pub async fn pams(ledger: &Ledger) -> anyhow::Result<Vec<Pam>> {
    let admin = Actor::system();
    let mut pams = Vec::new();
    let mut batch = Vec::new();
    for (territory, territory_name) in TERRITORIES.iter().enumerate() {
        for k in 0..PAMS_PER_TERRITORY {
            let pam = Pam {
                id: StaffId::new(),
                name: format!("PAM {territory}-{k}"),
                territory,
            };
            let event = StaffEvent::StaffJoined {
                staff_id: pam.id,
                name: Name::parse(&pam.name)?,
                role: Role::Pam,
                territory: Some(Territory::parse(territory_name)?),
            };
            let meta = metadata(&admin, day(0), false);
            batch.push(serialize::<Staff>(pam.id.to_string(), 1, &event, &meta)?);
            pams.push(pam);
        }
    }
    ledger.repository().persist::<Staff>(&batch, None).await?;
    Ok(pams)
}

/// About `events` events over `events / 10` partners, each registered on a day of the year
/// and changing weekly, appended by concurrent writers in batches.
pub async fn program(ledger: &Ledger, pams: &[Pam], events: usize) -> anyhow::Result<Span> {
    let mut span = Span::empty();
    let partners = events.div_ceil(EVENTS_PER_PARTNER);
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..WRITERS {
        let (ledger, pams) = (ledger.clone(), pams.to_vec());
        tasks.spawn(async move {
            let actor = cxo();
            let mut span = Span::empty();
            let mut pending = Vec::new();
            for p in (w..partners).step_by(WRITERS) {
                let n = EVENTS_PER_PARTNER.min(events - p * EVENTS_PER_PARTNER);
                let mut history = History::new(p % TERRITORIES.len(), &pams);
                let start = day((p % 365) as i64);
                let step = Duration::days(7);
                pending.extend(history.events(n, start, step, &actor, &mut span)?);
                if pending.len() >= BATCH {
                    append(&ledger, &pending).await?;
                    pending.clear();
                }
            }
            append(&ledger, &pending).await?;
            anyhow::Ok(span)
        });
    }
    while let Some(done) = tasks.join_next().await {
        span = span.finish(&done??);
    }
    Ok(span)
}

/// One partner with `events` events spread evenly over a year from day 0: a busy account.
pub async fn partner(
    ledger: &Ledger,
    pams: &[Pam],
    events: usize,
) -> anyhow::Result<(PartnerId, Span)> {
    let mut span = Span::empty();
    let mut history = History::new(0, pams);
    let start = day(0);
    let step = Duration::days(365) / i32::try_from(events.max(1))?;
    let written = history.events(events, start, step, &cxo(), &mut span)?;
    append(ledger, &written).await?;
    let other = span;
    Ok((history.id, span.finish(&other)))
}
