//! The handover brief an incoming PAM reads before the first call.

use super::builder::{scope_of, t, usd};
use super::program::program;
use crate::views::*;
use channel_ledger_domain::rap::NamedAccountStatus;

#[test]
fn the_brief_lists_deferred_commitments_previous_pams_history_concerns_and_mdf_owed() {
    let p = program();
    let brief = handover_brief(
        &p.model(),
        &scope_of(&p.cast.sarah),
        p.now(),
        &p.ironclad.to_string(),
    )
    .unwrap();
    assert_eq!(brief.pam.as_ref().unwrap().name, "Sarah K.");
    assert_eq!(brief.pam_since, Some(t("2026-01-16T09:00:00Z")));
    assert_eq!(brief.previous_pams.len(), 1);
    let tom = &brief.previous_pams[0];
    assert_eq!(
        (tom.pam_name.as_str(), tom.from, tom.until),
        (
            "Tom B.",
            t("2025-01-15T09:00:00Z"),
            t("2026-01-16T09:00:00Z")
        )
    );
    let deferred = &brief.open_commitments[0];
    assert_eq!(
        deferred.description.as_deref(),
        Some("Joint webinar for the healthcare base")
    );
    assert_eq!(
        (deferred.times_deferred, deferred.due_at, deferred.overdue),
        (1, t("2026-05-31T00:00:00Z"), true)
    );
    assert_eq!(brief.open_commitments.len(), 2);
    let numbers: Vec<u32> = brief.qar_history.iter().map(|q| q.number).collect();
    assert_eq!(numbers, [1, 2]);
    assert!(brief.qar_history[0].late);
    assert_eq!(
        brief.last_concerns.unwrap().discussed.as_str(),
        "Security review slowing Fortis"
    );
    assert_eq!(brief.mdf_owed, usd(9_000));
    let statuses: Vec<NamedAccountStatus> = brief.active_raps[0]
        .named_accounts
        .iter()
        .map(|a| a.status)
        .collect();
    use NamedAccountStatus as N;
    assert_eq!(
        statuses,
        [N::InProgress, N::Qualified, N::Identified, N::Won]
    );
    assert_eq!(
        brief.cohort_strategy, None,
        "no Champion strategy is in force"
    );
}
