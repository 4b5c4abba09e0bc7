//! Manager console: PAM cards against an injected `now`, the status rule, the workflow queue and
//! program intelligence.

use channel_ledger_domain::partner::Classification;
use channel_ledger_domain::Role;

use super::builder::{scope_of, t, usd};
use super::program::program;
use crate::views::*;

#[test]
fn pam_cards_count_partners_active_raps_open_and_overdue_qars_at_now() {
    let p = program();
    let console = manager_console(&p.model(), &scope_of(&p.cast.cxo), p.now());
    let names: Vec<&str> = console.cards.iter().map(|c| c.pam_name.as_str()).collect();
    assert_eq!(
        names,
        ["Marcus T.", "Sarah K."],
        "Tom B. left and has no partners"
    );
    let marcus = &console.cards[0];
    assert_eq!(
        (
            marcus.partners,
            marcus.raps_active,
            marcus.qars_open,
            marcus.qars_overdue
        ),
        (3, 1, 0, 2)
    );
    assert_eq!(marcus.most_days_overdue, 50);
    assert_eq!(marcus.status, PamStatus::NeedsAttention);
    assert_eq!(
        marcus.attention_reasons,
        ["2 QARs overdue", "a QAR overdue by 50 days"]
    );
    let sarah = &console.cards[1];
    assert_eq!(
        (
            sarah.partners,
            sarah.raps_active,
            sarah.qars_open,
            sarah.qars_overdue
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(sarah.status, PamStatus::OnTrack);
    // RUM: Ironclad's active RAP, target $340K with $90K won inside it, counted once.
    assert_eq!(sarah.revenue_under_management, usd(340_000));
}

#[test]
fn overdue_counts_move_with_the_clock() {
    let p = program();
    let model = p.model();
    let scope = scope_of(&p.cast.cxo);
    let before = manager_console(&model, &scope, t("2026-04-30T00:00:00Z"));
    let marcus = before
        .cards
        .iter()
        .find(|c| c.pam_name == "Marcus T.")
        .unwrap();
    assert_eq!(
        (marcus.qars_overdue, marcus.status),
        (0, PamStatus::OnTrack)
    );
    let later = manager_console(&model, &scope, t("2026-05-10T00:00:00Z"));
    let marcus = later
        .cards
        .iter()
        .find(|c| c.pam_name == "Marcus T.")
        .unwrap();
    assert_eq!((marcus.qars_overdue, marcus.most_days_overdue), (1, 8));
    assert_eq!(
        marcus.status,
        PamStatus::OnTrack,
        "one QAR eight days late is not yet a concern"
    );
}

#[test]
fn the_queue_shows_the_pending_rap_for_its_manager_and_the_exemption_for_the_cxo() {
    let p = program();
    let queue = workflow_queue(&p.model(), &scope_of(&p.cast.cxo), p.now());
    let rap = queue
        .items
        .iter()
        .find(|i| i.subject == "Bridgeline Co. · Q3 2026")
        .unwrap();
    assert_eq!(rap.kind, WorkflowKind::RapProposal);
    assert_eq!(rap.next.label, "Manager of Southeast");
    assert_eq!(rap.submitted_by.as_ref().unwrap().name, "Sarah K.");
    assert_eq!(rap.submitted_at, Some(t("2026-06-15T09:00:00Z")));
    assert_eq!(rap.amount, Some(usd(32_000)));
    assert_eq!(rap.due_at, t("2026-06-22T09:00:00Z"));
    assert!(!rap.overdue);
    let exemption = queue
        .items
        .iter()
        .find(|i| i.kind == WorkflowKind::MdfExemption)
        .unwrap();
    assert_eq!(exemption.partner_name.as_deref(), Some("NovaTech Inc."));
    assert_eq!(exemption.next.label, "CxO");
    assert_eq!(exemption.next.roles, [Role::Cxo]);
    assert_eq!(exemption.amount, Some(usd(12_000)));
    assert_eq!(exemption.pending_since, t("2026-06-10T09:00:00Z"));
    assert!(
        exemption.overdue,
        "due 17 Jun, five business days after the Manager signed"
    );
    let cohort = queue
        .items
        .iter()
        .find(|i| i.kind == WorkflowKind::CohortStrategyVersion)
        .unwrap();
    assert_eq!(cohort.next.label, "Manager or CxO");
    assert_eq!(queue.items.len(), 3);
    assert_eq!(queue.overdue, 1);
    assert_eq!(
        queue.items[0].kind,
        WorkflowKind::MdfExemption,
        "most urgent first"
    );
}

#[test]
fn intelligence_counts_classifications_finds_diamonds_and_measures_capacity() {
    let p = program();
    let intel = program_intelligence(&p.model(), &scope_of(&p.cast.auditor));
    let count = |c: Option<Classification>| {
        intel
            .classification_mix
            .iter()
            .find(|m| m.classification == c)
            .unwrap()
            .partners
    };
    assert_eq!(count(Some(Classification::HighPotential)), 1);
    assert_eq!(count(Some(Classification::LongtailDiamond)), 0);
    assert_eq!(count(None), 1, "NovaTech is not classified");
    assert_eq!(
        intel.classification_mix.last().unwrap().label,
        "Unclassified"
    );
    let names: Vec<&str> = intel
        .longtail_diamond_candidates
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["Harbor Tech"]);
    assert_eq!(
        intel.longtail_diamond_candidates[0].evidence,
        "an active RAP"
    );
    let marcus = intel
        .pam_capacity
        .iter()
        .find(|c| c.pam_name == "Marcus T.")
        .unwrap();
    assert_eq!(
        (marcus.partners, marcus.capacity, marcus.load_bps),
        (3, PAM_CAPACITY, 1_500)
    );
    assert!(!marcus.over_capacity);
}

#[test]
fn cxo_commitments_list_active_raps_co_funding_owed_and_arr_at_stake() {
    let p = program();
    let view = cxo_commitments(&p.model(), &scope_of(&p.cast.cxo), p.now());
    let titles: Vec<&str> = view.commitments.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(titles, ["Harbor Tech · Q2 2026", "Ironclad MSP · Q2 2026"]);
    let ironclad = &view.commitments[1];
    assert_eq!(
        (ironclad.arr_won, ironclad.arr_at_stake),
        (usd(90_000), usd(250_000))
    );
    assert_eq!(
        (ironclad.named_accounts_open, ironclad.named_accounts),
        (3, 4)
    );
    assert_eq!(ironclad.gtm_budget, usd(48_000));
    assert_eq!(ironclad.activated_at, Some(t("2026-02-14T11:00:00Z")));
    assert_eq!(view.totals.arr_at_stake, usd(300_000));
    assert_eq!(view.totals.co_fund_outstanding, usd(9_000));
    assert_eq!(view.co_fund_outstanding.len(), 1);
}

#[test]
fn the_profile_shows_the_inherited_strategy_raps_qar_status_and_money() {
    let p = program();
    let (model, now) = (p.model(), p.now());
    let scope = scope_of(&p.cast.sarah);
    let bridgeline = partner_profile(&model, &scope, now, &p.bridgeline.to_string()).unwrap();
    let strategy = bridgeline.cohort_strategy.unwrap();
    assert_eq!(
        (strategy.classification, strategy.version),
        (Classification::Farmer, 1)
    );
    assert!(strategy.intent.starts_with("Reactivate net-new motion"));
    assert!(bridgeline.qar.open && bridgeline.qar.overdue);
    assert_eq!(bridgeline.qar.days_overdue, 10);
    let ironclad = partner_profile(&model, &scope, now, &p.ironclad.to_string()).unwrap();
    assert_eq!(ironclad.pam.unwrap().name, "Sarah K.");
    assert_eq!(ironclad.active_raps.len(), 1);
    assert_eq!(ironclad.arr_won, usd(90_000));
    assert_eq!(ironclad.qar.next_due_at, Some(t("2026-06-30T09:00:00Z")));
    assert!(!ironclad.qar.overdue);
    let m = ironclad.mdf;
    assert_eq!(
        (m.committed, m.approved, m.claimed, m.paid),
        (usd(24_000), usd(15_000), usd(10_000), usd(6_000))
    );
}
