//! Fund request properties.

use super::*;

fn request_id() -> FundRequestId {
    FundRequestId(Uuid::from_u128(300))
}

fn activity(i: u8) -> ActivityId {
    ActivityId(Uuid::from_u128(400 + u128::from(i)))
}

fn rap() -> RapFacts {
    RapFacts {
        rap_id: Uuid::from_u128(500),
        partner_id: partner(0).partner_id,
        active: true,
        named_account_domains: vec!["acme.com".into()],
        mdf: usd(24_000),
    }
}

fn money() -> impl Strategy<Value = (Money, Option<ExchangeRate>)> {
    prop_oneof![
        3 => (1..4_000i64).prop_map(|d| (usd(d), None)),
        1 => (1..4_000i64, any::<bool>()).prop_map(|(d, rate)| {
            (Money::new(d * 100, Currency::parse("EUR").unwrap()), rate.then(eur_rate))
        }),
    ]
}

fn claim_money() -> impl Strategy<Value = (Money, Option<ExchangeRate>)> {
    prop_oneof![
        3 => (1..1_500i64).prop_map(|d| (usd(d), None)),
        1 => money(),
    ]
}

fn activity_input() -> impl Strategy<Value = ActivityInput> {
    (0..3u8, 0..35i64, money()).prop_map(|(i, days, (requested, rate))| ActivityInput {
        activity_id: activity(i),
        description: reason(),
        starts_on: base().date_naive() + Duration::days(days),
        requested,
        rate,
    })
}

fn command() -> impl Strategy<Value = FundRequestCommand> {
    use FundRequestCommand as C;
    let id = 0..3u8;
    let closing = prop_oneof![
        Just(C::Return { reason: reason() }),
        Just(C::Reject { reason: reason() }),
        Just(C::Decline { reason: reason() }),
        Just(C::Withdraw { reason: reason() }),
    ];
    prop_oneof![
        1 => activity_input().prop_map(C::AddActivity),
        1 => id.clone().prop_map(|i| C::RemoveActivity { activity_id: activity(i) }),
        2 => (any::<bool>(), 0..12_000i64, any::<bool>()).prop_map(|(active, available, late)| {
            C::Submit {
                source: SourceFacts::Rap(RapFacts { active, ..rap() }),
                available: usd(available),
                late_reason: late.then(reason),
            }
        }),
        1 => closing,
        8 => (id.clone(), 1..2_500i64).prop_map(|(i, d)| C::ApproveActivity {
            activity_id: activity(i),
            amount: usd(d),
            on_behalf_of: None,
            comment: None,
        }),
        1 => id.clone().prop_map(|i| C::RejectActivity {
            activity_id: activity(i),
            on_behalf_of: None,
            reason: reason(),
        }),
        4 => (id.clone(), claim_money()).prop_map(|(i, (amount, rate))| C::SubmitClaim {
            activity_id: activity(i),
            amount,
            rate,
        }),
        3 => id.clone().prop_map(|i| C::SubmitProof { activity_id: activity(i), proof: reason() }),
        3 => id.clone().prop_map(|i| C::AcceptProof { activity_id: activity(i), comment: None }),
        1 => id.clone().prop_map(|i| C::RejectProof { activity_id: activity(i), reason: reason() }),
        4 => (0..3u8, prop::collection::vec((id, 1..1_200i64), 0..3)).prop_map(|(r, lines)| {
            C::RecordPayment {
                payment_reference: Name::parse(&format!("PAY-{r}")).unwrap(),
                settlements: lines
                    .into_iter()
                    .map(|(i, d)| Settlement { activity_id: activity(i), amount: usd(d) })
                    .collect(),
                rate: None,
            }
        }),
    ]
}

fn plausible(command: &FundRequestCommand) -> &'static [usize] {
    use FundRequestCommand as C;
    match command {
        C::ApproveActivity { .. }
        | C::RejectActivity { .. }
        | C::Return { .. }
        | C::Reject { .. }
        | C::Decline { .. } => &[1, 2],
        C::AcceptProof { .. } | C::RejectProof { .. } | C::RecordPayment { .. } => &[6],
        _ => &[0],
    }
}

/// The way through approval, claim, proof and payment for each activity, with random amounts
/// (so some steps are refused), by the people who would normally act.
fn happy_path() -> impl Strategy<Value = Vec<(Actor, FundRequestCommand)>> {
    use FundRequestCommand as C;
    prop::collection::vec((1..2_500i64, 1..2_500i64, 1..2_500i64), 3).prop_map(|amounts| {
        let people = cast();
        let (pam, manager, finance) = (&people[0], &people[1], &people[6]);
        let mut steps = Vec::new();
        for (i, (approve, _, _)) in amounts.iter().enumerate() {
            steps.push((
                manager.clone(),
                C::ApproveActivity {
                    activity_id: activity(i as u8),
                    amount: usd(*approve),
                    on_behalf_of: None,
                    comment: None,
                },
            ));
        }
        for (i, (_, claim, pay)) in amounts.iter().enumerate() {
            let activity_id = activity(i as u8);
            steps.push((
                pam.clone(),
                C::SubmitClaim {
                    activity_id,
                    amount: usd(*claim),
                    rate: None,
                },
            ));
            steps.push((
                pam.clone(),
                C::SubmitProof {
                    activity_id,
                    proof: reason(),
                },
            ));
            steps.push((
                finance.clone(),
                C::AcceptProof {
                    activity_id,
                    comment: None,
                },
            ));
            steps.push((
                finance.clone(),
                C::RecordPayment {
                    payment_reference: Name::parse(&format!("HAPPY-{i}")).unwrap(),
                    settlements: vec![Settlement {
                        activity_id,
                        amount: usd(*pay),
                    }],
                    rate: None,
                },
            ));
        }
        steps
    })
}

/// A drafted and submitted plan, then random steps (mostly by someone plausible) around the
/// happy path.
fn scenario() -> impl Strategy<Value = Vec<(Actor, Authored<FundRequestCommand>)>> {
    let step = || {
        prop::collection::vec(
            command().prop_flat_map(|c| (actor_among(plausible(&c)), Just(c))),
            0..20,
        )
    };
    (
        prop::collection::vec(activity_input(), 1..4),
        step(),
        happy_path(),
        step(),
    )
        .prop_map(|(plan, before, happy, after)| {
            let pam = cast()[0].clone();
            let draft = FundRequestCommand::Draft {
                request_id: request_id(),
                partner: partner(0),
                quarter: "FY26 Q2".parse().unwrap(),
                link: FundingLink::Rap {
                    rap_id: rap().rap_id,
                },
                title: Name::parse("Generated request").unwrap(),
                named_accounts: vec!["acme.com".into()],
            };
            let submit = FundRequestCommand::Submit {
                source: SourceFacts::Rap(rap()),
                available: usd(12_000),
                late_reason: Some(reason()),
            };
            let mut all = vec![(pam.clone(), draft)];
            all.extend(
                plan.into_iter()
                    .map(|a| (pam.clone(), FundRequestCommand::AddActivity(a))),
            );
            all.push((pam, submit));
            all.extend(before);
            all.extend(happy);
            all.extend(after);
            timed(all)
        })
}

proptest! {
    #[test]
    fn replaying_a_request_twice_gives_the_live_state(steps in scenario()) {
        let (live, events) = run::<FundRequest>(steps);
        prop_assert_eq!(&replay::<FundRequest>(&events), &live);
        prop_assert_eq!(replay::<FundRequest>(&events), replay::<FundRequest>(&events));
    }

    #[test]
    fn paid_never_exceeds_accepted_approved_or_requested(steps in scenario()) {
        let (live, _) = run::<FundRequest>(steps);
        let r = live.details.unwrap();
        prop_assert!(r.paid_total().minor <= r.accepted_total().minor);
        prop_assert!(r.accepted_total().minor <= r.approved_total().minor);
        prop_assert!(r.approved_total().minor <= r.requested_total().minor);
        for a in &r.activities {
            let approved = a.approved().map_or(0, |m| m.minor);
            prop_assert!(approved <= a.requested_program.minor);
            if let Some(c) = &a.claim {
                prop_assert!(c.amount_program.minor <= approved);
                prop_assert!(c.paid.minor <= c.accepted().map_or(0, |m| m.minor));
            }
        }
    }

    #[test]
    fn the_request_ledger_sums_to_zero_and_matches_the_state(steps in scenario()) {
        let (live, events) = run::<FundRequest>(steps);
        let r = live.details.unwrap();
        let b = balances(&request_ledger(&events));
        prop_assert_eq!(b.values().map(|m| m.minor).sum::<i64>(), 0);
        let get = |a: Account| b.get(&a).map_or(0, |m| m.minor);
        let id = r.request_id;
        let committed = if r.status == FundRequestStatus::Approved { r.approved_total().minor } else { 0 };
        prop_assert_eq!(get(Account::Paid { request_id: id }), r.paid_total().minor);
        prop_assert_eq!(get(Account::Payable { request_id: id }), r.accepted_total().minor - r.paid_total().minor);
        prop_assert_eq!(get(Account::Claimed { request_id: id }), r.claimed_total().minor - r.accepted_total().minor);
        prop_assert_eq!(get(Account::Committed { request_id: id }), committed - r.claimed_total().minor);
        let negative = b.iter().any(|(a, m)| !matches!(a, Account::Allocated { .. }) && m.minor < 0);
        prop_assert!(!negative);
    }
}
