//! A realistic program log, written fast.
//!
//! Four years of a partner program, simulated in time order: a few thousand partners across
//! territories and PAM seats (one partner per 129 events asked for, so 1,000,000 events are
//! 7,752 partners), PAMs leaving and handing their portfolios over, tier changes and
//! reclassifications, Zombies offboarded, RAPs drafted, revised, rejected, approved by the
//! Manager and the CxO, amended and closed with their named accounts won or lost, a QAR series
//! per partner (some opened after they were due, some overdue at the end), quarterly MDF
//! budgets, allocations and exemptions, fund requests through approval, claims, proof and
//! payment, cohort strategies and their reviews — and about 1% late corrections: changes whose
//! effective time is earlier than events already recorded for the same partner.
//!
//! Every command goes through its aggregate's own `handle` on the stream's state (so the
//! events are exactly what the command path appends, and a refusal stops the bench), with the
//! metadata the server's handlers write: the actor as the staff directory knew them at the
//! effective time, their role and territory, the authority their permission names, the human
//! reason, the effective time and why it is back-dated, command and correlation ids. The facts
//! the server resolves from other streams (the partner as it stood, the PAM candidate, the RAP
//! behind a fund request, the allocation still available) come from the simulated streams.
//! Only two things differ from a run through HTTP: there is no request id, and a QAR series
//! scheduled by a first PAM assignment joins its correlation but has no causation id (the
//! store assigns event ids when it appends).
//!
//! The events are appended in order by one appender in batches of [`sink::BATCH`] (the command
//! path reloads a stream per command, which is quadratic for long histories), while the next
//! batch is generated.

mod cast;
mod mdf;
mod profile;
mod rap;
mod sim;
mod sink;
mod stream;
mod words;

pub use sink::Mix;

use channel_ledger_domain::partner::{
    Classification, CompanySize, PamCandidate, Partner, PartnerCommand, PartnerId, PartnerType,
    Tier,
};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, Territory};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Duration, Utc};
use cqrs_es::persist::{PersistedEventRepository, SerializedEvent};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::sync::mpsc;

use self::cast::Cast;
use self::profile::{Profile, QarStep};
use self::sim::{midnight, Life, Sim, Task};
use self::sink::{Sink, BATCH};
use self::stream::{Act, Stream};

/// The back-date reason of the program's history (every event of it is back-dated).
const HISTORY: &str = "bench: the program's history, recorded by the benchmark";
/// Events asked for per partner: calibrated so the history reaches the present at the default
/// size (the generator stops at the number of events asked for).
const EVENTS_PER_PARTNER: usize = 129;
/// Partners per PAM seat and per territory.
const PARTNERS_PER_SEAT: usize = 90;
const PARTNERS_PER_TERRITORY: usize = 1_200;
/// The history's length.
const YEARS: i64 = 4;

/// The earliest and latest moment the written events carry on each axis.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub recorded: (DateTime<Utc>, DateTime<Utc>),
    pub effective: (DateTime<Utc>, DateTime<Utc>),
}

/// What [`program`] wrote.
#[derive(Debug, Clone)]
pub struct Program {
    pub span: Span,
    pub mix: Mix,
    /// The history's first day.
    start: DateTime<Utc>,
    /// The first territory, its Manager and its key-account PAMs, for the long-history partner.
    territory: Territory,
    manager: Actor,
    key_account_pams: Vec<PamCandidate>,
}

/// Writes about `events` events of a simulated program (exactly `events`, or fewer if the
/// history reaches the present first), seeded by `seed`.
pub async fn program(ledger: &Ledger, events: usize, seed: u64) -> anyhow::Result<Program> {
    let (tx, mut rx) = mpsc::channel::<Vec<SerializedEvent>>(8);
    let recorded_from = Utc::now();
    let generator = tokio::task::spawn_blocking(move || generate(Some(tx), events, seed));
    while let Some(batch) = rx.recv().await {
        ledger.repository().persist::<Partner>(&batch, None).await?;
    }
    let (mut program, _) = generator.await??;
    program.span.recorded = (recorded_from, Utc::now());
    Ok(program)
}

/// Simulates the program, sending batches to `out` (or keeping them, without one).
fn generate(
    out: Option<mpsc::Sender<Vec<SerializedEvent>>>,
    events: usize,
    seed: u64,
) -> anyhow::Result<(Program, Sink)> {
    simulate(
        out,
        events.div_ceil(EVENTS_PER_PARTNER).max(8),
        events,
        seed,
    )
}

/// Simulates `partners` partners' lives over the history, stopping after `limit` events.
fn simulate(
    out: Option<mpsc::Sender<Vec<SerializedEvent>>>,
    partners: usize,
    limit: usize,
    seed: u64,
) -> anyhow::Result<(Program, Sink)> {
    let now = Utc::now();
    let end = midnight(now);
    let start = end - Duration::days(365 * YEARS);
    let territories = (partners as f64 / PARTNERS_PER_TERRITORY as f64)
        .round()
        .clamp(2.0, words::TERRITORIES.len() as f64) as usize;
    let seats = partners.div_ceil(territories * PARTNERS_PER_SEAT).max(2);
    let mut sink = Sink::new(now, out);
    let cast = Cast::hire(&mut sink, territories, seats, start)?;
    // Each quarter opens with about $400 a partner; busy quarters are raised by Finance.
    let quarter_budget = (partners as i64 * 400 * 100).max(5_000_000);
    let mut sim = Sim::new(
        StdRng::seed_from_u64(seed),
        sink,
        cast,
        start,
        end,
        limit,
        quarter_budget,
    );
    sim.plan_program();
    for p in 0..partners {
        // Two in five partners were there at the program's launch; the rest joined since.
        let registered = if sim.chance(0.4) {
            sim.later(start, 0, 60)
        } else {
            sim.later(start, 60, 365 * YEARS - 90)
        };
        let territory = p % territories;
        let seats = &sim.cast.seats_of[territory];
        let seat = seats[(p / territories) % seats.len()];
        let tardiness = match sim.rng.random_range(0..100) {
            0..70 => 0.05,
            70..92 => 0.25,
            _ => 0.6,
        };
        let id = PartnerId::new();
        let affinity = sim.chance(0.65);
        sim.partners.push(Life {
            id,
            name: words::partner_name(p),
            territory,
            seat,
            partner: Stream::new(id.to_string()),
            qar: Stream::new(id.to_string()),
            affinity,
            tardiness,
            profile: Profile::Register,
            qar_step: QarStep::Open,
            rap: None,
            rap_queued: false,
            raps: 0,
        });
        sim.schedule(registered, Task::Profile(p));
    }
    sim.run()?;
    let mut sink = std::mem::replace(&mut sim.sink, Sink::new(now, None));
    sink.mix.partners = sim.partners.len();
    sink.mix.staff = sim.cast.people.len();
    sink.mix.territories = territories;
    let cast = &sim.cast;
    let program = Program {
        span: Span {
            recorded: (now, now),
            effective: (sink.mix.effective_from, sink.mix.effective_to),
        },
        mix: sink.mix.clone(),
        start,
        territory: cast.territories[0].clone(),
        manager: cast.manager(0).clone(),
        key_account_pams: cast
            .key_account_pams
            .iter()
            .map(|&p| cast.candidate(p))
            .collect(),
    };
    Ok((program, sink))
}

/// Every 50th event of the long history is a late correction, 20 days before its place.
const BACKDATE_EVERY: usize = 50;
const BACKDATE_DAYS: i64 = 20;

/// One partner of the program's first territory with `events` events spread evenly over its
/// first year — a busy key account: registered, then tier changes, reclassifications and
/// reassignments between the key-account PAMs, decided by the territory's Manager.
pub async fn partner(
    ledger: &Ledger,
    program: &Program,
    events: usize,
) -> anyhow::Result<(PartnerId, Span)> {
    let recorded_from = Utc::now();
    let program = program.clone();
    let (id, mut sink) =
        tokio::task::spawn_blocking(move || long_history(&program, events, recorded_from))
            .await??;
    for batch in sink.take().chunks(BATCH) {
        ledger.repository().persist::<Partner>(batch, None).await?;
    }
    let span = Span {
        recorded: (recorded_from, Utc::now()),
        effective: (sink.mix.effective_from, sink.mix.effective_to),
    };
    Ok((id, span))
}

/// The long history of [`partner`], kept in a sink.
fn long_history(
    program: &Program,
    events: usize,
    now: DateTime<Utc>,
) -> anyhow::Result<(PartnerId, Sink)> {
    let mut sink = Sink::new(now, None);
    let id = PartnerId::new();
    let mut stream = Stream::<Partner>::new(id.to_string());
    let manager = &program.manager;
    let start = program.start + Duration::hours(12);
    let step = Duration::days(365) / i32::try_from(events.max(1))?;
    let pams = &program.key_account_pams;
    let (mut tier, mut class, mut pam) = (0usize, 0usize, 0usize);
    let classes = [
        Classification::Champion,
        Classification::Farmer,
        Classification::HighPotential,
        Classification::LongtailDiamond,
    ];
    let tiers = [Tier::Silver, Tier::Gold, Tier::Platinum];
    for i in 0..events {
        let late = i > 1 && i % BACKDATE_EVERY == BACKDATE_EVERY - 1;
        let mut at = start + step * i32::try_from(i)?;
        if late {
            at = (at - Duration::days(BACKDATE_DAYS)).max(start + Duration::hours(1));
        }
        let (command, reason) = match (i, i % 3) {
            (0, _) => (
                PartnerCommand::Register {
                    partner_id: id,
                    name: Name::parse("Ironclad Key Account")?,
                    partner_type: PartnerType::Msp,
                    territory: program.territory.clone(),
                    headquarters: Name::parse("Seattle, WA")?,
                    size: CompanySize::Large,
                    specialization: Some(Name::parse("Managed security")?),
                },
                None,
            ),
            (1, _) | (_, 0) => {
                pam = (pam + 1) % pams.len();
                (
                    PartnerCommand::AssignPam {
                        pam: pams[pam].clone(),
                    },
                    None,
                )
            }
            (_, 1) => {
                tier = (tier + 1) % tiers.len();
                let evidence = "Quarterly review of bookings and certifications";
                (
                    PartnerCommand::ChangeTier {
                        tier: tiers[tier],
                        evidence: Reason::parse(evidence)?,
                    },
                    Some(evidence),
                )
            }
            _ => {
                class = (class + 1) % classes.len();
                let rationale = "Pipeline and named-account results changed";
                (
                    PartnerCommand::Reclassify {
                        to: classes[class],
                        rationale: Reason::parse(rationale)?,
                    },
                    Some(rationale),
                )
            }
        };
        let mut act = Act::new(manager, at).maybe_reason(reason.map(str::to_owned));
        if late {
            act = act.late("late correction: recorded after the account review");
        }
        stream.execute(&mut sink, act, command)?;
    }
    Ok((id, sink))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use channel_ledger_domain::partner::PartnerEvent;
    use channel_ledger_domain::staff::{Staff, StaffEvent};
    use channel_ledger_domain::{EventMetadata, Role, StaffId};
    use channel_ledger_projections::{Projector, ProjectorConfig};
    use cqrs_es::Aggregate;

    use super::*;

    /// Staff streams by id: each event with its effective time, in stream order.
    fn directory(events: &[SerializedEvent]) -> HashMap<String, Vec<(DateTime<Utc>, StaffEvent)>> {
        let mut out: HashMap<String, Vec<(DateTime<Utc>, StaffEvent)>> = HashMap::new();
        for e in events.iter().filter(|e| e.aggregate_type == Staff::TYPE) {
            let meta = metadata(e);
            let event: StaffEvent = serde_json::from_value(e.payload.clone()).unwrap();
            out.entry(e.aggregate_id.clone())
                .or_default()
                .push((meta.effective_at, event));
        }
        out
    }

    fn metadata(e: &SerializedEvent) -> EventMetadata {
        let map: HashMap<String, String> = serde_json::from_value(e.metadata.clone()).unwrap();
        EventMetadata::from_map(&map).unwrap()
    }

    /// The person as the directory knew them at `at`, as the server resolves an actor.
    fn as_of(
        directory: &HashMap<String, Vec<(DateTime<Utc>, StaffEvent)>>,
        id: StaffId,
        at: DateTime<Utc>,
    ) -> Option<Actor> {
        let mut staff = Staff::default();
        for (t, e) in directory.get(&id.to_string())? {
            if *t <= at {
                staff.apply(e.clone());
            }
        }
        staff.as_actor()
    }

    /// Events per partner over the whole history, for [`EVENTS_PER_PARTNER`]:
    /// `cargo test -p channel-ledger-server --release --lib calibrate -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a test"]
    fn calibrate() {
        let partners = std::env::var("BENCH_PARTNERS").map_or(2_000, |v| v.parse().unwrap());
        let limit = std::env::var("BENCH_EVENTS").map_or(usize::MAX, |v| v.parse().unwrap());
        let (tx, mut rx) = mpsc::channel(8);
        let drain = std::thread::spawn(move || while rx.blocking_recv().is_some() {});
        let (program, _) = simulate(Some(tx), partners, limit, 2026).unwrap();
        drain.join().unwrap();
        let mix = &program.mix;
        eprintln!("{}", serde_json::to_string_pretty(mix).unwrap());
        eprintln!(
            "{} partners: {} events, {:.1} a partner, {:.2}% late corrections",
            partners,
            mix.events,
            mix.events as f64 / partners as f64,
            100.0 * mix.late_corrections as f64 / mix.events as f64
        );
    }

    /// A small program, generated and kept: every event carries an actor who was active staff,
    /// in the role and territory recorded, when it took effect; every PAM assignment names an
    /// active PAM; the projector folds it all; and the mix has what a real program has.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_generated_program_is_valid_and_realistic() {
        let (program, mut sink) = simulate(None, 200, usize::MAX, 7).unwrap();
        let events = sink.take();
        let mix = &program.mix;
        assert_eq!(events.len(), mix.events);
        assert!(mix.events > 15_000, "{}", mix.events);

        let staff = directory(&events);
        for e in &events {
            let meta = metadata(e);
            if meta.actor_id == Actor::system().staff_id {
                assert_eq!(e.event_type, "StaffJoined");
                continue;
            }
            let actor = as_of(&staff, meta.actor_id, meta.effective_at).unwrap_or_else(|| {
                panic!(
                    "{} {}: the actor was not active staff then",
                    e.aggregate_type, e.event_type
                )
            });
            assert_eq!(actor.role, meta.actor_role, "{}", e.event_type);
            assert_eq!(actor.territory, meta.actor_territory, "{}", e.event_type);
            assert!(
                meta.authority.contains(&actor.capacity()),
                "{}",
                meta.authority
            );
            assert!(meta.backdate_reason.is_some());
            if let Ok(PartnerEvent::PamAssigned { pam_id, .. }) =
                serde_json::from_value::<PartnerEvent>(e.payload.clone())
            {
                let pam = as_of(&staff, pam_id, meta.effective_at).expect("an active PAM");
                assert_eq!(pam.role, Role::Pam);
            }
        }

        let kinds = [
            "PartnerRegistered",
            "PamAssigned",
            "PartnerTierChanged",
            "PartnerReclassified",
            "PartnerOffboarded",
            "StaffLeft",
            "RapSubmitted",
            "RapRejected",
            "RapApprovedByManager",
            "RapActivated",
            "RapAmendmentApproved",
            "NamedAccountWon",
            "NamedAccountLost",
            "RapClosed",
            "QarScheduled",
            "CommitmentReviewed",
            "QarCompleted",
            "MdfBudgetSet",
            "MdfAllocationGranted",
            "MdfExemptionApprovedByCxo",
            "MdfFundRequestApproved",
            "MdfClaimSubmitted",
            "MdfProofRejected",
            "MdfPaymentRecorded",
            "CohortStrategyReviewed",
        ];
        for kind in kinds {
            assert!(mix.by_event.get(kind).is_some_and(|n| *n > 0), "no {kind}");
        }
        // PAM turnover: more assignments than partners.
        assert!(mix.by_event["PamAssigned"] > mix.partners);
        let late = mix.late_corrections as f64 / mix.events as f64;
        assert!((0.005..0.02).contains(&late), "late corrections: {late}");

        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("bench.db").display());
        let ledger = Ledger::connect(&url).await.unwrap();
        for batch in events.chunks(BATCH) {
            ledger
                .repository()
                .persist::<Partner>(batch, None)
                .await
                .unwrap();
        }
        let projector = Projector::start_with(ledger.clone(), ProjectorConfig::default())
            .await
            .unwrap();
        assert_eq!(projector.catch_up().await.unwrap(), mix.events);
        let now = Utc::now();
        let (partners, overdue) = projector
            .with_model(|m| {
                let overdue = m.qars.values().filter(|q| q.is_overdue(now)).count();
                (m.partners.len(), overdue)
            })
            .await;
        assert_eq!(partners, mix.partners);
        assert!(
            overdue > 0 && overdue < partners / 3,
            "{overdue} overdue QARs"
        );
    }
}
