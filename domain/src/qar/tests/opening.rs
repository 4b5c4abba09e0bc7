//! Starting the cadence and opening a QAR; who may, and for which partner.

use super::*;
use crate::rejection::Forbidden;

fn schedule() -> QarCommand {
    QarCommand::Schedule {
        partner: partner(),
        first_assigned_at: assigned_at(),
    }
}

fn open() -> QarCommand {
    QarCommand::Open { partner: partner() }
}

#[test]
fn the_first_qar_is_due_90_days_after_the_first_pam_assignment() {
    QarTest::with(())
        .given_no_previous_events()
        .when(by(
            staff(Role::Manager, Some("Southeast")),
            assigned_at(),
            schedule(),
        ))
        .then_expect_events(vec![scheduled()]);
}

#[test]
fn the_cadence_starts_only_once() {
    QarTest::with(())
        .given(vec![scheduled()])
        .when(by(staff(Role::Cxo, None), assigned_at(), schedule()))
        .then_expect_error(QarError::AlreadyScheduled);
}

#[test]
fn a_partner_without_a_pam_has_no_cadence_yet() {
    let mut unassigned = partner();
    unassigned.pam = None;
    QarTest::with(())
        .given_no_previous_events()
        .when(by(
            staff(Role::Cxo, None),
            assigned_at(),
            QarCommand::Schedule {
                partner: unassigned,
                first_assigned_at: assigned_at(),
            },
        ))
        .then_expect_error(QarError::NoPamAssigned);
}

#[test]
fn the_partners_pam_opens_the_qar_that_is_due() {
    QarTest::with(())
        .given(vec![scheduled()])
        .when(by(sarah(), t("2026-03-30T14:00:00Z"), open()))
        .then_expect_events(vec![opened(1, "2026-03-30T14:00:00Z")]);
}

#[test]
fn a_pam_or_manager_of_the_territory_and_a_cxo_may_open_it_too() {
    for actor in [
        staff(Role::Pam, Some("Southeast")),
        staff(Role::Manager, Some("Southeast")),
        staff(Role::Cxo, None),
    ] {
        QarTest::with(())
            .given(vec![scheduled()])
            .when(by(actor, t("2026-04-10T14:00:00Z"), open()))
            .then_expect_events(vec![opened(1, "2026-04-10T14:00:00Z")]);
    }
}

#[test]
fn the_partners_own_pam_may_act_after_the_directory_moved_them() {
    let mut moved = sarah();
    moved.territory = Some(Territory::parse("Mid-Atlantic").unwrap());
    QarTest::with(())
        .given(vec![scheduled()])
        .when(by(moved, t("2026-03-30T14:00:00Z"), open()))
        .then_expect_events(vec![opened(1, "2026-03-30T14:00:00Z")]);
}

#[test]
fn a_pam_of_another_territory_cannot_open_the_qar() {
    QarTest::with(())
        .given(vec![scheduled()])
        .when(by(
            staff(Role::Pam, Some("Mid-Atlantic")),
            assigned_at(),
            open(),
        ))
        .then_expect_error(QarError::Forbidden(Forbidden(
            "PAM of Mid-Atlantic may not qar.open in Southeast: it is outside their territory"
                .into(),
        )));
}

#[test]
fn finance_cannot_run_qars() {
    QarTest::with(())
        .given(vec![scheduled()])
        .when(by(staff(Role::Finance, None), assigned_at(), open()))
        .then_expect_error(QarError::Forbidden(Forbidden(
            "Finance may not qar.open".into(),
        )));
}

#[test]
fn a_qar_is_opened_once() {
    QarTest::with(())
        .given(qar1_open())
        .when(by(sarah(), t("2026-03-31T14:00:00Z"), open()))
        .then_expect_error(QarError::AlreadyOpen { number: 1 });
}

#[test]
fn nothing_opens_before_the_cadence_starts() {
    QarTest::with(())
        .given_no_previous_events()
        .when(by(sarah(), assigned_at(), open()))
        .then_expect_error(QarError::NotScheduled);
}

#[test]
fn an_offboarded_partner_runs_no_qar() {
    let mut gone = partner();
    gone.offboarded = true;
    for command in [
        QarCommand::Schedule {
            partner: gone.clone(),
            first_assigned_at: assigned_at(),
        },
        QarCommand::Open {
            partner: gone.clone(),
        },
        QarCommand::Complete { partner: gone },
    ] {
        QarTest::with(())
            .given(vec![scheduled()])
            .when(by(staff(Role::Cxo, None), assigned_at(), command))
            .then_expect_error(QarError::PartnerOffboarded);
    }
}

#[test]
fn facts_of_another_partner_are_refused() {
    let mut other = partner();
    other.partner_id = PartnerId::new();
    QarTest::with(())
        .given(vec![scheduled()])
        .when(by(
            sarah(),
            assigned_at(),
            QarCommand::Open { partner: other },
        ))
        .then_expect_error(QarError::PartnerMismatch);
}
