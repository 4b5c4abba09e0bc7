use super::*;
use crate::mdf::error::MdfError;
use crate::mdf::test_support::*;
use crate::money::Currency;
use crate::rejection::{Forbidden, Rejection, RejectionKind};

#[test]
fn a_cxo_sets_the_quarter_budget() {
    BudgetTest::with(())
        .given_no_previous_events()
        .when(when(
            cxo(),
            ProgramBudgetCommand::SetBudget {
                quarter: q2(),
                amount: usd(100_000),
            },
        ))
        .then_expect_events(vec![budget_set(100_000)]);
}

#[test]
fn finance_may_set_the_budget_too() {
    BudgetTest::with(())
        .given_no_previous_events()
        .when(when(
            finance(),
            ProgramBudgetCommand::SetBudget {
                quarter: q2(),
                amount: usd(1),
            },
        ))
        .then_expect_events(vec![budget_set(1)]);
}

#[test]
fn a_manager_cannot_set_the_budget() {
    BudgetTest::with(())
        .given_no_previous_events()
        .when(when(
            manager(),
            ProgramBudgetCommand::SetBudget {
                quarter: q2(),
                amount: usd(1),
            },
        ))
        .then_expect_error(MdfError::Forbidden(Forbidden(
            "Manager of Southeast may not mdf.budget.set".into(),
        )));
}

#[test]
fn the_budget_is_set_once() {
    BudgetTest::with(())
        .given(vec![budget_set(100)])
        .when(when(
            cxo(),
            ProgramBudgetCommand::SetBudget {
                quarter: q2(),
                amount: usd(1),
            },
        ))
        .then_expect_error(MdfError::BudgetAlreadySet);
}

#[test]
fn a_budget_in_another_currency_is_refused() {
    let eur = Money::new(100, Currency::parse("EUR").unwrap());
    let err = BudgetTest::with(())
        .given_no_previous_events()
        .when(when(
            cxo(),
            ProgramBudgetCommand::SetBudget {
                quarter: q2(),
                amount: eur,
            },
        ))
        .inspect_result()
        .unwrap_err();
    assert_eq!(err.kind(), RejectionKind::Invalid { field: "amount" });
}

#[test]
fn a_zero_budget_is_refused() {
    BudgetTest::with(())
        .given_no_previous_events()
        .when(when(
            cxo(),
            ProgramBudgetCommand::SetBudget {
                quarter: q2(),
                amount: usd(0),
            },
        ))
        .then_expect_error(MdfError::NotPositive { field: "amount" });
}

#[test]
fn a_cxo_raises_the_budget_with_a_reason() {
    let why = reason("Q2 pipeline push");
    BudgetTest::with(())
        .given(vec![budget_set(100_000)])
        .when(when(
            cxo(),
            ProgramBudgetCommand::RaiseBudget {
                by: usd(20_000),
                reason: why.clone(),
            },
        ))
        .then_expect_events(vec![ProgramBudgetEvent::BudgetRaised {
            by: usd(20_000),
            to: usd(120_000),
            reason: why,
        }]);
}

#[test]
fn raising_a_budget_never_set_is_refused() {
    BudgetTest::with(())
        .given_no_previous_events()
        .when(when(
            cxo(),
            ProgramBudgetCommand::RaiseBudget {
                by: usd(1),
                reason: reason("more"),
            },
        ))
        .then_expect_error(MdfError::BudgetNotSet);
}

#[test]
fn a_manager_of_the_territory_allocates_within_the_tier_cap() {
    let id = AllocationId::new();
    BudgetTest::with(())
        .given(vec![
            budget_set(100_000),
            granted(AllocationId::new(), &gold(), 3_000),
        ])
        .when(when(manager(), allocate(id, gold(), 2_000)))
        .then_expect_events(vec![granted(id, &gold(), 2_000)]);
}

#[test]
fn an_allocation_over_the_tier_cap_is_refused_without_an_exemption() {
    let err = BudgetTest::with(())
        .given(vec![
            budget_set(100_000),
            granted(AllocationId::new(), &gold(), 4_000),
        ])
        .when(when(
            manager(),
            allocate(AllocationId::new(), gold(), 2_000),
        ))
        .inspect_result()
        .unwrap_err();
    assert_eq!(
        err,
        MdfError::OverTierCap {
            cap: usd(5_000),
            allocated: usd(4_000)
        }
    );
    assert_eq!(err.kind(), RejectionKind::Invalid { field: "amount" });
    assert_eq!(err.code(), "over-tier-cap");
}

#[test]
fn a_registered_partner_gets_nothing_without_an_exemption() {
    BudgetTest::with(())
        .given(vec![budget_set(100_000)])
        .when(when(
            cxo(),
            allocate(
                AllocationId::new(),
                partner("Bridgeline Co.", Tier::Registered),
                1,
            ),
        ))
        .then_expect_error(MdfError::OverTierCap {
            cap: usd(0),
            allocated: usd(0),
        });
}

#[test]
fn an_allocation_over_the_budget_is_refused() {
    BudgetTest::with(())
        .given(vec![budget_set(1_000)])
        .when(when(
            manager(),
            allocate(AllocationId::new(), gold(), 2_000),
        ))
        .then_expect_error(MdfError::OverBudget {
            available: usd(1_000),
        });
}

#[test]
fn allocating_before_the_budget_is_set_is_refused() {
    BudgetTest::with(())
        .given_no_previous_events()
        .when(when(manager(), allocate(AllocationId::new(), gold(), 1)))
        .then_expect_error(MdfError::BudgetNotSet);
}

#[test]
fn a_manager_of_another_territory_cannot_allocate() {
    BudgetTest::with(())
        .given(vec![budget_set(100_000)])
        .when(when(other_manager(), allocate(AllocationId::new(), gold(), 1)))
        .then_expect_error(MdfError::Forbidden(Forbidden(
            "Manager of Mid-Atlantic may not mdf.allocate in Southeast: it is outside their territory".into(),
        )));
}

#[test]
fn a_pam_cannot_allocate() {
    BudgetTest::with(())
        .given(vec![budget_set(100_000)])
        .when(when(pam(), allocate(AllocationId::new(), gold(), 1)))
        .then_expect_error(MdfError::Forbidden(Forbidden(
            "PAM of Southeast may not mdf.allocate".into(),
        )));
}

#[test]
fn an_offboarded_partner_gets_no_allocation() {
    let mut p = gold();
    p.offboarded = true;
    BudgetTest::with(())
        .given(vec![budget_set(100_000)])
        .when(when(cxo(), allocate(AllocationId::new(), p, 1)))
        .then_expect_error(MdfError::PartnerOffboarded);
}

#[test]
fn an_allocation_id_is_used_once() {
    let id = AllocationId::new();
    BudgetTest::with(())
        .given(vec![budget_set(100_000), granted(id, &gold(), 1)])
        .when(when(cxo(), allocate(id, gold(), 1)))
        .then_expect_error(MdfError::AllocationExists);
}
