//! As-of latency on SQLite, run by hand (design.md §6; figures in docs/adr/0005-time-travel.md):
//!
//! ```text
//! cargo test --release -p channel-ledger-tests --test replay_bench -- --ignored --nocapture
//! ```
//!
//! Histories are appended through the store's cqrs-es repository in batches (the command path
//! reloads the whole stream per command, which is quadratic at 10,000 events per partner); the
//! events and metadata are the ones the command path writes.

mod replay_support;

use std::time::{Duration, Instant};

use channel_ledger_domain::partner::{
    CompanySize, Partner, PartnerEvent, PartnerId, PartnerType, Tier,
};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, EffectiveTime, EventMetadata, Role, StaffId, Territory};
use channel_ledger_projections::ProgramModel;
use channel_ledger_replay::{partner_as_of, program_as_of, Axis, PartnerSnapshots};
use channel_ledger_store::Ledger;
use channel_ledger_tests::sqlite_ledger;
use chrono::{DateTime, Utc};
use cqrs_es::persist::{PersistedEventRepository, SerializedEvent};
use cqrs_es::DomainEvent;
use replay_support::{day, whole_log};

/// Appends `n` events to a new partner's stream; event `i` takes effect on day `i / 10`, with
/// every 50th back-dated 20 days (a late correction).
async fn partner_history(ledger: &Ledger, n: usize) -> PartnerId {
    let id = PartnerId::new();
    let actor = Actor {
        staff_id: StaffId::new(),
        name: "Bench CxO".into(),
        role: Role::Cxo,
        territory: None,
    };
    let repo = ledger.repository();
    let mut batch = Vec::new();
    for i in 0..n {
        let event = if i == 0 {
            PartnerEvent::PartnerRegistered {
                partner_id: id,
                name: Name::parse("Bench Partner").unwrap(),
                partner_type: PartnerType::Msp,
                territory: Territory::parse("Southeast").unwrap(),
                headquarters: Name::parse("Atlanta, GA").unwrap(),
                size: CompanySize::Small,
                specialization: None,
            }
        } else {
            let (from, to) = if i % 2 == 0 {
                (Tier::Silver, Tier::Gold)
            } else {
                (Tier::Gold, Tier::Silver)
            };
            PartnerEvent::PartnerTierChanged {
                from,
                to,
                evidence: Reason::parse("bench").unwrap(),
            }
        };
        let mut meta = EventMetadata::new(&actor, &EffectiveTime::now(Utc::now()), "bench");
        let back = if i % 50 == 49 { 20 } else { 0 };
        meta.effective_at = day(i as i64 / 10 - back);
        batch.push(SerializedEvent {
            aggregate_id: id.to_string(),
            sequence: i + 1,
            aggregate_type: "Partner".into(),
            event_type: event.event_type(),
            event_version: event.event_version(),
            payload: serde_json::to_value(&event).unwrap(),
            metadata: serde_json::to_value(meta.to_map()).unwrap(),
        });
        if batch.len() == 500 || i + 1 == n {
            repo.persist::<Partner>(&batch, None).await.unwrap();
            batch.clear();
        }
    }
    id
}

struct Lcg(u64);
impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) % n
    }
}

fn random_moment(
    rng: &mut Lcg,
    axis: Axis,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> DateTime<Utc> {
    let _ = axis;
    let span = (to - from).num_microseconds().unwrap().max(1) as u64;
    from + chrono::Duration::microseconds(rng.below(span) as i64)
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1]
}

fn report(what: &str, samples: &mut [Duration]) {
    let (p50, p95, p99) = (
        percentile(samples, 0.50),
        percentile(samples, 0.95),
        percentile(samples, 0.99),
    );
    eprintln!(
        "{what}: n={} p50={p50:?} p95={p95:?} p99={p99:?}",
        samples.len()
    );
}

fn bounds(
    log: &[channel_ledger_projections::LedgerEvent],
    axis: Axis,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let times = log.iter().map(|e| axis.time_of(e));
    (times.clone().min().unwrap(), times.max().unwrap())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by hand in release"]
async fn one_partner_with_ten_thousand_events() {
    let (ledger, _dir) = sqlite_ledger().await;
    let id = partner_history(&ledger, 10_000).await.to_string();
    let log = whole_log(&ledger).await;
    let now = ProgramModel::fold(&log);
    let mut rng = Lcg(42);
    for axis in [Axis::Recorded, Axis::Effective] {
        let (from, to) = bounds(&log, axis);
        let mut plain = Vec::new();
        for _ in 0..200 {
            let t = random_moment(&mut rng, axis, from, to);
            let started = Instant::now();
            partner_as_of(&ledger, &now, &id, axis, t).await.unwrap();
            plain.push(started.elapsed());
        }
        report(
            &format!("partner_as_of {axis} (read streams + fold)"),
            &mut plain,
        );
    }
    for every in [64, 256] {
        let started = Instant::now();
        let snapshots = PartnerSnapshots::load(&ledger, &now, &id, every)
            .await
            .unwrap();
        eprintln!(
            "PartnerSnapshots::load every={every}: {:?}",
            started.elapsed()
        );
        for axis in [Axis::Recorded, Axis::Effective] {
            let (from, to) = bounds(&log, axis);
            let (mut state, mut full) = (Vec::new(), Vec::new());
            for _ in 0..5_000 {
                let t = random_moment(&mut rng, axis, from, to);
                let started = Instant::now();
                std::hint::black_box(snapshots.state_as_of(axis, t));
                state.push(started.elapsed());
                let started = Instant::now();
                std::hint::black_box(snapshots.as_of(axis, t));
                full.push(started.elapsed());
            }
            report(
                &format!("snapshots every={every} state_as_of {axis}"),
                &mut state,
            );
            report(
                &format!("snapshots every={every} as_of (+ owned timeline) {axis}"),
                &mut full,
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run by hand in release"]
async fn the_program_with_two_hundred_thousand_events() {
    let (ledger, _dir) = sqlite_ledger().await;
    let started = Instant::now();
    let writers: Vec<_> = (0..4)
        .map(|_| {
            let ledger = ledger.clone();
            tokio::spawn(async move {
                for _ in 0..500 {
                    partner_history(&ledger, 100).await;
                }
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let head = ledger.head_position().await.unwrap();
    eprintln!("appended {head} events in {:?}", started.elapsed());
    let started = Instant::now();
    let mut after = 0;
    loop {
        let page = ledger.read_global(after, 10_000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.position;
    }
    eprintln!("read_global alone, whole log: {:?}", started.elapsed());
    let log = whole_log(&ledger).await;
    let mut rng = Lcg(7);
    for axis in [Axis::Recorded, Axis::Effective] {
        let (from, to) = bounds(&log, axis);
        let mut samples = Vec::new();
        for _ in 0..10 {
            let t = random_moment(&mut rng, axis, from, to);
            let started = Instant::now();
            program_as_of(&ledger, axis, t).await.unwrap();
            samples.push(started.elapsed());
        }
        report(
            &format!("program_as_of {axis}, {head} events"),
            &mut samples,
        );
    }
}
