//! Submitting a draft: who may, for which partner, and the economics frozen as agreed.

use super::*;
use crate::rejection::Forbidden;

#[test]
fn a_pam_submits_and_the_economics_are_frozen_as_agreed() {
    let cast = Cast::new();
    RapTest::with(())
        .given(vec![cast.drafted()])
        .when(Authored::new(
            cast.pam.clone(),
            t(SUBMITTED_AT),
            cast.submit(),
        ))
        .then_expect_events(vec![RapEvent::RapSubmitted {
            submission: cast.submission(SUBMITTED_AT),
        }]);
}

#[test]
fn a_manager_does_not_submit_so_that_a_manager_is_left_to_approve() {
    let cast = Cast::new();
    RapTest::with(())
        .given(vec![cast.drafted()])
        .when(Authored::new(
            cast.manager.clone(),
            t(SUBMITTED_AT),
            cast.submit(),
        ))
        .then_expect_error(RapError::Forbidden(Forbidden(
            "Manager of Southeast may not rap.submit".into(),
        )));
}

#[test]
fn a_rap_of_a_partner_offboarded_since_drafting_cannot_be_submitted() {
    let cast = Cast::new();
    let history = vec![cast.drafted()];
    let cast = cast.with_partner(|p| p.offboarded = true);
    RapTest::with(())
        .given(history)
        .when(Authored::new(
            cast.pam.clone(),
            t(SUBMITTED_AT),
            cast.submit(),
        ))
        .then_expect_error(RapError::PartnerOffboarded);
}

#[test]
fn a_rap_of_a_partner_classified_zombie_since_drafting_cannot_be_submitted() {
    let cast = Cast::new();
    let history = vec![cast.drafted()];
    let cast = cast.with_partner(|p| p.classification = Some(Classification::Zombie));
    RapTest::with(())
        .given(history)
        .when(Authored::new(
            cast.pam.clone(),
            t(SUBMITTED_AT),
            cast.submit(),
        ))
        .then_expect_error(RapError::ZombiePartner);
}

#[test]
fn submission_with_the_facts_of_another_partner_is_refused() {
    let cast = Cast::new();
    let history = vec![cast.drafted()];
    let cast = cast.with_partner(|p| p.partner_id = PartnerId::new());
    RapTest::with(())
        .given(history)
        .when(Authored::new(
            cast.pam.clone(),
            t(SUBMITTED_AT),
            cast.submit(),
        ))
        .then_expect_error(RapError::PartnerMismatch);
}

#[test]
fn submission_rechecks_the_policy_of_the_partners_tier_now() {
    let cast = Cast::new();
    // Platinum negotiates its match; by submission the partner is Gold and owes 1:1.
    let terms = RapTerms {
        mdf: usd(15_000),
        partner_contribution: usd(5_000),
        ..ironclad_terms()
    };
    let history = vec![cast.drafted(), RapEvent::RapRevised { terms }];
    let cast = cast.with_partner(|p| p.tier = Tier::Gold);
    RapTest::with(())
        .given(history)
        .when(Authored::new(
            cast.pam.clone(),
            t(SUBMITTED_AT),
            cast.submit(),
        ))
        .then_expect_error(RapError::PartnerContributionBelowMatch {
            tier: Tier::Gold,
            minimum: usd(15_000),
        });
}

#[test]
fn a_rap_without_named_accounts_cannot_be_submitted() {
    let cast = Cast::new();
    let terms = RapTerms {
        named_accounts: vec![],
        ..ironclad_terms()
    };
    RapTest::with(())
        .given(vec![cast.drafted(), RapEvent::RapRevised { terms }])
        .when(Authored::new(
            cast.pam.clone(),
            t(SUBMITTED_AT),
            cast.submit(),
        ))
        .then_expect_error(RapError::NoNamedAccounts);
}

#[test]
fn a_submitted_rap_is_not_submitted_twice() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            cast.pam.clone(),
            t(MANAGER_AT),
            cast.submit(),
        ))
        .then_expect_error(RapError::NotEditable {
            status: RapStatus::Submitted,
        });
}
