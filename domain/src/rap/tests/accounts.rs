//! Named accounts on an Active RAP, and closing it with an outcome.

use super::*;
use crate::money::Currency;
use crate::rejection::Forbidden;

fn advance(d: &str, to: NamedAccountStatus) -> RapCommand {
    RapCommand::AdvanceNamedAccount {
        domain: domain(d),
        to,
    }
}

fn advanced(d: &str, from: NamedAccountStatus, to: NamedAccountStatus) -> RapEvent {
    RapEvent::NamedAccountAdvanced {
        domain: domain(d),
        from,
        to,
    }
}

/// Active, with northwind.example In Progress.
pub(super) fn northwind_in_progress(cast: &Cast) -> Vec<RapEvent> {
    let mut events = cast.active();
    events.push(advanced(
        "northwind.example",
        NamedAccountStatus::Identified,
        NamedAccountStatus::Qualified,
    ));
    events.push(advanced(
        "northwind.example",
        NamedAccountStatus::Qualified,
        NamedAccountStatus::InProgress,
    ));
    events
}

fn win(d: &str, arr: Money) -> RapCommand {
    RapCommand::WinNamedAccount {
        domain: domain(d),
        arr,
    }
}

#[test]
fn a_pam_advances_a_named_account_one_stage() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            advance("northwind.example", NamedAccountStatus::Qualified),
        ))
        .then_expect_events(vec![advanced(
            "northwind.example",
            NamedAccountStatus::Identified,
            NamedAccountStatus::Qualified,
        )]);
}

#[test]
fn a_named_account_does_not_skip_a_stage() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            advance("northwind.example", NamedAccountStatus::InProgress),
        ))
        .then_expect_error(RapError::NamedAccountOutOfOrder {
            from: NamedAccountStatus::Identified,
            to: NamedAccountStatus::InProgress,
        });
}

#[test]
fn a_named_account_does_not_move_back() {
    let cast = Cast::new();
    RapTest::with(())
        .given(northwind_in_progress(&cast))
        .when(Authored::new(
            cast.manager.clone(),
            t(LATER),
            advance("northwind.example", NamedAccountStatus::Qualified),
        ))
        .then_expect_error(RapError::NamedAccountOutOfOrder {
            from: NamedAccountStatus::InProgress,
            to: NamedAccountStatus::Qualified,
        });
}

#[test]
fn an_account_in_progress_is_won_with_its_arr() {
    let cast = Cast::new();
    RapTest::with(())
        .given(northwind_in_progress(&cast))
        .when(Authored::new(
            cast.cxo.clone(),
            t(LATER),
            win("northwind.example", usd(120_000)),
        ))
        .then_expect_events(vec![RapEvent::NamedAccountWon {
            domain: domain("northwind.example"),
            from: NamedAccountStatus::InProgress,
            arr: usd(120_000),
        }]);
}

#[test]
fn an_account_is_won_only_from_in_progress() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            win("northwind.example", usd(120_000)),
        ))
        .then_expect_error(RapError::NamedAccountOutOfOrder {
            from: NamedAccountStatus::Identified,
            to: NamedAccountStatus::Won,
        });
}

#[test]
fn a_won_account_has_a_positive_arr() {
    let cast = Cast::new();
    RapTest::with(())
        .given(northwind_in_progress(&cast))
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            win("northwind.example", usd(0)),
        ))
        .then_expect_error(RapError::WonArrNotPositive);
}

#[test]
fn won_arr_is_in_the_program_currency() {
    let cast = Cast::new();
    let gbp = Currency::parse("GBP").unwrap();
    RapTest::with(())
        .given(northwind_in_progress(&cast))
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            win("northwind.example", Money::new(100, gbp)),
        ))
        .then_expect_error(RapError::CurrencyMismatch {
            field: "arr",
            expected: Currency::USD,
            found: gbp,
        });
}

#[test]
fn a_named_account_is_lost_with_a_reason() {
    let cast = Cast::new();
    let why = reason("chose a competitor bundled with their EHR");
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            RapCommand::LoseNamedAccount {
                domain: domain("fabrikam.example"),
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![RapEvent::NamedAccountLost {
            domain: domain("fabrikam.example"),
            from: NamedAccountStatus::Identified,
            reason: why,
        }]);
}

#[test]
fn a_won_account_is_final() {
    let cast = Cast::new();
    let mut events = northwind_in_progress(&cast);
    events.push(RapEvent::NamedAccountWon {
        domain: domain("northwind.example"),
        from: NamedAccountStatus::InProgress,
        arr: usd(120_000),
    });
    RapTest::with(())
        .given(events)
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            RapCommand::LoseNamedAccount {
                domain: domain("northwind.example"),
                reason: reason("churned"),
            },
        ))
        .then_expect_error(RapError::NamedAccountClosed {
            domain: domain("northwind.example"),
            status: NamedAccountStatus::Won,
        });
}

#[test]
fn an_account_outside_the_rap_is_refused() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            advance("unknown.example", NamedAccountStatus::Qualified),
        ))
        .then_expect_error(RapError::UnknownNamedAccount(domain("unknown.example")));
}

#[test]
fn named_accounts_move_only_on_an_active_rap() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.manager_approved())
        .when(Authored::new(
            cast.pam.clone(),
            t(LATER),
            advance("northwind.example", NamedAccountStatus::Qualified),
        ))
        .then_expect_error(RapError::NotActive {
            status: RapStatus::ManagerApproved,
        });
}

#[test]
fn finance_does_not_track_named_accounts() {
    let cast = Cast::new();
    RapTest::with(())
        .given(cast.active())
        .when(Authored::new(
            staff(Role::Finance, None),
            t(LATER),
            advance("northwind.example", NamedAccountStatus::Qualified),
        ))
        .then_expect_error(RapError::Forbidden(Forbidden(
            "Finance may not rap.track-named-account".into(),
        )));
}
