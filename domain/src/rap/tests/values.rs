//! The values of a RAP on their own: domains, economics, error codes and event names.

use super::*;
use crate::authored::Decision;
use crate::rejection::{Rejection, RejectionKind};
use cqrs_es::DomainEvent;

#[test]
fn account_domains_are_lower_case_hostnames() {
    assert_eq!(domain(" Northwind.Example. ").as_str(), "northwind.example");
    for bad in [
        "northwind",
        "https://northwind.example",
        "-x.example",
        "a..example",
        "10.0.0.1",
        "ex ample.com",
        "ü.example",
        "",
    ] {
        assert!(
            matches!(
                AccountDomain::parse(bad),
                Err(RapError::InvalidAccountDomain(_))
            ),
            "{bad} was accepted"
        );
    }
    assert!(serde_json::from_str::<AccountDomain>("\"not a domain\"").is_err());
    let err = AccountDomain::parse("nope").unwrap_err();
    assert_eq!(
        err.kind(),
        RejectionKind::Invalid {
            field: "named_accounts"
        }
    );
    assert_eq!(err.code(), "invalid-account-domain");
}

#[test]
fn economics_are_basis_points_and_none_when_nothing_is_invested() {
    assert_eq!(ironclad_terms().economics().unwrap(), ironclad_economics());
    let unfunded = RapTerms {
        mdf: usd(0),
        partner_contribution: usd(0),
        mdf_exemption: None,
        ..ironclad_terms()
    };
    let economics = unfunded.economics().unwrap();
    assert_eq!(
        (economics.isv_roi_bps, economics.partner_roi_bps),
        (None, None)
    );
    let huge = RapTerms {
        mdf: Money::usd(1),
        arr_target: Money::usd(i64::MAX),
        ..ironclad_terms()
    };
    assert_eq!(
        huge.economics(),
        Err(RapError::AmountOutOfRange {
            field: "arr_target"
        })
    );
}

#[test]
fn mdf_within_the_cap_needs_no_exemption() {
    let gold = RapTerms {
        mdf: usd(5_000),
        partner_contribution: usd(5_000),
        mdf_exemption: None,
        ..ironclad_terms()
    };
    let check = gold.check_policy(Tier::Gold).unwrap();
    assert!(!check.exemption_required);
    assert_eq!(check.quarterly_cap, usd(5_000));
    assert!(
        ironclad_terms()
            .check_policy(Tier::Platinum)
            .unwrap()
            .exemption_required
    );
}

#[test]
fn every_refusal_has_a_kebab_case_code_and_bad_input_names_its_field() {
    let errors = [
        RapError::NotFound,
        RapError::SelfApproval,
        RapError::SameApproverTwice,
        RapError::CxoBeforeManager,
        RapError::ZombiePartner,
        RapError::PartnerContributionBelowMatch {
            tier: Tier::Gold,
            minimum: usd(1),
        },
        RapError::MdfAboveCap {
            tier: Tier::Gold,
            cap: usd(1),
        },
        RapError::DuplicateNamedAccount(domain("a.example")),
        RapError::NegativeAmount { field: "mdf" },
    ];
    for e in &errors {
        assert!(
            e.code().chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}",
            e.code()
        );
    }
    assert_eq!(errors[1].kind(), RejectionKind::Forbidden);
    assert_eq!(errors[3].kind(), RejectionKind::Conflict);
    assert_eq!(
        errors[5].kind(),
        RejectionKind::Invalid {
            field: "partner_contribution"
        }
    );
    assert_eq!(errors[6].kind(), RejectionKind::Invalid { field: "mdf" });
    assert_eq!(
        errors[7].kind(),
        RejectionKind::Invalid {
            field: "named_accounts"
        }
    );
}

#[test]
fn events_name_themselves_in_the_past_tense_at_version_one() {
    let cast = Cast::new();
    for event in cast.active() {
        assert!(event.event_type().starts_with("Rap"));
        assert_eq!(event.event_version(), "1");
    }
    let json = serde_json::to_string(&cast.drafted()).unwrap();
    assert_eq!(
        serde_json::from_str::<RapEvent>(&json).unwrap(),
        cast.drafted()
    );
}

#[test]
fn authority_names_the_policy_and_the_capacity() {
    let cast = Cast::new();
    let command = approve(ApprovalStep::Manager);
    assert_eq!(
        permission_for(&command).authority(&cast.manager),
        "rap.approve-as-manager as Manager of Southeast"
    );
    assert_eq!(
        cast.submit().authority(&cast.pam),
        "rap.submit as PAM of Southeast"
    );
}
