//! The MDF ledger over HTTP: exemptions signed by the territory's Manager then a CxO, the full
//! chain budget → allocation → fund request → approval → claim → proof → payment, the refusals
//! on the way, and the double-entry ledger that proves it (SQLite in-process; one PostgreSQL
//! smoke run).

use channel_ledger_domain::partner::Partner;
use channel_ledger_domain::rap::{Rap, RapCommand, RapId, RapTerms};
use channel_ledger_domain::staff::{Staff, StaffCommand};
use channel_ledger_domain::{
    approval::ApprovalStep, Actor, Authored, EffectiveTime, EventMetadata, Role, StaffId, Territory,
};
use channel_ledger_server::directory::aggregate_as_of;
use channel_ledger_tests::http::{Cast, Staffer, TestApp, SOUTHEAST};
use channel_ledger_tests::mdf::{day, register, set_budget, setup, t0, usd, Q};
use chrono::Duration;
use cqrs_es::CqrsFramework;
use serde_json::json;

#[tokio::test]
async fn novatech_exemption_is_approved_by_its_manager_and_waits_for_the_cxo() {
    let app = TestApp::sqlite().await;
    let (cast, other_manager) = setup(&app).await;
    let novatech = register(&app, &cast.pam, "NovaTech Inc.", None).await;
    set_budget(&app, &cast, 100_000).await;

    // A Registered partner has no cap: a plain allocation is over it.
    let head = app.head().await;
    let over = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/allocations"),
            Some(&cast.manager.token),
            &json!({"partner_id": novatech, "amount": usd(12_000)}),
        )
        .await;
    assert_eq!(over.problem(422).as_deref(), Some("amount"));
    assert_eq!(over.code(), "over-tier-cap");
    assert_eq!(app.head().await, head);

    let requested = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/exemptions"),
            Some(&cast.pam.token),
            &json!({"partner_id": novatech, "amount": usd(12_000),
                    "justification": "launch campaign for three net-new healthcare logos"}),
        )
        .await;
    assert_eq!(requested.status, 201, "{}", requested.text);
    assert_eq!(
        requested.body["events"][0]["event_type"],
        "MdfExemptionRequested"
    );
    let allocation = requested.body["allocation_id"].as_str().unwrap().to_owned();
    let approve = format!("/api/v1/mdf/budgets/{Q}/allocations/{allocation}/approve");

    let head = app.head().await;
    let wrong_territory = app
        .post(&approve, Some(&other_manager.token), &json!({}))
        .await;
    wrong_territory.problem(403);
    assert_eq!(wrong_territory.code(), "approver-outside-territory");
    let own = app.post(&approve, Some(&cast.pam.token), &json!({})).await;
    own.problem(403);
    assert_eq!(own.code(), "self-approval");
    let no_delegation = app
        .post(
            &approve,
            Some(&cast.cxo.token),
            &json!({"on_behalf_of": cast.manager.id}),
        )
        .await;
    no_delegation.problem(403);
    assert_eq!(no_delegation.code(), "no-delegation");
    assert_eq!(app.head().await, head);

    app.set_now(Some(t0() + Duration::hours(3)));
    let signed = app
        .post(
            &approve,
            Some(&cast.manager.token),
            &json!({"comment": "worth it: three named healthcare accounts"}),
        )
        .await;
    assert_eq!(signed.status, 200, "{}", signed.text);
    assert_eq!(
        signed.body["events"][0]["event_type"],
        "MdfExemptionApprovedByManager"
    );
    let twice = app
        .post(&approve, Some(&cast.manager.token), &json!({}))
        .await;
    twice.problem(403);
    assert_eq!(twice.code(), "same-approver-twice");

    let budget = app
        .get(&format!("/api/v1/mdf/budgets/{Q}"), Some(&cast.cxo.token))
        .await;
    assert_eq!(budget.status, 200, "{}", budget.text);
    let pending = &budget.body["pending_exemptions"][0];
    assert_eq!(pending["partner"]["name"], "NovaTech Inc.");
    assert_eq!(pending["amount"], usd(12_000));
    assert_eq!(pending["awaiting"], "CxO");
    assert_eq!(pending["due_at"], "2026-04-13T12:00:00Z");
    assert_eq!(pending["overdue"], false);
    assert_eq!(
        pending["approvals"][0]["approver"]["staff_id"],
        cast.manager.id.as_str()
    );
    assert_eq!(pending["approvals"][0]["waited_seconds"], 3 * 3600);
    assert_eq!(budget.body["allocations"][0]["status"], "AwaitingCxO");
    assert_eq!(budget.body["pending_total"], usd(12_000));
    assert_eq!(budget.body["unallocated"], usd(88_000));

    // A week later the CxO's step is late; the other territory does not see it at all.
    app.set_now(Some(t0() + Duration::days(8)));
    let late = app
        .get(
            &format!("/api/v1/mdf/budgets/{Q}"),
            Some(&cast.manager.token),
        )
        .await;
    assert_eq!(late.body["pending_exemptions"][0]["overdue"], true);
    let elsewhere = app
        .get(
            &format!("/api/v1/mdf/budgets/{Q}"),
            Some(&other_manager.token),
        )
        .await;
    assert_eq!(elsewhere.status, 200);
    assert_eq!(elsewhere.body["pending_exemptions"], json!([]));
}

#[tokio::test]
async fn a_manager_cannot_approve_an_exemption_they_requested() {
    let app = TestApp::sqlite().await;
    let (cast, _) = setup(&app).await;
    let partner = register(&app, &cast.pam, "NovaTech Inc.", None).await;
    set_budget(&app, &cast, 50_000).await;
    let requested = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/exemptions"),
            Some(&cast.manager.token),
            &json!({"partner_id": partner, "amount": usd(12_000), "justification": "strategic"}),
        )
        .await;
    assert_eq!(requested.status, 201, "{}", requested.text);
    let allocation = requested.body["allocation_id"].as_str().unwrap();
    let own = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/allocations/{allocation}/approve"),
            Some(&cast.manager.token),
            &json!({}),
        )
        .await;
    own.problem(403);
    assert_eq!(own.code(), "self-approval");
}

#[tokio::test]
async fn a_delegate_signs_the_cxo_step_and_the_record_keeps_the_principal() {
    let app = TestApp::sqlite().await;
    let (cast, _) = setup(&app).await;
    let novatech = register(&app, &cast.pam, "NovaTech Inc.", None).await;
    set_budget(&app, &cast, 100_000).await;
    let requested = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/exemptions"),
            Some(&cast.pam.token),
            &json!({"partner_id": novatech, "amount": usd(12_000), "justification": "launch"}),
        )
        .await;
    let allocation = requested.body["allocation_id"].as_str().unwrap().to_owned();
    let approve = format!("/api/v1/mdf/budgets/{Q}/allocations/{allocation}/approve");
    let signed = app
        .post(&approve, Some(&cast.manager.token), &json!({}))
        .await;
    assert_eq!(signed.status, 200, "{}", signed.text);

    // The CxO delegates their approvals to Finance for a fortnight, straight through the store.
    let cxo = actor(&cast.cxo, "Dana C.", Role::Cxo, None);
    let delegate = StaffCommand::DelegateApprovals {
        to: StaffId(cast.finance.id.parse().unwrap()),
        until: t0() + Duration::days(14),
    };
    let when = EffectiveTime::new(Some(t0()), None, t0()).unwrap();
    let meta = EventMetadata::new(&cxo, &when, "test setup").to_map();
    CqrsFramework::new(app.ledger.event_store::<Staff>(), vec![], ())
        .execute_with_metadata(&cast.cxo.id, Authored::new(cxo, t0(), delegate), meta)
        .await
        .unwrap();

    app.set_now(Some(t0() + Duration::days(1)));
    let by_delegate = app
        .post(
            &approve,
            Some(&cast.finance.token),
            &json!({"on_behalf_of": cast.cxo.id, "comment": "as agreed with Dana"}),
        )
        .await;
    assert_eq!(by_delegate.status, 200, "{}", by_delegate.text);
    let budget = app
        .get(&format!("/api/v1/mdf/budgets/{Q}"), Some(&cast.cxo.token))
        .await;
    let allocation = &budget.body["allocations"][0];
    assert_eq!(allocation["status"], "Approved");
    let record = &allocation["exemption"]["approvals"][1];
    assert_eq!(record["step"], "CxO");
    assert_eq!(record["approver"]["staff_id"], cast.finance.id.as_str());
    assert_eq!(record["on_behalf_of"]["staff_id"], cast.cxo.id.as_str());
    assert_eq!(budget.body["pending_exemptions"], json!([]));
    let available = budget.body["balances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["account"]["account"] == "Allocated")
        .unwrap();
    assert_eq!(available["balance"], usd(12_000));
}

fn actor(s: &Staffer, name: &str, role: Role, territory: Option<&str>) -> Actor {
    Actor {
        staff_id: StaffId(s.id.parse().unwrap()),
        name: name.to_owned(),
        role,
        territory: territory.map(|t| Territory::parse(t).unwrap()),
    }
}

/// Drafts, submits and activates a RAP for the partner straight through the store.
async fn active_rap(app: &TestApp, cast: &Cast, partner_id: &str) -> String {
    let at = t0();
    let pam = actor(&cast.pam, "Sarah K.", Role::Pam, Some(SOUTHEAST));
    let manager = actor(&cast.manager, "Priya M.", Role::Manager, Some(SOUTHEAST));
    let cxo = actor(&cast.cxo, "Dana C.", Role::Cxo, None);
    let partner: Partner = aggregate_as_of(&app.ledger, partner_id, at).await.unwrap();
    let partner = partner.facts().unwrap();
    let terms: RapTerms = serde_json::from_value(json!({
        "named_accounts": [{"name": "Acme Health", "domain": "acmehealth.com"}],
        "mdf": usd(4_000), "partner_contribution": usd(4_000),
        "arr_target": usd(60_000), "partner_expected_revenue": usd(20_000),
        "mdf_exemption": null,
    }))
    .unwrap();
    let rap_id = RapId::new();
    let cqrs = CqrsFramework::new(app.ledger.event_store::<Rap>(), vec![], ());
    let when = EffectiveTime::new(Some(at), None, at).unwrap();
    let commands = [
        (
            pam.clone(),
            RapCommand::Draft {
                rap_id,
                partner: partner.clone(),
                period: "FY26 Q2".parse().unwrap(),
                terms,
            },
        ),
        (pam, RapCommand::Submit { partner }),
        (
            manager,
            RapCommand::Approve {
                step: ApprovalStep::Manager,
                on_behalf_of: None,
                comment: None,
            },
        ),
        (
            cxo,
            RapCommand::Approve {
                step: ApprovalStep::Cxo,
                on_behalf_of: None,
                comment: None,
            },
        ),
    ];
    for (actor, command) in commands {
        let meta = EventMetadata::new(&actor, &when, "test setup").to_map();
        cqrs.execute_with_metadata(&rap_id.to_string(), Authored::new(actor, at, command), meta)
            .await
            .unwrap();
    }
    rap_id.to_string()
}

#[tokio::test]
async fn a_fund_request_runs_from_budget_to_payment_and_the_ledger_balances() {
    let app = TestApp::sqlite().await;
    let (cast, _) = setup(&app).await;
    let ironclad = register(&app, &cast.pam, "Ironclad MSP", Some("Gold")).await;
    let rap = active_rap(&app, &cast, &ironclad).await;
    set_budget(&app, &cast, 50_000).await;

    // Gold's cap is $5,000 a quarter.
    let allocated = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/allocations"),
            Some(&cast.manager.token),
            &json!({"partner_id": ironclad, "amount": usd(5_000)}),
        )
        .await;
    assert_eq!(allocated.status, 201, "{}", allocated.text);

    let drafted = app
        .post(
            "/api/v1/mdf/fund-requests",
            Some(&cast.pam.token),
            &json!({"partner_id": ironclad, "quarter": "FY26 Q2", "rap_id": rap,
                    "title": "Healthcare security roadshow", "named_accounts": ["AcmeHealth.com"]}),
        )
        .await;
    assert_eq!(drafted.status, 201, "{}", drafted.text);
    let id = drafted.body["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/mdf/fund-requests/{id}");
    let add = |description: &str, starts_in: i64, dollars: i64| json!({"description": description, "starts_on": day(t0(), starts_in), "requested": usd(dollars)});
    let roadshow = app
        .post(
            &format!("{base}/activities"),
            Some(&cast.pam.token),
            &add("Roadshow in Atlanta", 45, 3_000),
        )
        .await;
    assert_eq!(roadshow.status, 201, "{}", roadshow.text);
    let roadshow = roadshow.body["activity_id"].as_str().unwrap().to_owned();
    let webinar = app
        .post(
            &format!("{base}/activities"),
            Some(&cast.pam.token),
            &add("Webinar", 14, 500),
        )
        .await;
    let webinar = webinar.body["activity_id"].as_str().unwrap().to_owned();

    let late = app
        .post(&format!("{base}/submit"), Some(&cast.pam.token), &json!({}))
        .await;
    assert_eq!(late.problem(422).as_deref(), Some("late_reason"));
    assert_eq!(late.code(), "activity-plan-too-late");
    let removed = app
        .post(
            &format!("{base}/activities/{webinar}/remove"),
            Some(&cast.pam.token),
            &json!({}),
        )
        .await;
    assert_eq!(removed.status, 200, "{}", removed.text);
    let submitted = app
        .post(&format!("{base}/submit"), Some(&cast.pam.token), &json!({}))
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);

    let approved = app
        .post(
            &format!("{base}/activities/{roadshow}/approve"),
            Some(&cast.manager.token),
            &json!({"amount": usd(2_500), "comment": "venue costs capped"}),
        )
        .await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    let types: Vec<&str> = approved.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["MdfActivityApproved", "MdfFundRequestApproved"]);

    let claim = format!("{base}/activities/{roadshow}/claim");
    let above = app
        .post(
            &claim,
            Some(&cast.pam.token),
            &json!({"amount": usd(2_800)}),
        )
        .await;
    assert_eq!(above.problem(422).as_deref(), Some("amount"));
    assert_eq!(above.code(), "claim-above-approved");
    let claimed = app
        .post(
            &claim,
            Some(&cast.pam.token),
            &json!({"amount": usd(2_400)}),
        )
        .await;
    assert_eq!(claimed.status, 200, "{}", claimed.text);

    let payments = format!("{base}/payments");
    let payment = json!({"payment_reference": "ACH-2026-0611",
                         "settlements": [{"activity_id": roadshow, "amount": usd(2_400)}]});
    let unaccepted = app
        .post(&payments, Some(&cast.finance.token), &payment)
        .await;
    unaccepted.problem(409);
    assert_eq!(unaccepted.code(), "claim-not-accepted");

    // After the roadshow: proof, review, payment.
    app.set_now(Some(t0() + Duration::days(50)));
    let proof = app
        .post(
            &format!("{base}/activities/{roadshow}/proof"),
            Some(&cast.pam.token),
            &json!({"proof": "attendee list and invoices: https://files.example/roadshow"}),
        )
        .await;
    assert_eq!(proof.status, 200, "{}", proof.text);
    let accepted = app
        .post(
            &format!("{base}/activities/{roadshow}/proof/accept"),
            Some(&cast.manager.token),
            &json!({"comment": "42 attendees from named accounts"}),
        )
        .await;
    assert_eq!(accepted.status, 200, "{}", accepted.text);
    let by_manager = app
        .post(&payments, Some(&cast.manager.token), &payment)
        .await;
    by_manager.problem(403);
    let paid = app
        .post(&payments, Some(&cast.finance.token), &payment)
        .await;
    assert_eq!(paid.status, 200, "{}", paid.text);
    assert_eq!(paid.body["events"][0]["event_type"], "MdfPaymentRecorded");

    let view = app.get(&base, Some(&cast.pam.token)).await;
    assert_eq!(view.status, 200, "{}", view.text);
    assert_eq!(view.body["status"], "Approved");
    let totals = &view.body["totals"];
    let minor = |k: &str| totals[k]["minor"].as_i64().unwrap();
    assert_eq!(
        [
            minor("requested"),
            minor("approved"),
            minor("accepted"),
            minor("paid")
        ],
        [300_000, 250_000, 240_000, 240_000]
    );
    assert!(minor("paid") <= minor("accepted"));
    assert!(minor("accepted") <= minor("approved") && minor("approved") <= minor("requested"));
    let activity = &view.body["activities"][0];
    assert_eq!(activity["decision"]["Approved"]["amount"], usd(2_500));
    assert_eq!(activity["claim"]["status"], "Paid");
    assert_eq!(
        view.body["approvals"][0]["approver"]["staff_id"],
        cast.manager.id.as_str()
    );
    assert_eq!(view.body["reimbursements_due"], json!([]));

    let ledger = app
        .get(
            &format!("/api/v1/mdf/ledger?quarter={Q}"),
            Some(&cast.finance.token),
        )
        .await;
    assert_eq!(ledger.status, 200, "{}", ledger.text);
    let fund = &ledger.body["funds"][0];
    assert_eq!(fund["balanced"], true);
    assert_eq!(fund["sum"]["minor"], 0);
    let balance = |kind: &str| {
        fund["balances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["account"]["account"] == kind)
            .map(|b| b["balance"]["minor"].as_i64().unwrap())
    };
    assert_eq!(balance("ProgramFunding"), Some(-5_000_000));
    assert_eq!(balance("Unallocated"), Some(4_500_000));
    assert_eq!(balance("Allocated"), Some(250_000));
    assert_eq!(balance("Committed"), Some(10_000));
    assert_eq!(balance("Paid"), Some(240_000));
    app.get(
        &format!("/api/v1/mdf/ledger?quarter={Q}"),
        Some(&cast.pam.token),
    )
    .await
    .problem(403);

    let listed = app
        .get(
            &format!("/api/v1/mdf/fund-requests?partner_id={ironclad}&status=Approved"),
            Some(&cast.manager.token),
        )
        .await;
    assert_eq!(listed.body["fund_requests"].as_array().unwrap().len(), 1);
    let hidden = app.get(&base, Some(&cast.other_pam.token)).await;
    assert_eq!(hidden.problem(404), None);
}

#[tokio::test]
async fn bad_money_currency_and_status_are_refused_with_422_naming_the_field() {
    let app = TestApp::sqlite().await;
    let (cast, _) = setup(&app).await;
    let partner = register(&app, &cast.pam, "Ironclad MSP", Some("Gold")).await;
    let head = app.head().await;
    let negative = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}"),
            Some(&cast.cxo.token),
            &json!({"amount": usd(-5)}),
        )
        .await;
    assert_eq!(negative.problem(422).as_deref(), Some("amount"));
    set_budget(&app, &cast, 10_000).await;
    let bad_currency = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/allocations"),
            Some(&cast.manager.token),
            &json!({"partner_id": partner, "amount": {"minor": 100, "currency": "usd"}}),
        )
        .await;
    assert_eq!(
        bad_currency.problem(422).as_deref(),
        Some("amount.currency")
    );
    let bad_quarter = app
        .post(
            "/api/v1/mdf/budgets/FY26%20Q5",
            Some(&cast.cxo.token),
            &json!({"amount": usd(5)}),
        )
        .await;
    assert_eq!(bad_quarter.problem(422).as_deref(), Some("quarter"));
    let status = app
        .get(
            "/api/v1/mdf/fund-requests?status=Paid",
            Some(&cast.pam.token),
        )
        .await;
    assert_eq!(status.problem(422).as_deref(), Some("status"));
    let no_link = app
        .post(
            "/api/v1/mdf/fund-requests",
            Some(&cast.pam.token),
            &json!({"partner_id": partner, "quarter": "FY26 Q2", "title": "x"}),
        )
        .await;
    assert_eq!(no_link.problem(422).as_deref(), Some("rap_id"));
    assert_eq!(app.head().await, head + 1);
}

#[tokio::test]
async fn on_postgres_an_exemption_waits_for_the_cxo_and_self_approval_is_refused() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let (cast, other_manager) = setup(&app).await;
    let novatech = register(&app, &cast.pam, "NovaTech Inc.", None).await;
    set_budget(&app, &cast, 100_000).await;
    let requested = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/exemptions"),
            Some(&cast.pam.token),
            &json!({"partner_id": novatech, "amount": usd(12_000), "justification": "launch"}),
        )
        .await;
    assert_eq!(requested.status, 201, "{}", requested.text);
    let allocation = requested.body["allocation_id"].as_str().unwrap();
    let approve = format!("/api/v1/mdf/budgets/{Q}/allocations/{allocation}/approve");
    app.post(&approve, Some(&other_manager.token), &json!({}))
        .await
        .problem(403);
    app.post(&approve, Some(&cast.pam.token), &json!({}))
        .await
        .problem(403);
    let signed = app
        .post(&approve, Some(&cast.manager.token), &json!({}))
        .await;
    assert_eq!(signed.status, 200, "{}", signed.text);
    let budget = app
        .get(
            &format!("/api/v1/mdf/budgets/{Q}"),
            Some(&cast.auditor.token),
        )
        .await;
    assert_eq!(budget.body["pending_exemptions"][0]["awaiting"], "CxO");
}
