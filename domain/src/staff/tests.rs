use cqrs_es::test::TestFramework;

use chrono::{DateTime, Utc};

use super::*;
use crate::rejection::Forbidden;
use crate::text::Reason;

fn at() -> DateTime<Utc> {
    "2026-02-14T15:00:00Z".parse().unwrap()
}

type StaffTest = TestFramework<Staff>;

fn admin() -> Actor {
    Actor {
        staff_id: StaffId::new(),
        name: "Ada Admin".into(),
        role: Role::Admin,
        territory: None,
    }
}

fn southeast() -> Territory {
    Territory::parse("Southeast").unwrap()
}

fn joined(id: StaffId, role: Role, territory: Option<Territory>) -> StaffEvent {
    StaffEvent::StaffJoined {
        staff_id: id,
        name: Name::parse("Priya M.").unwrap(),
        role,
        territory,
    }
}

fn by_admin(command: StaffCommand) -> Authored<StaffCommand> {
    Authored::new(admin(), at(), command)
}

fn join(id: StaffId, role: Role, territory: Option<Territory>) -> Authored<StaffCommand> {
    by_admin(StaffCommand::Join {
        staff_id: id,
        name: Name::parse("Priya M.").unwrap(),
        role,
        territory,
    })
}

#[test]
fn admin_registers_a_pam_with_a_territory() {
    let id = StaffId::new();
    StaffTest::with(())
        .given_no_previous_events()
        .when(join(id, Role::Pam, Some(southeast())))
        .then_expect_events(vec![joined(id, Role::Pam, Some(southeast()))]);
}

#[test]
fn only_an_admin_maintains_the_directory() {
    let manager = Actor {
        role: Role::Manager,
        territory: Some(southeast()),
        ..admin()
    };
    StaffTest::with(())
        .given_no_previous_events()
        .when(Authored::new(
            manager,
            at(),
            StaffCommand::Join {
                staff_id: StaffId::new(),
                name: Name::parse("Someone").unwrap(),
                role: Role::Pam,
                territory: Some(southeast()),
            },
        ))
        .then_expect_error(StaffError::Forbidden(Forbidden(
            "Manager of Southeast may not staff.maintain".into(),
        )));
}

#[test]
fn a_person_joins_only_once() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(vec![joined(id, Role::Pam, Some(southeast()))])
        .when(join(id, Role::Pam, Some(southeast())))
        .then_expect_error(StaffError::AlreadyJoined);
}

#[test]
fn a_pam_needs_a_territory_and_a_cxo_has_none() {
    StaffTest::with(())
        .given_no_previous_events()
        .when(join(StaffId::new(), Role::Pam, None))
        .then_expect_error(StaffError::TerritoryRequired { role: Role::Pam });
    StaffTest::with(())
        .given_no_previous_events()
        .when(join(StaffId::new(), Role::Cxo, Some(southeast())))
        .then_expect_error(StaffError::TerritoryNotApplicable { role: Role::Cxo });
}

#[test]
fn a_pam_is_promoted_to_manager() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(vec![joined(id, Role::Pam, Some(southeast()))])
        .when(by_admin(StaffCommand::ChangeRole {
            role: Role::Manager,
            territory: Some(southeast()),
        }))
        .then_expect_events(vec![StaffEvent::StaffRoleChanged {
            from: Role::Pam,
            to: Role::Manager,
            territory: Some(southeast()),
        }]);
}

#[test]
fn a_role_change_that_changes_nothing_is_refused() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(vec![joined(id, Role::Pam, Some(southeast()))])
        .when(by_admin(StaffCommand::ChangeRole {
            role: Role::Pam,
            territory: Some(southeast()),
        }))
        .then_expect_error(StaffError::Unchanged);
}

#[test]
fn a_role_change_keeps_the_territory_rules() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(vec![joined(id, Role::Pam, Some(southeast()))])
        .when(by_admin(StaffCommand::ChangeRole {
            role: Role::Manager,
            territory: None,
        }))
        .then_expect_error(StaffError::TerritoryRequired {
            role: Role::Manager,
        });
}

#[test]
fn an_admin_cannot_change_their_own_role() {
    let me = admin();
    StaffTest::with(())
        .given(vec![joined(me.staff_id, Role::Admin, None)])
        .when(Authored::new(
            me,
            at(),
            StaffCommand::ChangeRole {
                role: Role::Cxo,
                territory: None,
            },
        ))
        .then_expect_error(StaffError::OwnAdminRole);
}

#[test]
fn nobody_changes_someone_who_is_not_in_the_directory() {
    StaffTest::with(())
        .given_no_previous_events()
        .when(by_admin(StaffCommand::MoveTerritory {
            territory: southeast(),
        }))
        .then_expect_error(StaffError::NotFound);
}

#[test]
fn a_pam_moves_territory() {
    let id = StaffId::new();
    let pnw = Territory::parse("Pacific Northwest").unwrap();
    StaffTest::with(())
        .given(vec![joined(id, Role::Pam, Some(southeast()))])
        .when(by_admin(StaffCommand::MoveTerritory {
            territory: pnw.clone(),
        }))
        .then_expect_events(vec![StaffEvent::StaffTerritoryMoved {
            from: Some(southeast()),
            to: pnw,
        }]);
}

#[test]
fn moving_to_the_same_territory_is_refused() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(vec![joined(id, Role::Pam, Some(southeast()))])
        .when(by_admin(StaffCommand::MoveTerritory {
            territory: southeast(),
        }))
        .then_expect_error(StaffError::Unchanged);
}

#[test]
fn a_program_wide_role_has_no_territory_to_move() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(vec![joined(id, Role::Finance, None)])
        .when(by_admin(StaffCommand::MoveTerritory {
            territory: southeast(),
        }))
        .then_expect_error(StaffError::TerritoryNotApplicable {
            role: Role::Finance,
        });
}

#[test]
fn a_pam_leaves_and_can_no_longer_act() {
    let id = StaffId::new();
    let reason = Reason::parse("joined a competitor").unwrap();
    StaffTest::with(())
        .given(vec![joined(id, Role::Pam, Some(southeast()))])
        .when(by_admin(StaffCommand::Leave {
            reason: reason.clone(),
        }))
        .then_expect_events(vec![StaffEvent::StaffLeft { reason }]);

    let mut gone = Staff::default();
    gone.apply(joined(id, Role::Pam, Some(southeast())));
    gone.apply(StaffEvent::StaffLeft {
        reason: Reason::parse("joined a competitor").unwrap(),
    });
    assert_eq!(gone.as_actor(), None);
}

#[test]
fn someone_who_left_cannot_be_changed_or_leave_again() {
    let id = StaffId::new();
    let history = vec![
        joined(id, Role::Pam, Some(southeast())),
        StaffEvent::StaffLeft {
            reason: Reason::parse("retired").unwrap(),
        },
    ];
    StaffTest::with(())
        .given(history.clone())
        .when(by_admin(StaffCommand::Leave {
            reason: Reason::parse("again").unwrap(),
        }))
        .then_expect_error(StaffError::HasLeft);
    StaffTest::with(())
        .given(history)
        .when(by_admin(StaffCommand::ChangeRole {
            role: Role::Manager,
            territory: Some(southeast()),
        }))
        .then_expect_error(StaffError::HasLeft);
}

#[test]
fn nobody_records_their_own_departure() {
    let me = admin();
    StaffTest::with(())
        .given(vec![joined(me.staff_id, Role::Admin, None)])
        .when(Authored::new(
            me,
            at(),
            StaffCommand::Leave {
                reason: Reason::parse("bye").unwrap(),
            },
        ))
        .then_expect_error(StaffError::OwnDeparture);
}

fn cxo_history(id: StaffId) -> Vec<StaffEvent> {
    vec![StaffEvent::StaffJoined {
        staff_id: id,
        name: Name::parse("Dana CxO").unwrap(),
        role: Role::Cxo,
        territory: None,
    }]
}

fn cxo_actor(id: StaffId) -> Actor {
    Actor {
        staff_id: id,
        name: "Dana CxO".into(),
        role: Role::Cxo,
        territory: None,
    }
}

#[test]
fn a_cxo_delegates_approvals_for_a_fortnight() {
    let id = StaffId::new();
    let deputy = StaffId::new();
    let until = at() + chrono::Duration::days(14);
    StaffTest::with(())
        .given(cxo_history(id))
        .when(Authored::new(
            cxo_actor(id),
            at(),
            StaffCommand::DelegateApprovals { to: deputy, until },
        ))
        .then_expect_events(vec![StaffEvent::ApprovalsDelegated {
            to: deputy,
            from: at(),
            until,
        }]);
}

#[test]
fn nobody_delegates_someone_elses_approvals() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(cxo_history(id))
        .when(Authored::new(
            cxo_actor(StaffId::new()),
            at(),
            StaffCommand::DelegateApprovals {
                to: StaffId::new(),
                until: at() + chrono::Duration::days(1),
            },
        ))
        .then_expect_error(StaffError::Forbidden(Forbidden(
            "CxO may only delegate their own approvals".into(),
        )));
}

#[test]
fn a_pam_has_no_approvals_to_delegate() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(vec![joined(id, Role::Pam, Some(southeast()))])
        .when(by_admin(StaffCommand::DelegateApprovals {
            to: StaffId::new(),
            until: at() + chrono::Duration::days(1),
        }))
        .then_expect_error(StaffError::CannotDelegate);
}

#[test]
fn a_delegation_must_end_in_the_future_and_not_to_oneself() {
    let id = StaffId::new();
    StaffTest::with(())
        .given(cxo_history(id))
        .when(Authored::new(
            cxo_actor(id),
            at(),
            StaffCommand::DelegateApprovals {
                to: StaffId::new(),
                until: at(),
            },
        ))
        .then_expect_error(StaffError::DelegationEndsBeforeStart);
    StaffTest::with(())
        .given(cxo_history(id))
        .when(Authored::new(
            cxo_actor(id),
            at(),
            StaffCommand::DelegateApprovals {
                to: id,
                until: at() + chrono::Duration::days(1),
            },
        ))
        .then_expect_error(StaffError::SelfDelegation);
}

#[test]
fn an_ended_delegation_no_longer_counts() {
    let id = StaffId::new();
    let deputy = StaffId::new();
    let mut history = cxo_history(id);
    history.push(StaffEvent::ApprovalsDelegated {
        to: deputy,
        from: at(),
        until: at() + chrono::Duration::days(14),
    });
    let later = at() + chrono::Duration::days(2);
    StaffTest::with(())
        .given(history.clone())
        .when(Authored::new(
            cxo_actor(id),
            later,
            StaffCommand::EndDelegation { to: deputy },
        ))
        .then_expect_events(vec![StaffEvent::ApprovalDelegationEnded {
            to: deputy,
            at: later,
        }]);

    let mut staff = Staff::default();
    for e in history {
        staff.apply(e);
    }
    assert!(staff.delegation_to(deputy, later).is_some());
    staff.apply(StaffEvent::ApprovalDelegationEnded {
        to: deputy,
        at: later,
    });
    assert!(staff.delegation_to(deputy, later).is_none());
    assert!(
        staff.delegation_to(deputy, at()).is_some(),
        "the past stays as it was"
    );

    StaffTest::with(())
        .given(cxo_history(id))
        .when(Authored::new(
            cxo_actor(id),
            later,
            StaffCommand::EndDelegation { to: deputy },
        ))
        .then_expect_error(StaffError::NoSuchDelegation);
}
