//! Reviewing the previous plan's commitments and recording the discussion.

use super::*;

fn review(id: u32, outcome: Outcome) -> QarCommand {
    QarCommand::ReviewCommitment {
        partner: partner(),
        commitment_id: CommitmentId(id),
        outcome,
        note: note("as discussed"),
    }
}

#[test]
fn each_commitment_is_reviewed_delivered_deferred_or_missed_with_a_note() {
    for (id, outcome) in [
        (1, Outcome::Delivered),
        (2, deferred_to("2026-08-01T00:00:00Z")),
        (3, Outcome::Missed),
    ] {
        QarTest::with(())
            .given(qar2_open())
            .when(by(sarah(), during_qar2(), review(id, outcome)))
            .then_expect_events(vec![reviewed(id, outcome)]);
    }
}

#[test]
fn a_review_needs_the_qar_to_be_open() {
    QarTest::with(())
        .given(qar1_done())
        .when(by(sarah(), during_qar2(), review(1, Outcome::Delivered)))
        .then_expect_error(QarError::NotOpen { number: 2 });
}

#[test]
fn reviewing_a_commitment_outside_the_plan_is_refused() {
    QarTest::with(())
        .given(qar2_open())
        .when(by(sarah(), during_qar2(), review(9, Outcome::Delivered)))
        .then_expect_error(QarError::UnknownCommitment(CommitmentId(9)));
}

#[test]
fn a_commitment_is_reviewed_only_once() {
    let mut history = qar2_open();
    history.push(reviewed(1, Outcome::Delivered));
    QarTest::with(())
        .given(history)
        .when(by(sarah(), during_qar2(), review(1, Outcome::Missed)))
        .then_expect_error(QarError::AlreadyReviewed(CommitmentId(1)));
}

#[test]
fn a_deferral_must_be_due_after_the_qar() {
    QarTest::with(())
        .given(qar2_open())
        .when(by(
            sarah(),
            during_qar2(),
            review(2, deferred_to("2026-06-01T00:00:00Z")),
        ))
        .then_expect_error(QarError::DueDateInPast {
            field: "new_due_at",
            due_at: t("2026-06-01T00:00:00Z"),
        });
}

#[test]
fn the_discussion_records_what_was_discussed_agreed_and_why() {
    QarTest::with(())
        .given(qar2_open())
        .when(by(
            staff(Role::Manager, Some("Southeast")),
            during_qar2(),
            QarCommand::RecordDiscussion {
                partner: partner(),
                discussion: discussion(),
            },
        ))
        .then_expect_events(vec![QarEvent::QarDiscussionRecorded {
            number: 2,
            discussion: discussion(),
        }]);
}

#[test]
fn nothing_is_recorded_in_a_qar_that_is_not_open() {
    QarTest::with(())
        .given(vec![scheduled()])
        .when(by(
            sarah(),
            assigned_at(),
            QarCommand::RecordDiscussion {
                partner: partner(),
                discussion: discussion(),
            },
        ))
        .then_expect_error(QarError::NotOpen { number: 1 });
    QarTest::with(())
        .given_no_previous_events()
        .when(by(sarah(), assigned_at(), review(1, Outcome::Missed)))
        .then_expect_error(QarError::NotScheduled);
}
