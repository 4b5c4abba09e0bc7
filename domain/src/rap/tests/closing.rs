//! Closing an Active RAP with its outcome.

use super::accounts::northwind_in_progress;
use super::*;
use crate::rejection::Forbidden;

fn close() -> RapCommand {
    RapCommand::Close {
        outcome: RapOutcome::Partial,
        note: reason("one of three logos won; two slipped to Q3"),
    }
}

#[test]
fn a_manager_closes_an_active_rap_with_its_outcome_and_the_arr_won() {
    let cast = Cast::new();
    let mut events = northwind_in_progress(&cast);
    events.push(RapEvent::NamedAccountWon {
        domain: domain("northwind.example"),
        from: NamedAccountStatus::InProgress,
        arr: usd(120_000),
    });
    RapTest::with(())
        .given(events)
        .when(Authored::new(cast.manager.clone(), t(LATER), close()))
        .then_expect_events(vec![RapEvent::RapClosed {
            outcome: RapOutcome::Partial,
            note: reason("one of three logos won; two slipped to Q3"),
            arr_won: usd(120_000),
            closed_at: t(LATER),
        }]);
}

#[test]
fn a_pam_does_not_close_a_rap() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(cast.pam.clone(), t(LATER), close()))
        .then_expect_error(RapError::Forbidden(Forbidden(
            "PAM of Southeast may not rap.close".into(),
        )));
}

#[test]
fn a_rap_with_an_amendment_pending_is_not_closed() {
    let cast = Cast::new();
    let mut events = cast.active();
    events.push(RapEvent::RapAmendmentProposed {
        submission: cast.submission(LATER),
        terms: RapTerms {
            arr_target: usd(1),
            ..ironclad_terms()
        },
        reason: reason("lower the target"),
    });
    RapTest::with(())
        .given(events)
        .when(Authored::new(cast.cxo.clone(), t(LATER), close()))
        .then_expect_error(RapError::AmendmentPending);
}

#[test]
fn a_closed_rap_accepts_nothing_more() {
    let cast = Cast::new();
    let mut events = cast.active();
    events.push(RapEvent::RapClosed {
        outcome: RapOutcome::Missed,
        note: reason("partner reorganised"),
        arr_won: usd(0),
        closed_at: t(LATER),
    });
    RapTest::with(())
        .given(events)
        .when(Authored::new(cast.cxo.clone(), t(LATER), close()))
        .then_expect_error(RapError::NotActive {
            status: RapStatus::Closed,
        });
}
