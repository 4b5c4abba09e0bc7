use cqrs_es::test::TestFramework;

use chrono::{DateTime, Utc};

use super::*;
use crate::actor::Actor;
use crate::rejection::Forbidden;
use crate::text::Reason;

fn at() -> DateTime<Utc> {
    "2026-02-14T15:00:00Z".parse().unwrap()
}

type PartnerTest = TestFramework<Partner>;

fn territory(name: &str) -> Territory {
    Territory::parse(name).unwrap()
}

fn staff(role: Role, territory_name: Option<&str>) -> Actor {
    Actor {
        staff_id: StaffId::new(),
        name: format!("{role} person"),
        role,
        territory: territory_name.map(territory),
    }
}

fn pam() -> Actor {
    staff(Role::Pam, Some("Southeast"))
}
fn manager() -> Actor {
    staff(Role::Manager, Some("Southeast"))
}
fn cxo() -> Actor {
    staff(Role::Cxo, None)
}

fn reason(s: &str) -> Reason {
    Reason::parse(s).unwrap()
}

fn register_command(id: PartnerId, territory_name: &str) -> PartnerCommand {
    PartnerCommand::Register {
        partner_id: id,
        name: Name::parse("Cascade Group").unwrap(),
        partner_type: PartnerType::SystemIntegrator,
        territory: territory(territory_name),
        headquarters: Name::parse("Atlanta, GA").unwrap(),
        size: CompanySize::Medium,
        specialization: Some(Name::parse("Healthcare").unwrap()),
    }
}

fn registered(id: PartnerId) -> PartnerEvent {
    PartnerEvent::PartnerRegistered {
        partner_id: id,
        name: Name::parse("Cascade Group").unwrap(),
        partner_type: PartnerType::SystemIntegrator,
        territory: territory("Southeast"),
        headquarters: Name::parse("Atlanta, GA").unwrap(),
        size: CompanySize::Medium,
        specialization: Some(Name::parse("Healthcare").unwrap()),
        tier: Tier::Registered,
    }
}

fn offboarded() -> PartnerEvent {
    PartnerEvent::PartnerOffboarded {
        reason: reason("no activity in six quarters"),
    }
}

fn candidate(role: Role, territory_name: &str, active: bool) -> PamCandidate {
    PamCandidate {
        staff_id: StaffId::new(),
        name: "Sarah K.".into(),
        role,
        territory: Some(territory(territory_name)),
        active,
    }
}

fn reclassify(to: Classification) -> PartnerCommand {
    PartnerCommand::Reclassify {
        to,
        rationale: reason("two net-new logos from its installed base"),
    }
}

#[test]
fn a_pam_registers_a_partner_in_their_territory() {
    let id = PartnerId::new();
    PartnerTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            pam(),
            at(),
            register_command(id, "Southeast"),
        ))
        .then_expect_events(vec![registered(id)]);
}

#[test]
fn a_pam_cannot_register_a_partner_in_another_territory() {
    PartnerTest::with(())
        .given_no_previous_events()
        .when(Authored::new(pam(), at(), register_command(PartnerId::new(), "Mid-Atlantic")))
        .then_expect_error(PartnerError::Forbidden(Forbidden(
            "PAM of Southeast may not partner.register in Mid-Atlantic: it is outside their territory"
                .into(),
        )));
}

#[test]
fn finance_cannot_register_partners() {
    PartnerTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            staff(Role::Finance, None),
            at(),
            register_command(PartnerId::new(), "Southeast"),
        ))
        .then_expect_error(PartnerError::Forbidden(Forbidden(
            "Finance may not partner.register".into(),
        )));
}

#[test]
fn a_partner_is_registered_once() {
    let id = PartnerId::new();
    PartnerTest::with(())
        .given(vec![registered(id)])
        .when(Authored::new(
            cxo(),
            at(),
            register_command(id, "Southeast"),
        ))
        .then_expect_error(PartnerError::AlreadyRegistered);
}

#[test]
fn a_pam_changes_the_tier_with_evidence() {
    let id = PartnerId::new();
    PartnerTest::with(())
        .given(vec![registered(id)])
        .when(Authored::new(
            pam(),
            at(),
            PartnerCommand::ChangeTier {
                tier: Tier::Gold,
                evidence: reason("certified 4 engineers; $410K bookings"),
            },
        ))
        .then_expect_events(vec![PartnerEvent::PartnerTierChanged {
            from: Tier::Registered,
            to: Tier::Gold,
            evidence: reason("certified 4 engineers; $410K bookings"),
        }]);
}

#[test]
fn changing_to_the_same_tier_is_refused() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            manager(),
            at(),
            PartnerCommand::ChangeTier {
                tier: Tier::Registered,
                evidence: reason("none"),
            },
        ))
        .then_expect_error(PartnerError::SameTier(Tier::Registered));
}

#[test]
fn a_manager_of_the_territory_reclassifies_with_a_rationale() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            manager(),
            at(),
            reclassify(Classification::LongtailDiamond),
        ))
        .then_expect_events(vec![PartnerEvent::PartnerReclassified {
            from: None,
            to: Classification::LongtailDiamond,
            rationale: reason("two net-new logos from its installed base"),
        }]);
}

#[test]
fn a_cxo_reclassifies_anywhere() {
    PartnerTest::with(())
        .given(vec![
            registered(PartnerId::new()),
            PartnerEvent::PartnerReclassified {
                from: None,
                to: Classification::LongtailDiamond,
                rationale: reason("ICP-aligned base"),
            },
        ])
        .when(Authored::new(
            cxo(),
            at(),
            reclassify(Classification::HighPotential),
        ))
        .then_expect_events(vec![PartnerEvent::PartnerReclassified {
            from: Some(Classification::LongtailDiamond),
            to: Classification::HighPotential,
            rationale: reason("two net-new logos from its installed base"),
        }]);
}

#[test]
fn a_pam_cannot_reclassify() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            pam(),
            at(),
            reclassify(Classification::Champion),
        ))
        .then_expect_error(PartnerError::Forbidden(Forbidden(
            "PAM of Southeast may not partner.reclassify".into(),
        )));
}

#[test]
fn a_manager_of_another_territory_cannot_reclassify() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(staff(Role::Manager, Some("Mid-Atlantic")), at(),
            reclassify(Classification::Champion),
        ))
        .then_expect_error(PartnerError::Forbidden(Forbidden(
            "Manager of Mid-Atlantic may not partner.reclassify in Southeast: it is outside their territory"
                .into(),
        )));
}

#[test]
fn reclassifying_to_the_same_class_is_refused() {
    PartnerTest::with(())
        .given(vec![
            registered(PartnerId::new()),
            PartnerEvent::PartnerReclassified {
                from: None,
                to: Classification::Farmer,
                rationale: reason("steady renewals"),
            },
        ])
        .when(Authored::new(
            manager(),
            at(),
            reclassify(Classification::Farmer),
        ))
        .then_expect_error(PartnerError::SameClassification(Classification::Farmer));
}

#[test]
fn a_blank_rationale_cannot_even_be_written() {
    assert!(Reason::parse(" \n ").is_err());
    let json = r#"{"Reclassify":{"to":"Champion","rationale":"   "}}"#;
    assert!(serde_json::from_str::<PartnerCommand>(json).is_err());
}

#[test]
fn a_manager_assigns_an_active_pam_of_the_territory() {
    let sarah = candidate(Role::Pam, "Southeast", true);
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            manager(),
            at(),
            PartnerCommand::AssignPam { pam: sarah.clone() },
        ))
        .then_expect_events(vec![PartnerEvent::PamAssigned {
            pam_id: sarah.staff_id,
            pam_name: sarah.name,
            previous_pam_id: None,
        }]);
}

#[test]
fn a_reassignment_remembers_the_previous_pam() {
    let before = StaffId::new();
    let marcus = candidate(Role::Pam, "Southeast", true);
    PartnerTest::with(())
        .given(vec![
            registered(PartnerId::new()),
            PartnerEvent::PamAssigned {
                pam_id: before,
                pam_name: "Departed PAM".into(),
                previous_pam_id: None,
            },
        ])
        .when(Authored::new(
            cxo(),
            at(),
            PartnerCommand::AssignPam {
                pam: marcus.clone(),
            },
        ))
        .then_expect_events(vec![PartnerEvent::PamAssigned {
            pam_id: marcus.staff_id,
            pam_name: marcus.name,
            previous_pam_id: Some(before),
        }]);
}

#[test]
fn a_pam_cannot_assign_pams() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            pam(),
            at(),
            PartnerCommand::AssignPam {
                pam: candidate(Role::Pam, "Southeast", true),
            },
        ))
        .then_expect_error(PartnerError::Forbidden(Forbidden(
            "PAM of Southeast may not partner.assign-pam".into(),
        )));
}

#[test]
fn a_pam_who_left_cannot_be_assigned() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            manager(),
            at(),
            PartnerCommand::AssignPam {
                pam: candidate(Role::Pam, "Southeast", false),
            },
        ))
        .then_expect_error(PartnerError::PamNotActive);
}

#[test]
fn only_a_pam_can_be_assigned_as_pam() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            manager(),
            at(),
            PartnerCommand::AssignPam {
                pam: candidate(Role::Manager, "Southeast", true),
            },
        ))
        .then_expect_error(PartnerError::NotAPam(Role::Manager));
}

#[test]
fn a_pam_of_another_territory_cannot_be_assigned() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            manager(),
            at(),
            PartnerCommand::AssignPam {
                pam: candidate(Role::Pam, "Mid-Atlantic", true),
            },
        ))
        .then_expect_error(PartnerError::PamOutsideTerritory {
            territory: territory("Southeast"),
        });
}

#[test]
fn assigning_the_current_pam_again_is_refused() {
    let sarah = candidate(Role::Pam, "Southeast", true);
    PartnerTest::with(())
        .given(vec![
            registered(PartnerId::new()),
            PartnerEvent::PamAssigned {
                pam_id: sarah.staff_id,
                pam_name: sarah.name.clone(),
                previous_pam_id: None,
            },
        ])
        .when(Authored::new(
            manager(),
            at(),
            PartnerCommand::AssignPam { pam: sarah },
        ))
        .then_expect_error(PartnerError::SamePam);
}

#[test]
fn a_manager_offboards_with_a_reason() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            manager(),
            at(),
            PartnerCommand::Offboard {
                reason: reason("no activity in six quarters"),
            },
        ))
        .then_expect_events(vec![offboarded()]);
}

#[test]
fn a_pam_cannot_offboard() {
    PartnerTest::with(())
        .given(vec![registered(PartnerId::new())])
        .when(Authored::new(
            pam(),
            at(),
            PartnerCommand::Offboard {
                reason: reason("quiet"),
            },
        ))
        .then_expect_error(PartnerError::Forbidden(Forbidden(
            "PAM of Southeast may not partner.offboard".into(),
        )));
}

#[test]
fn an_offboarded_partner_accepts_no_changes() {
    let history = vec![registered(PartnerId::new()), offboarded()];
    for command in [
        reclassify(Classification::Zombie),
        PartnerCommand::ChangeTier {
            tier: Tier::Silver,
            evidence: reason("late paperwork"),
        },
        PartnerCommand::AssignPam {
            pam: candidate(Role::Pam, "Southeast", true),
        },
        PartnerCommand::Offboard {
            reason: reason("again"),
        },
    ] {
        PartnerTest::with(())
            .given(history.clone())
            .when(Authored::new(cxo(), at(), command))
            .then_expect_error(PartnerError::Offboarded);
    }
}

#[test]
fn nothing_can_be_done_to_a_partner_never_registered() {
    PartnerTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            cxo(),
            at(),
            reclassify(Classification::Champion),
        ))
        .then_expect_error(PartnerError::NotFound);
}

#[test]
fn authority_names_the_policy_and_the_capacity() {
    let permission = permission_for(&reclassify(Classification::Champion));
    assert_eq!(
        permission.authority(&manager()),
        "partner.reclassify as Manager of Southeast"
    );
    assert_eq!(permission.authority(&cxo()), "partner.reclassify as CxO");
}
