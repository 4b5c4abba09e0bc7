//! Locking the next quarter's plan: carried-forward commitments, numbering, and what a plan may
//! not be.

use super::*;

fn lock(commitments: Vec<NewCommitment>) -> QarCommand {
    QarCommand::LockPlan {
        partner: partner(),
        commitments,
    }
}

#[test]
fn the_first_plan_numbers_its_commitments_from_one() {
    QarTest::with(())
        .given(qar1_open())
        .when(by(
            sarah(),
            t("2026-03-30T15:00:00Z"),
            lock(vec![
                new_commitment("run a joint webinar", "2026-05-15T00:00:00Z"),
                new_commitment("certify two engineers", "2026-06-01T00:00:00Z"),
            ]),
        ))
        .then_expect_events(vec![QarEvent::QarPlanLocked {
            number: 1,
            commitments: vec![
                Commitment {
                    owner: Name::parse("Sarah K. (ISV)").unwrap(),
                    ..commitment(1, "run a joint webinar", "2026-05-15T00:00:00Z")
                },
                Commitment {
                    owner: Name::parse("Sarah K. (ISV)").unwrap(),
                    ..commitment(2, "certify two engineers", "2026-06-01T00:00:00Z")
                },
            ],
        }]);
}

#[test]
fn deferred_commitments_are_carried_forward_first_keeping_number_and_owner() {
    QarTest::with(())
        .given(qar2_reviewed())
        .when(by(
            sarah(),
            during_qar2(),
            lock(vec![new_commitment(
                "co-sell two healthcare deals",
                "2026-09-15T00:00:00Z",
            )]),
        ))
        .then_expect_events(vec![QarEvent::QarPlanLocked {
            number: 2,
            commitments: vec![
                Commitment {
                    times_deferred: 1,
                    ..commitment(2, "certify two engineers", "2026-08-01T00:00:00Z")
                },
                Commitment {
                    owner: Name::parse("Sarah K. (ISV)").unwrap(),
                    ..commitment(4, "co-sell two healthcare deals", "2026-09-15T00:00:00Z")
                },
            ],
        }]);
}

#[test]
fn a_plan_of_only_carried_forward_commitments_may_be_locked() {
    QarTest::with(())
        .given(qar2_reviewed())
        .when(by(sarah(), during_qar2(), lock(vec![])))
        .then_expect_events(vec![QarEvent::QarPlanLocked {
            number: 2,
            commitments: vec![Commitment {
                times_deferred: 1,
                ..commitment(2, "certify two engineers", "2026-08-01T00:00:00Z")
            }],
        }]);
}

#[test]
fn an_empty_plan_with_nothing_carried_forward_is_refused() {
    QarTest::with(())
        .given(qar1_open())
        .when(by(sarah(), t("2026-03-30T15:00:00Z"), lock(vec![])))
        .then_expect_error(QarError::EmptyPlan);
}

#[test]
fn a_plan_waits_until_every_commitment_is_reviewed() {
    let mut history = qar2_open();
    history.push(reviewed(2, Outcome::Missed));
    QarTest::with(())
        .given(history)
        .when(by(
            sarah(),
            during_qar2(),
            lock(vec![new_commitment("x", "2026-09-01T00:00:00Z")]),
        ))
        .then_expect_error(QarError::UnreviewedCommitments(vec![
            CommitmentId(1),
            CommitmentId(3),
        ]));
}

#[test]
fn a_commitment_due_before_the_qar_is_refused() {
    QarTest::with(())
        .given(qar2_reviewed())
        .when(by(
            sarah(),
            during_qar2(),
            lock(vec![new_commitment("late already", "2026-06-26T10:00:00Z")]),
        ))
        .then_expect_error(QarError::DueDateInPast {
            field: "commitments",
            due_at: t("2026-06-26T10:00:00Z"),
        });
}

#[test]
fn a_locked_plan_cannot_change() {
    let mut history = qar1_open();
    history.push(QarEvent::QarPlanLocked {
        number: 1,
        commitments: first_plan(),
    });
    QarTest::with(())
        .given(history)
        .when(by(
            staff(Role::Cxo, None),
            t("2026-03-31T15:00:00Z"),
            lock(vec![new_commitment("one more", "2026-06-01T00:00:00Z")]),
        ))
        .then_expect_error(QarError::PlanAlreadyLocked { number: 1 });
}

#[test]
fn a_plan_is_locked_only_in_an_open_qar() {
    QarTest::with(())
        .given(vec![scheduled()])
        .when(by(
            sarah(),
            assigned_at(),
            lock(vec![new_commitment("x", "2026-06-01T00:00:00Z")]),
        ))
        .then_expect_error(QarError::NotOpen { number: 1 });
}
