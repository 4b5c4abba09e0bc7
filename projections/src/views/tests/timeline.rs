//! The timeline reads as sentences: who, in which role and territory, did what, when.

use super::builder::scope_of;
use super::program::program;
use crate::views::*;

#[test]
fn a_reclassification_reads_as_a_sentence_with_its_reason() {
    let p = program();
    let model = p.model();
    let entries = partner_timeline(
        &p.log.events,
        &model,
        &scope_of(&p.cast.cxo),
        &p.cascade.to_string(),
        Some(TimelineKind::Partner),
    )
    .unwrap();
    let e = entries
        .iter()
        .find(|e| e.event_type == "PartnerReclassified" && e.sentence.contains("High"))
        .unwrap();
    assert_eq!(
        e.sentence,
        "3 Mar 2026 — Otto M. (Manager, Mid-Atlantic) reclassified Cascade Group from Longtail Diamond to High-Potential"
    );
    assert_eq!(e.reason.as_deref(), Some("four quarters of net-new logos"));
    assert_eq!(e.actor.name, "Otto M.");
    assert_eq!(e.authority, "test as Manager of Mid-Atlantic");
    assert!(entries.iter().all(|e| e.kind == TimelineKind::Partner));
}

#[test]
fn an_approval_reads_as_a_sentence_and_the_kind_filter_keeps_only_raps() {
    let p = program();
    let model = p.model();
    let scope = scope_of(&p.cast.priya);
    let entries = partner_timeline(
        &p.log.events,
        &model,
        &scope,
        &p.ironclad.to_string(),
        Some(TimelineKind::Rap),
    )
    .unwrap();
    assert!(entries.iter().all(|e| e.kind == TimelineKind::Rap));
    let sentences: Vec<&str> = entries.iter().map(|e| e.sentence.as_str()).collect();
    assert!(sentences.contains(
        &"11 Feb 2026 — Priya M. (Manager, Southeast) approved RAP Ironclad MSP · Q2 2026"
    ));
    assert!(sentences.contains(
        &"14 Feb 2026 — Dana R. (CxO) approved RAP Ironclad MSP · Q2 2026; it is now Active"
    ));
    assert!(sentences.contains(&"20 May 2026 — Sarah K. (PAM, Southeast) marked named account Northwind Health of RAP Ironclad MSP · Q2 2026 Won with $90,000 ARR"));
}

#[test]
fn every_event_of_the_program_gets_a_dated_sentence_in_log_order() {
    let p = program();
    let all = timeline(&p.log.events, &p.model(), None);
    assert_eq!(all.len(), p.log.events.len());
    assert!(all.windows(2).all(|w| w[0].position < w[1].position));
    assert!(all
        .iter()
        .all(|e| e.sentence.contains(" — ") && !e.sentence.contains("(untitled)")));
    let mdf = timeline(&p.log.events, &p.model(), Some(TimelineKind::Mdf));
    assert!(mdf.iter().any(|e| e
        .sentence
        .ends_with("requested an MDF exemption of $12,000 for NovaTech Inc. in FY26 Q2")));
}

#[test]
fn finance_reads_qar_events_without_their_reasons() {
    let p = program();
    let model = p.model();
    let finance = scope_of(&p.cast.finance);
    let qars = partner_timeline(
        &p.log.events,
        &model,
        &finance,
        &p.ironclad.to_string(),
        Some(TimelineKind::Qar),
    )
    .unwrap();
    assert!(!qars.is_empty());
    assert!(qars.iter().all(|e| e.reason.is_none()));
}

#[test]
fn pages_walked_back_with_before_put_the_whole_timeline_together_again() {
    let p = program();
    let model = p.model();
    let scope = scope_of(&p.cast.cxo);
    let id = p.ironclad.to_string();
    let whole = partner_timeline(&p.log.events, &model, &scope, &id, None).unwrap();
    assert!(whole.len() > 3, "the fixture's partner has a history");
    for limit in [1, 2, 3, whole.len(), whole.len() + 1] {
        let mut pages: Vec<Vec<TimelineEntry>> = Vec::new();
        let mut before = None;
        loop {
            let page = TimelinePage {
                before,
                limit: Some(limit),
            };
            let slice = partner_timeline_page(&p.log.events, &model, &scope, &id, None, page);
            let slice = slice.unwrap();
            assert!(slice.entries.len() <= limit);
            let first = slice.entries.first().map(|e| e.position);
            pages.push(slice.entries);
            if !slice.older {
                break;
            }
            before = first;
        }
        let joined: Vec<TimelineEntry> = pages.into_iter().rev().flatten().collect();
        assert_eq!(joined, whole, "limit {limit}");
    }
    let unpaged = partner_timeline_page(
        &p.log.events,
        &model,
        &scope,
        &id,
        None,
        TimelinePage::default(),
    )
    .unwrap();
    assert_eq!((unpaged.entries, unpaged.older), (whole, false));
}
