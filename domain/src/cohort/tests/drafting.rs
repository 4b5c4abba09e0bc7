//! Drafting and revising: who may, and what a version must hold.

use super::*;
use crate::rejection::Forbidden;

fn draft(plays: Vec<Play>) -> CohortCommand {
    CohortCommand::Draft {
        classification: Classification::Farmer,
        intent: text("grow steady renewals into expansion revenue"),
        plays,
    }
}

fn revise() -> CohortCommand {
    CohortCommand::Revise {
        intent: text("expansion first, renewals second"),
        plays: plays(),
    }
}

#[test]
fn a_manager_drafts_the_strategy_for_a_classification() {
    CohortTest::with(())
        .given_no_previous_events()
        .when(by(marcus(), drafted_at(), draft(plays())))
        .then_expect_events(vec![drafted()]);
}

#[test]
fn a_pam_cannot_draft_a_cohort_strategy() {
    CohortTest::with(())
        .given_no_previous_events()
        .when(by(sarah(), drafted_at(), draft(plays())))
        .then_expect_error(CohortError::Forbidden(Forbidden(
            "PAM of Southeast may not cohort.draft".into(),
        )));
}

#[test]
fn a_strategy_is_drafted_once_and_revised_after() {
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(dana(), drafted_at(), draft(plays())))
        .then_expect_error(CohortError::AlreadyDrafted);
}

#[test]
fn a_strategy_has_at_least_one_play() {
    CohortTest::with(())
        .given_no_previous_events()
        .when(by(marcus(), drafted_at(), draft(vec![])))
        .then_expect_error(CohortError::NoPlays);
    CohortTest::with(())
        .given(v1_in_force())
        .when(by(
            marcus(),
            decided_at(),
            CohortCommand::Revise {
                intent: text("nothing to do"),
                plays: vec![],
            },
        ))
        .then_expect_error(CohortError::NoPlays);
}

#[test]
fn a_cxo_revises_the_strategy_in_force_as_a_new_version() {
    CohortTest::with(())
        .given(v1_in_force())
        .when(by(dana(), t("2026-05-04T09:00:00Z"), revise()))
        .then_expect_events(vec![revised(2, &dana(), "2026-05-04T09:00:00Z")]);
}

#[test]
fn a_rejected_version_is_followed_by_a_revision() {
    CohortTest::with(())
        .given(vec![
            drafted(),
            CohortEvent::CohortStrategyRejected {
                version: 1,
                record: record(Verdict::Rejected, &dana(), drafted_at(), Some("too vague")),
            },
        ])
        .when(by(marcus(), t("2026-02-20T09:00:00Z"), revise()))
        .then_expect_events(vec![revised(2, &marcus(), "2026-02-20T09:00:00Z")]);
}

#[test]
fn a_revision_waits_until_the_pending_version_is_decided() {
    CohortTest::with(())
        .given(vec![drafted()])
        .when(by(dana(), decided_at(), revise()))
        .then_expect_error(CohortError::VersionPending { version: 1 });
}

#[test]
fn nothing_is_revised_before_it_is_drafted() {
    CohortTest::with(())
        .given_no_previous_events()
        .when(by(dana(), decided_at(), revise()))
        .then_expect_error(CohortError::NotDrafted);
}

#[test]
fn strategy_texts_are_bounded() {
    assert!(StrategyText::parse(" ").is_err());
    assert!(StrategyText::parse(&"x".repeat(StrategyText::MAX_CHARS + 1)).is_err());
    assert!(serde_json::from_str::<StrategyText>("\"ok\"").is_ok());
}
