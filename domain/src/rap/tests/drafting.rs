//! Drafting, revising and submitting.

use super::*;
use crate::money::Currency;
use crate::rejection::Forbidden;

#[test]
fn a_pam_drafts_a_rap_titled_after_the_partner_and_quarter() {
    let cast = Cast::new();
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(ironclad_terms()),
        ))
        .then_expect_events(vec![cast.drafted()]);
}

#[test]
fn a_pam_cannot_draft_for_a_partner_of_another_territory() {
    let cast = Cast::new();
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            staff(Role::Pam, Some("Mid-Atlantic")),
            t(DRAFTED_AT),
            cast.draft(ironclad_terms()),
        ))
        .then_expect_error(RapError::Forbidden(Forbidden(
            "PAM of Mid-Atlantic may not rap.draft in Southeast: it is outside their territory"
                .into(),
        )));
}

#[test]
fn a_rap_is_drafted_once() {
    let cast = Cast::new();
    RapTest::with(())
        .given(vec![cast.drafted()])
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(ironclad_terms()),
        ))
        .then_expect_error(RapError::AlreadyExists);
}

#[test]
fn no_rap_is_drafted_for_an_offboarded_partner() {
    let cast = Cast::new().with_partner(|p| p.offboarded = true);
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(ironclad_terms()),
        ))
        .then_expect_error(RapError::PartnerOffboarded);
}

#[test]
fn no_rap_is_drafted_for_a_zombie_partner() {
    let cast = Cast::new().with_partner(|p| p.classification = Some(Classification::Zombie));
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(ironclad_terms()),
        ))
        .then_expect_error(RapError::ZombiePartner);
}

#[test]
fn a_gold_partner_contributing_less_than_the_mdf_is_refused() {
    let cast = Cast::new().with_partner(|p| p.tier = Tier::Gold);
    let terms = RapTerms {
        mdf: usd(5_000),
        partner_contribution: usd(4_000),
        ..ironclad_terms()
    };
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(terms),
        ))
        .then_expect_error(RapError::PartnerContributionBelowMatch {
            tier: Tier::Gold,
            minimum: usd(5_000),
        });
}

#[test]
fn mdf_above_the_tier_cap_needs_an_exemption_justification() {
    let cast = Cast::new();
    let terms = RapTerms {
        mdf_exemption: None,
        ..ironclad_terms()
    };
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(terms),
        ))
        .then_expect_error(RapError::MdfAboveCap {
            tier: Tier::Platinum,
            cap: usd(15_000),
        });
}

#[test]
fn a_named_account_domain_is_targeted_once_whatever_its_case() {
    let cast = Cast::new();
    let mut terms = ironclad_terms();
    terms
        .named_accounts
        .push(target("Northwind (dup)", "NorthWind.Example."));
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(terms),
        ))
        .then_expect_error(RapError::DuplicateNamedAccount(domain("northwind.example")));
}

#[test]
fn amounts_outside_the_program_currency_are_refused() {
    let cast = Cast::new();
    let eur = Currency::parse("EUR").unwrap();
    let terms = RapTerms {
        partner_contribution: Money::new(2_400_000, eur),
        ..ironclad_terms()
    };
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(terms),
        ))
        .then_expect_error(RapError::CurrencyMismatch {
            field: "partner_contribution",
            expected: Currency::USD,
            found: eur,
        });
}

#[test]
fn negative_amounts_are_refused() {
    let cast = Cast::new();
    let terms = RapTerms {
        arr_target: usd(-1),
        ..ironclad_terms()
    };
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(terms),
        ))
        .then_expect_error(RapError::NegativeAmount {
            field: "arr_target",
        });
}

#[test]
fn more_named_accounts_than_a_quarter_can_work_are_refused() {
    let cast = Cast::new();
    let terms = RapTerms {
        named_accounts: (0..=MAX_NAMED_ACCOUNTS)
            .map(|i| target("Customer", &format!("c{i}.example")))
            .collect(),
        ..ironclad_terms()
    };
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(terms),
        ))
        .then_expect_error(RapError::TooManyNamedAccounts { max: 200 });
}

#[test]
fn a_gtm_budget_too_large_to_add_up_is_refused() {
    let cast = Cast::new();
    let terms = RapTerms {
        mdf: Money::usd(i64::MAX),
        partner_contribution: Money::usd(1),
        ..ironclad_terms()
    };
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            cast.draft(terms),
        ))
        .then_expect_error(RapError::AmountOutOfRange {
            field: "partner_contribution",
        });
}

#[test]
fn a_pam_revises_the_terms_of_a_draft_as_a_whole() {
    let cast = Cast::new();
    let terms = RapTerms {
        arr_target: usd(360_000),
        ..ironclad_terms()
    };
    RapTest::with(())
        .given(vec![cast.drafted()])
        .when(Authored::new(
            cast.pam.clone(),
            t(DRAFTED_AT),
            RapCommand::Revise {
                terms: terms.clone(),
            },
        ))
        .then_expect_events(vec![RapEvent::RapRevised { terms }]);
}

#[test]
fn a_revision_is_held_to_the_tier_policy() {
    let cast = Cast::new();
    let terms = RapTerms {
        mdf_exemption: None,
        ..ironclad_terms()
    };
    RapTest::with(())
        .given(vec![cast.drafted()])
        .when(Authored::new(
            cast.manager.clone(),
            t(DRAFTED_AT),
            RapCommand::Revise { terms },
        ))
        .then_expect_error(RapError::MdfAboveCap {
            tier: Tier::Platinum,
            cap: usd(15_000),
        });
}

#[test]
fn a_submitted_rap_cannot_be_revised() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.submitted())
        .when(Authored::new(
            cast.pam.clone(),
            t(MANAGER_AT),
            RapCommand::Revise {
                terms: ironclad_terms(),
            },
        ))
        .then_expect_error(RapError::NotEditable {
            status: RapStatus::Submitted,
        });
}

#[test]
fn nothing_can_be_done_to_a_rap_never_drafted() {
    RapTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            Cast::new().pam,
            t(DRAFTED_AT),
            RapCommand::Revise {
                terms: ironclad_terms(),
            },
        ))
        .then_expect_error(RapError::NotFound);
}
