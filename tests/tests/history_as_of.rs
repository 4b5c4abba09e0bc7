//! The whole program's portfolio as of a moment, answered from `replay::ProgramHistory`, equals
//! the live portfolio view over the model folded from only the events up to then (computed here
//! from the raw log, without `replay/`): on the demo program (RAPs, QARs, MDF, PAM turnover) on
//! both backends, and on generated histories with back-dated corrections, caught up in chunks.

mod replay_support;

use channel_ledger_domain::partner::{Classification, PartnerId, Tier};
use channel_ledger_domain::{Role, StaffId, Territory};
use channel_ledger_projections::views::{portfolio, Scope};
use channel_ledger_projections::LedgerEvent;
use channel_ledger_replay::{Axis, ProgramHistory};
use channel_ledger_store::Ledger;
use channel_ledger_tests::demo::DemoLedger;
use channel_ledger_tests::{postgres_ledger, sqlite_ledger};
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use replay_support::{block_on, day, expected, whole_log, Program};

/// The readers compared: the whole program, one territory, and one PAM's own partners.
fn readers(log: &[LedgerEvent]) -> Vec<(Scope, Option<StaffId>)> {
    let cxo = Scope::new(StaffId::new(), Role::Cxo, None);
    let mut readers = vec![(cxo.clone(), None)];
    let territory = Territory::parse("Southeast").unwrap();
    readers.push((Scope::new(StaffId::new(), Role::Pam, Some(territory)), None));
    let any_pam = log.iter().find_map(|e| match &e.event {
        channel_ledger_projections::DomainEvent::Partner(
            channel_ledger_domain::partner::PartnerEvent::PamAssigned { pam_id, .. },
        ) => Some(*pam_id),
        _ => None,
    });
    if let Some(pam) = any_pam {
        readers.push((cxo, Some(pam)));
    }
    readers
}

/// Moments worth asking about: `every`-th event's time on the axis, just before and at it, and
/// one long after the last.
fn moments(log: &[LedgerEvent], axis: Axis, every: usize) -> Vec<DateTime<Utc>> {
    let mut times: Vec<_> = log.iter().map(|e| axis.time_of(e)).collect();
    times.sort();
    let mut out: Vec<_> = times
        .iter()
        .step_by(every.max(1))
        .flat_map(|t| [*t - Duration::microseconds(1), *t])
        .collect();
    out.extend(times.last().map(|t| *t + Duration::days(400)));
    out
}

/// Every moment, axis and reader: the history's answer equals the view over the expected fold.
async fn compare(ledger: &Ledger, history: &ProgramHistory, log: &[LedgerEvent], every: usize) {
    assert_eq!(history.position(), log.last().map_or(0, |e| e.position));
    for axis in [Axis::Recorded, Axis::Effective] {
        for t in moments(log, axis, every) {
            let model = expected(log, axis, t);
            for (scope, pam) in readers(log) {
                let got = history
                    .portfolio_as_of(ledger, axis, t, t, &scope, pam)
                    .await
                    .unwrap();
                let want = portfolio(&model, &scope, t, pam);
                assert_eq!(got, want, "{axis} as of {t}, {:?} pam {pam:?}", scope.role);
            }
        }
    }
}

async fn demo_portfolio_as_of_equals_the_fold(ledger: &Ledger) {
    let log = whole_log(ledger).await;
    assert!(log.len() > 1_000, "the demo program is written");
    let history = ProgramHistory::load(ledger).await.unwrap();
    compare(ledger, &history, &log, 37).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_the_demo_portfolio_as_of_equals_the_fold() {
    let demo = DemoLedger::copy();
    demo_portfolio_as_of_equals_the_fold(&demo.ledger().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_the_demo_portfolio_as_of_equals_the_fold() {
    let Some(target) = postgres_ledger().await else {
        return;
    };
    let demo = DemoLedger::copy();
    let mut export = Vec::new();
    demo.ledger().await.export(&mut export).await.unwrap();
    target.import(export.as_slice()).await.unwrap();
    demo_portfolio_as_of_equals_the_fold(&target).await;
}

#[derive(Debug, Clone)]
enum Op {
    Register(usize),
    Tier(usize, Tier),
    Reclassify(usize, Classification),
    Hire(usize),
    Assign(usize, usize),
    /// Catch the history up here.
    CatchUp,
}

fn op() -> impl Strategy<Value = Op> {
    let tier = prop_oneof![Just(Tier::Silver), Just(Tier::Gold), Just(Tier::Platinum)];
    let class = prop_oneof![Just(Classification::Champion), Just(Classification::Farmer)];
    prop_oneof![
        2 => (0..3usize).prop_map(Op::Register),
        3 => (0..3usize, tier).prop_map(|(p, t)| Op::Tier(p, t)),
        3 => (0..3usize, class).prop_map(|(p, c)| Op::Reclassify(p, c)),
        1 => (0..2usize).prop_map(Op::Hire),
        2 => (0..3usize, 0..2usize).prop_map(|(p, s)| Op::Assign(p, s)),
        2 => Just(Op::CatchUp),
    ]
}

/// Runs the ops (op `i` takes effect on day `3 i + shift`; negative shifts are late entries),
/// catching the history up wherever the ops say, then compares at every moment.
async fn check(ops: Vec<(Op, i64)>) {
    let (ledger, _dir) = sqlite_ledger().await;
    let program = Program::new(&ledger);
    let partners = [PartnerId::new(), PartnerId::new(), PartnerId::new()];
    let pams = [StaffId::new(), StaffId::new()];
    let mut history = ProgramHistory::default();
    for (i, (op, shift)) in ops.iter().enumerate() {
        let at = day(3 * i as i64 + shift);
        match op {
            Op::Register(p) => program.register(partners[*p], at).await,
            Op::Tier(p, t) => program.change_tier(partners[*p], at, *t).await,
            Op::Reclassify(p, c) => program.reclassify(partners[*p], at, *c).await,
            Op::Hire(s) => program.hire_pam(pams[*s], at).await,
            Op::Assign(p, s) => program.assign_pam(partners[*p], at, pams[*s]).await,
            Op::CatchUp => history.catch_up(&ledger).await.is_ok(),
        };
    }
    history.catch_up(&ledger).await.unwrap();
    let log = whole_log(&ledger).await;
    compare(&ledger, &history, &log, 1).await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn portfolio_as_of_equals_the_fold_of_the_events_up_to_then(
        ops in prop::collection::vec((op(), -9i64..=0), 1..18)
    ) {
        let mut ops = ops;
        ops.insert(0, (Op::Hire(0), 0));
        ops.insert(1, (Op::Register(0), 0));
        block_on(check(ops));
    }
}

#[tokio::test]
async fn a_back_dated_reclassification_changes_the_effective_past_only() {
    let (ledger, _dir) = sqlite_ledger().await;
    let program = Program::new(&ledger);
    let p = PartnerId::new();
    assert!(program.register(p, day(0)).await);
    assert!(program.change_tier(p, day(59), Tier::Gold).await);
    let mut history = ProgramHistory::load(&ledger).await.unwrap();
    let between = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert!(
        program
            .reclassify(p, day(31), Classification::Champion)
            .await
    );
    history.catch_up(&ledger).await.unwrap();

    let cxo = Scope::new(StaffId::new(), Role::Cxo, None);
    let line = |axis, t| {
        let (history, ledger, cxo) = (&history, &ledger, &cxo);
        async move {
            let view = history
                .portfolio_as_of(ledger, axis, t, t, cxo, None)
                .await
                .unwrap();
            let [line] = view.partners.try_into().expect("one partner");
            (line.tier, line.classification)
        }
    };
    assert_eq!(line(Axis::Recorded, between).await, (Tier::Gold, None));
    assert_eq!(
        line(Axis::Effective, day(45)).await,
        (Tier::Registered, Some(Classification::Champion))
    );
    assert_eq!(
        line(Axis::Effective, day(60)).await,
        (Tier::Gold, Some(Classification::Champion))
    );
}

/// Through the API: the portfolio as of a moment is answered from the history, which catches up
/// on each question, so a decision recorded after the history was loaded is seen at once.
#[tokio::test]
async fn the_api_portfolio_as_of_sees_writes_made_after_the_history_loaded() {
    use channel_ledger_tests::http::{TestApp, SOUTHEAST};
    use serde_json::json;

    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let partner = app.register_partner(&cast.pam, SOUTHEAST).await;
    let later = (Utc::now() + Duration::days(1)).to_rfc3339();
    let path = format!("/api/v1/portfolio?as_of={}", later.replace('+', "%2B"));
    let before = app.get(&path, Some(&cast.cxo.token)).await;
    assert_eq!(before.status, 200, "{}", before.text);
    assert_eq!(before.body["partners"][0]["tier"], "Registered");

    let changed = app
        .post(
            &format!("/api/v1/partners/{partner}/tier"),
            Some(&cast.manager.token),
            &json!({"tier": "Gold", "evidence": "two certified engineers"}),
        )
        .await;
    assert!(changed.status.is_success(), "{}", changed.text);
    let after = app.get(&path, Some(&cast.cxo.token)).await;
    assert_eq!(after.body["partners"][0]["tier"], "Gold");
    assert_eq!(after.body["partners"][0]["partner_id"], partner);

    // The effective axis as of before the change, and a PAM of another territory sees nothing.
    let earlier = format!("/api/v1/portfolio?as_of={}&axis=effective", "2000-01-01");
    let none = app.get(&earlier, Some(&cast.cxo.token)).await;
    assert_eq!(none.body["partners"], json!([]));
    let elsewhere = app.get(&path, Some(&cast.other_pam.token)).await;
    assert_eq!(elsewhere.status, 200, "{}", elsewhere.text);
    assert_eq!(elsewhere.body["partners"], json!([]));
    let beyond = app
        .get(
            &format!("{path}&min_position=1000000"),
            Some(&cast.cxo.token),
        )
        .await;
    assert_eq!(beyond.problem(422).as_deref(), Some("min_position"));
}
