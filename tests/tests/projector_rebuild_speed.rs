//! A measurement, not a test: how fast `rebuild()` folds a large log (design.md §6 asks for
//! ≥ 250,000 events/s end to end). Ignored by default; run it in release:
//!
//! ```text
//! cargo test --release -p channel-ledger-tests --test projector_rebuild_speed -- --ignored --nocapture
//! ```
//!
//! `PROJECTOR_BENCH_EVENTS` (default 200,000) sets the log's size; `PROJECTOR_BENCH_DB=<file>`
//! keeps the SQLite file, and reuses it when it already has events.

use std::time::Instant;

use channel_ledger_domain::partner::{
    permission_for, Classification, CompanySize, PamCandidate, Partner, PartnerCommand, PartnerId,
    PartnerType, Tier,
};
use channel_ledger_domain::staff::{Staff, StaffCommand};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{
    Actor, Authored, Decision, EffectiveTime, EventMetadata, Role, StaffId, Territory,
};
use channel_ledger_projections::{LedgerEvent, ProgramModel, Projector, ProjectorConfig};
use channel_ledger_store::Ledger;
use chrono::Utc;
use cqrs_es::CqrsFramework;
use sqlx::Row;

const WRITERS: usize = 8;
const RAW_PAGE: &str = "SELECT p.position, e.event_id, e.aggregate_type, e.aggregate_id, \
     e.event_type, CAST(e.sequence AS TEXT), e.event_version, e.payload, e.metadata, \
     e.effective_at, e.recorded_at FROM event_positions p JOIN events e ON e.id = p.event_id \
     WHERE p.position > $1 ORDER BY p.position LIMIT 2000";
const COMMANDS_PER_PARTNER: usize = 10;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "a measurement: run in release with --ignored --nocapture"]
async fn rebuild_speed() {
    let events: usize = std::env::var("PROJECTOR_BENCH_EVENTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(200_000);
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var("PROJECTOR_BENCH_DB")
        .unwrap_or_else(|_| dir.path().join("bench.db").display().to_string());
    let ledger = Ledger::connect(&format!("sqlite://{path}")).await.unwrap();
    if ledger.head_position().await.unwrap() == 0 {
        let started = Instant::now();
        write(&ledger, events).await;
        eprintln!("wrote {events} events in {:?}", started.elapsed());
    }
    let head = ledger.head_position().await.unwrap();
    let config = ProjectorConfig::default();
    ledger
        .delete_snapshot(channel_ledger_projections::projector::SNAPSHOT_NAME)
        .await
        .unwrap();

    phases(&ledger).await;

    let started = Instant::now();
    let projector = Projector::start_with(ledger.clone(), config.clone())
        .await
        .unwrap();
    projector.catch_up().await.unwrap();
    eprintln!(
        "catch-up from empty: {head} events in {:.3} s",
        started.elapsed().as_secs_f64()
    );

    for round in 1..=3 {
        let report = projector.rebuild().await.unwrap();
        eprintln!(
            "rebuild {round}: {} events in {:.3} s = {:.0} events/s (matched live: {:?})",
            report.events, report.seconds, report.events_per_second, report.matched_live
        );
    }

    let started = Instant::now();
    let restarted = Projector::start_with(ledger.clone(), config).await.unwrap();
    eprintln!(
        "restart from snapshot at {}: {:.3} s; snapshot {} bytes",
        restarted.position(),
        started.elapsed().as_secs_f64(),
        ledger
            .load_snapshot(channel_ledger_projections::projector::SNAPSHOT_NAME)
            .await
            .unwrap()
            .map_or(0, |s| s.body.len())
    );
}

async fn write(ledger: &Ledger, events: usize) {
    let territories = ["Southeast", "Northwest", "Midwest", "Northeast"];
    let mut pams = Vec::new();
    let staff = CqrsFramework::new(ledger.event_store::<Staff>(), vec![], ());
    let admin = Actor::system();
    for (i, territory) in territories.iter().cycle().take(16).enumerate() {
        let id = StaffId::new();
        let command = StaffCommand::Join {
            staff_id: id,
            name: Name::parse(&format!("PAM {i}")).unwrap(),
            role: Role::Pam,
            territory: Some(Territory::parse(territory).unwrap()),
        };
        let at = EffectiveTime::now(Utc::now());
        let meta = EventMetadata::new(&admin, &at, command.permission().authority(&admin));
        staff
            .execute_with_metadata(
                &id.to_string(),
                Authored::new(admin.clone(), at.at(), command),
                meta.to_map(),
            )
            .await
            .unwrap();
        pams.push(PamCandidate {
            staff_id: id,
            name: format!("PAM {i}"),
            role: Role::Pam,
            territory: Some(Territory::parse(territory).unwrap()),
            active: true,
        });
    }
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..WRITERS {
        let ledger = ledger.clone();
        let pams = pams.clone();
        let share = events / WRITERS;
        tasks.spawn(async move { writer(ledger, w, share, pams).await });
    }
    while let Some(done) = tasks.join_next().await {
        done.unwrap();
    }
}

async fn writer(ledger: Ledger, w: usize, commands: usize, pams: Vec<PamCandidate>) {
    let cqrs = CqrsFramework::new(ledger.event_store::<Partner>(), vec![], ());
    let actor = Actor {
        staff_id: StaffId::new(),
        name: "Bench CxO".into(),
        role: Role::Cxo,
        territory: None,
    };
    let mut partner = PartnerId::new();
    for i in 0..commands {
        let n = i / COMMANDS_PER_PARTNER;
        let pam = &pams[(w + n) % pams.len()];
        let command = match i % COMMANDS_PER_PARTNER {
            0 => {
                partner = PartnerId::new();
                PartnerCommand::Register {
                    partner_id: partner,
                    name: Name::parse(&format!("Partner {w}-{n}")).unwrap(),
                    partner_type: PartnerType::Msp,
                    territory: pam.territory.clone().unwrap(),
                    headquarters: Name::parse("Atlanta, GA").unwrap(),
                    size: CompanySize::Small,
                    specialization: None,
                }
            }
            1 => PartnerCommand::AssignPam { pam: pam.clone() },
            k if k % 2 == 0 => PartnerCommand::ChangeTier {
                tier: Tier::ALL[1 + (k / 2) % 3],
                evidence: Reason::parse("bench").unwrap(),
            },
            k => PartnerCommand::Reclassify {
                to: Classification::ALL[(k / 2) % Classification::ALL.len()],
                rationale: Reason::parse("bench").unwrap(),
            },
        };
        let at = EffectiveTime::now(Utc::now());
        let meta = EventMetadata::new(&actor, &at, permission_for(&command).authority(&actor));
        cqrs.execute_with_metadata(
            &partner.to_string(),
            Authored::new(actor.clone(), at.at(), command),
            meta.to_map(),
        )
        .await
        .unwrap();
    }
}

/// Where a rebuild's time goes: reading the log, decoding it, folding it.
async fn phases(ledger: &Ledger) {
    let mut records = Vec::new();
    let started = Instant::now();
    let mut after = 0;
    loop {
        let page = ledger.read_global(after, 2_000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.position;
        records.extend(page);
    }
    let read = started.elapsed().as_secs_f64();
    // The ceiling: the same rows as text, with no JSON or timestamp parsing.
    if let Some(pool) = ledger.sqlite_pool() {
        let started = Instant::now();
        let (mut after, mut rows, mut bytes) = (0_i64, 0, 0);
        loop {
            let page = sqlx::query(RAW_PAGE)
                .bind(after)
                .fetch_all(pool)
                .await
                .unwrap();
            let Some(last) = page.last() else { break };
            after = last.get(0);
            rows += page.len();
            for row in &page {
                bytes += (1..11).map(|i| row.get::<&str, _>(i).len()).sum::<usize>();
            }
        }
        eprintln!(
            "raw text read of {rows} rows ({bytes} bytes): {:.3} s",
            started.elapsed().as_secs_f64()
        );
    }
    let started = Instant::now();
    let events: Vec<LedgerEvent> = records
        .iter()
        .map(|r| LedgerEvent::try_from(r).unwrap())
        .collect();
    let decode = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let model = ProgramModel::fold(&events);
    let fold = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let body = serde_json::to_string(&model).unwrap();
    let encode = started.elapsed().as_secs_f64();
    eprintln!(
        "{} events: read {read:.3} s, decode {decode:.3} s, fold {fold:.3} s, serialize {encode:.3} s ({} bytes)",
        events.len(),
        body.len()
    );
}
