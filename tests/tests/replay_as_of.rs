//! Time travel on both axes against a real SQLite ledger (issue 4, tests (b) and (c)): as of T
//! equals the fold of only the events up to T on that axis, computed here from `read_global`;
//! as of "now" equals the live fold; one partner read from its streams equals the program's view
//! of it; snapshots answer exactly what a fresh fold answers.

mod replay_support;

use channel_ledger_domain::partner::{Classification, PartnerId, Tier};
use channel_ledger_domain::StaffId;
use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_replay::{
    partner_as_of, partner_events, program_as_of, Axis, PartnerSnapshots, ReplayError,
};
use channel_ledger_store::Ledger;
use channel_ledger_tests::sqlite_ledger;
use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use replay_support::{block_on, day, expected, whole_log, Program};

#[derive(Debug, Clone)]
enum Op {
    Register(usize),
    Tier(usize, Tier),
    Reclassify(usize, Classification),
    Hire(usize),
    Assign(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    let tier = prop_oneof![Just(Tier::Silver), Just(Tier::Gold), Just(Tier::Platinum)];
    let class = prop_oneof![Just(Classification::Champion), Just(Classification::Farmer)];
    prop_oneof![
        (0..2usize).prop_map(Op::Register),
        (0..2usize, tier).prop_map(|(p, t)| Op::Tier(p, t)),
        (0..2usize, class).prop_map(|(p, c)| Op::Reclassify(p, c)),
        (0..2usize).prop_map(Op::Hire),
        (0..2usize, 0..2usize).prop_map(|(p, s)| Op::Assign(p, s)),
    ]
}

/// Runs the ops; op `i` takes effect on day `3 i + shift` (shifts below 0 are late entries).
async fn run(ledger: &Ledger, ops: &[(Op, i64)]) -> Vec<PartnerId> {
    let program = Program::new(ledger);
    let partners = [PartnerId::new(), PartnerId::new()];
    let pams = [StaffId::new(), StaffId::new()];
    for (i, (op, shift)) in ops.iter().enumerate() {
        let at = day(3 * i as i64 + shift);
        match op {
            Op::Register(p) => program.register(partners[*p], at).await,
            Op::Tier(p, t) => program.change_tier(partners[*p], at, *t).await,
            Op::Reclassify(p, c) => program.reclassify(partners[*p], at, *c).await,
            Op::Hire(s) => program.hire_pam(pams[*s], at).await,
            Op::Assign(p, s) => program.assign_pam(partners[*p], at, pams[*s]).await,
        };
    }
    partners.to_vec()
}

/// Moments worth asking about on an axis: each event's time, just before and after it.
fn moments(log: &[LedgerEvent], axis: Axis) -> Vec<DateTime<Utc>> {
    let mut out: Vec<_> = log
        .iter()
        .flat_map(|e| {
            let t = axis.time_of(e);
            [t - Duration::microseconds(1), t]
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Checks every partner read (plain and from snapshots) against the independent fold.
async fn check_partners(ledger: &Ledger, log: &[LedgerEvent], partners: &[PartnerId]) {
    let now = ProgramModel::fold(log);
    for p in partners.iter().map(PartnerId::to_string) {
        let streams = match partner_events(ledger, &now, &p).await {
            Ok(streams) => streams,
            Err(ReplayError::UnknownPartner(_)) => continue,
            Err(e) => panic!("{e}"),
        };
        let snapshots = PartnerSnapshots::build(&p, streams, 2);
        for axis in [Axis::Recorded, Axis::Effective] {
            for t in moments(log, axis) {
                let want = expected(log, axis, t);
                let got = partner_as_of(ledger, &now, &p, axis, t).await.unwrap();
                assert_eq!(
                    got.model.partners.get(&p),
                    want.partners.get(&p),
                    "{axis} {t}"
                );
                assert_eq!(got.model.qars.get(&p), want.qars.get(&p));
                for (id, entry) in &got.model.staff {
                    assert_eq!(Some(entry), want.staff.get(id), "PAM {id} {axis} {t}");
                }
                let mut timeline: Vec<_> = log
                    .iter()
                    .filter(|e| e.aggregate_id == p && axis.time_of(e) <= t)
                    .cloned()
                    .collect();
                timeline.sort_by_key(|e| axis.sort_key(e));
                assert_eq!(got.events, timeline, "timeline {axis} {t}");
                assert_eq!(snapshots.as_of(axis, t), got, "snapshots {axis} {t}");
            }
        }
    }
}

async fn check(ops: Vec<(Op, i64)>) {
    let (ledger, _dir) = sqlite_ledger().await;
    let partners = run(&ledger, &ops).await;
    let log = whole_log(&ledger).await;

    // (b) as of T on each axis equals the fold of only the events up to T on that axis.
    for axis in [Axis::Recorded, Axis::Effective] {
        for t in moments(&log, axis) {
            let got = program_as_of(&ledger, axis, t).await.unwrap();
            assert_eq!(got, expected(&log, axis, t), "{axis} as of {t}");
        }
    }

    // (c) as of now equals the live fold of the whole log; on the effective axis exactly when
    // no entry was back-dated behind an earlier-recorded one (otherwise the orders differ).
    let live = ProgramModel::fold(&log);
    let far = Utc::now() + Duration::days(1);
    assert_eq!(
        program_as_of(&ledger, Axis::Recorded, far).await.unwrap(),
        live
    );
    let effective_now = program_as_of(&ledger, Axis::Effective, far).await.unwrap();
    if log
        .windows(2)
        .all(|w| w[0].effective_at <= w[1].effective_at)
    {
        assert_eq!(effective_now, live);
    }
    assert_eq!(effective_now, expected(&log, Axis::Effective, far));

    check_partners(&ledger, &log, &partners).await;
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn as_of_equals_the_fold_of_the_events_up_to_then(
        ops in prop::collection::vec((op(), -7i64..=0), 1..14)
    ) {
        // Ops that register first make for a history with substance.
        let mut ops = ops;
        ops.insert(0, (Op::Register(0), 0));
        ops.insert(1, (Op::Hire(0), 0));
        block_on(check(ops));
    }

    #[test]
    fn as_of_now_equals_the_live_fold_when_nothing_is_back_dated(
        ops in prop::collection::vec(op(), 1..10)
    ) {
        let mut ops: Vec<_> = ops.into_iter().map(|o| (o, 0)).collect();
        ops.insert(0, (Op::Register(1), 0));
        block_on(check(ops));
    }
}

#[tokio::test]
async fn a_back_dated_correction_is_seen_on_the_effective_axis_only() {
    replay_support::back_dated_correction_scenario(&sqlite_ledger().await.0).await;
}
