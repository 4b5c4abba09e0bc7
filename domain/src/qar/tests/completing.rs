//! Completing a QAR: what must be done first, and the next QAR it schedules.

use super::*;

fn complete() -> QarCommand {
    QarCommand::Complete { partner: partner() }
}

fn qar2_ready() -> Vec<QarEvent> {
    let mut events = qar2_reviewed();
    events.extend([
        QarEvent::QarDiscussionRecorded {
            number: 2,
            discussion: discussion(),
        },
        QarEvent::QarPlanLocked {
            number: 2,
            commitments: vec![Commitment {
                times_deferred: 1,
                ..commitment(2, "certify two engineers", "2026-08-01T00:00:00Z")
            }],
        },
    ]);
    events
}

#[test]
fn completing_a_qar_counts_its_outcomes_and_schedules_the_next_90_days_later() {
    QarTest::with(())
        .given(qar2_ready())
        .when(by(sarah(), during_qar2(), complete()))
        .then_expect_events(vec![QarEvent::QarCompleted {
            number: 2,
            completed_at: during_qar2(),
            outcomes: OutcomeCounts {
                delivered: 1,
                deferred: 1,
                missed: 1,
            },
            next_due_at: t("2026-09-24T10:00:00Z"),
        }]);
}

#[test]
fn the_completed_qar_joins_the_history_and_its_plan_is_reviewed_next() {
    let mut events = qar2_ready();
    events.push(QarEvent::QarCompleted {
        number: 2,
        completed_at: during_qar2(),
        outcomes: OutcomeCounts {
            delivered: 1,
            deferred: 1,
            missed: 1,
        },
        next_due_at: t("2026-09-24T10:00:00Z"),
    });
    let series = fold(events);
    assert_eq!(series.due_at(), Some(t("2026-09-24T10:00:00Z")));
    assert_eq!(series.history().len(), 2);
    let last = &series.history()[1];
    assert_eq!((last.number, last.commitments_locked), (2, 1));
    assert_eq!(last.outcomes.deferred, 1);
    assert_eq!(last.discussion, Some(discussion()));
    assert_eq!(series.plan_under_review[0].id, CommitmentId(2));
    assert_eq!(series.current.as_ref().unwrap().number, 3);
}

#[test]
fn a_qar_with_unreviewed_commitments_cannot_complete() {
    let mut history = qar2_open();
    history.extend([
        reviewed(1, Outcome::Delivered),
        QarEvent::QarDiscussionRecorded {
            number: 2,
            discussion: discussion(),
        },
    ]);
    QarTest::with(())
        .given(history)
        .when(by(sarah(), during_qar2(), complete()))
        .then_expect_error(QarError::UnreviewedCommitments(vec![
            CommitmentId(2),
            CommitmentId(3),
        ]));
}

#[test]
fn a_qar_without_its_discussion_cannot_complete() {
    QarTest::with(())
        .given(qar2_reviewed())
        .when(by(sarah(), during_qar2(), complete()))
        .then_expect_error(QarError::DiscussionNotRecorded);
}

#[test]
fn a_qar_without_a_locked_plan_cannot_complete() {
    let mut history = qar2_reviewed();
    history.push(QarEvent::QarDiscussionRecorded {
        number: 2,
        discussion: discussion(),
    });
    QarTest::with(())
        .given(history)
        .when(by(sarah(), during_qar2(), complete()))
        .then_expect_error(QarError::PlanNotLocked);
}

#[test]
fn a_qar_that_is_not_open_cannot_complete() {
    QarTest::with(())
        .given(qar1_done())
        .when(by(sarah(), during_qar2(), complete()))
        .then_expect_error(QarError::NotOpen { number: 2 });
}
