//! Time travel on PostgreSQL: the back-dated correction scenario and as-of equality over a short
//! history. Skipped when `LEDGER_SKIP_POSTGRES=1`.

mod replay_support;

use channel_ledger_domain::partner::{Classification, PartnerId, Tier};
use channel_ledger_domain::StaffId;
use channel_ledger_projections::ProgramModel;
use channel_ledger_replay::{partner_as_of, program_as_of, Axis, PartnerSnapshots};
use channel_ledger_tests::postgres_ledger;
use replay_support::{day, expected, whole_log, Program};

#[tokio::test]
async fn replay_agrees_with_an_independent_fold_on_postgres() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    replay_support::back_dated_correction_scenario(&ledger).await;

    let program = Program::new(&ledger);
    let (p, pam) = (PartnerId::new(), StaffId::new());
    assert!(program.register(p, day(10)).await);
    assert!(program.hire_pam(pam, day(2)).await);
    assert!(program.assign_pam(p, day(12), pam).await);
    assert!(program.change_tier(p, day(20), Tier::Silver).await);
    assert!(program.reclassify(p, day(11), Classification::Farmer).await);

    let log = whole_log(&ledger).await;
    let now = ProgramModel::fold(&log);
    let id = p.to_string();
    let snapshots = PartnerSnapshots::load(&ledger, &now, &id, 2).await.unwrap();
    for axis in [Axis::Recorded, Axis::Effective] {
        let mut moments: Vec<_> = log.iter().map(|e| axis.time_of(e)).collect();
        moments.push(day(-1));
        for t in moments {
            let want = expected(&log, axis, t);
            assert_eq!(program_as_of(&ledger, axis, t).await.unwrap(), want);
            let got = partner_as_of(&ledger, &now, &id, axis, t).await.unwrap();
            assert_eq!(got.model.partners.get(&id), want.partners.get(&id));
            assert_eq!(snapshots.as_of(axis, t), got);
        }
    }
}
