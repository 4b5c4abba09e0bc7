//! Who sees what: a PAM or Manager never sees another territory's partners, in any view.

use channel_ledger_domain::fiscal::FiscalCalendar;
use channel_ledger_domain::Territory;

use super::program::program;
use crate::views::*;

fn se() -> Territory {
    Territory::parse("Southeast").unwrap()
}

#[test]
fn a_pam_never_sees_another_territorys_partners_in_any_view() {
    let p = program();
    let (model, now) = (p.model(), p.now());
    for reader in [&p.cast.sarah, &p.cast.priya] {
        let scope = super::builder::scope_of(reader);
        let pf = portfolio(&model, &scope, now, None);
        assert!(!pf.partners.is_empty());
        assert!(pf.partners.iter().all(|s| s.territory == se()));
        let console = manager_console(&model, &scope, now);
        assert!(console.cards.iter().all(|c| c.territory == Some(se())));
        assert!(console
            .queue
            .items
            .iter()
            .all(|i| i.territory.is_none() || i.territory == Some(se())));
        assert!(console.intelligence.longtail_diamond_candidates.is_empty());
        let mix: u32 = console
            .intelligence
            .classification_mix
            .iter()
            .map(|c| c.partners)
            .sum();
        assert_eq!(mix, 2);
        let cxo = cxo_commitments(&model, &scope, now);
        assert!(cxo.commitments.iter().all(|c| c.territory == se()));
        let rec = finance_reconciliation(&model, &scope, now, &FiscalCalendar::default());
        assert!(rec.rows.iter().all(|r| r.territory == se()));
        let other = p.novatech.to_string();
        assert_eq!(partner_profile(&model, &scope, now, &other), None);
        assert_eq!(handover_brief(&model, &scope, now, &other), None);
        assert_eq!(
            partner_timeline(&p.log.events, &model, &scope, &other, None),
            None
        );
        let timeline = scoped_timeline(&p.log.events, &model, &scope, None);
        assert!(!timeline
            .iter()
            .any(|e| e.sentence.contains("NovaTech") || e.sentence.contains("Harbor")));
    }
}

#[test]
fn cxo_finance_and_auditor_see_every_territory_and_an_admin_sees_nothing() {
    let p = program();
    let (model, now) = (p.model(), p.now());
    for reader in [&p.cast.cxo, &p.cast.finance, &p.cast.auditor] {
        let scope = super::builder::scope_of(reader);
        assert_eq!(portfolio(&model, &scope, now, None).partners.len(), 5);
    }
    let admin = super::builder::scope_of(&p.cast.admin);
    assert!(portfolio(&model, &admin, now, None).partners.is_empty());
    assert!(manager_console(&model, &admin, now).cards.is_empty());
    assert!(manager_console(&model, &admin, now).queue.items.is_empty());
    assert_eq!(
        partner_profile(&model, &admin, now, &p.ironclad.to_string()),
        None
    );
    assert!(scoped_timeline(&p.log.events, &model, &admin, None).is_empty());
}

#[test]
fn finance_sees_the_money_but_not_what_was_said_at_qars() {
    let p = program();
    let (model, now) = (p.model(), p.now());
    let id = p.ironclad.to_string();
    let finance = super::builder::scope_of(&p.cast.finance);
    let brief = handover_brief(&model, &finance, now, &id).unwrap();
    assert_eq!(brief.mdf_owed, super::builder::usd(9_000));
    assert_eq!(brief.last_concerns, None);
    assert!(brief.qar_history.iter().all(|q| q.discussion.is_none()));
    assert!(brief
        .open_commitments
        .iter()
        .all(|c| c.description.is_none()));
    let auditor = super::builder::scope_of(&p.cast.auditor);
    let brief = handover_brief(&model, &auditor, now, &id).unwrap();
    assert!(brief.last_concerns.is_some());
}

#[test]
fn the_portfolio_filters_by_pam() {
    let p = program();
    let scope = super::builder::scope_of(&p.cast.cxo);
    let mine = portfolio(&p.model(), &scope, p.now(), Some(p.cast.marcus.staff_id));
    let names: Vec<&str> = mine.partners.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Cascade Group", "Harbor Tech", "NovaTech Inc."]);
}
