//! RAPs over HTTP (SQLite, in-process; one smoke run on PostgreSQL): drafting and tier policy,
//! the two sign-offs and who may give them, delegation, amendments, named accounts, closing,
//! scoped reads and bad input.

use channel_ledger_tests::http::{
    partner_body, Cast, Staffer, TestApp, TestResponse, NORTHWEST, SOUTHEAST,
};
use chrono::{Duration, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

/// `dollars` in the program currency, as minor units.
fn usd(dollars: i64) -> Value {
    json!({"minor": dollars * 100, "currency": "USD"})
}

fn accounts(domains: &[(&str, &str)]) -> Value {
    domains
        .iter()
        .map(|(name, domain)| json!({"name": name, "domain": domain}))
        .collect()
}

/// The Ironclad MSP terms of design.md §2: MDF $24,000 + partner $24,000, ARR target $340K;
/// above the Platinum cap of $15,000, hence the exemption.
fn ironclad_terms() -> Value {
    json!({
        "named_accounts": accounts(&[
            ("Northwind Traders", "northwind.example"),
            ("Contoso Health", "contoso-health.example"),
        ]),
        "mdf": usd(24_000),
        "partner_contribution": usd(24_000),
        "arr_target": usd(340_000),
        "partner_expected_revenue": usd(96_000),
        "mdf_exemption": "two regional healthcare launches need a double campaign",
    })
}

async fn change_tier(app: &TestApp, by: &Staffer, partner: &str, tier: &str) {
    let r = app
        .post(
            &format!("/api/v1/partners/{partner}/tier"),
            Some(&by.token),
            &json!({"tier": tier, "evidence": "program review"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// A Platinum partner of the Southeast named `name`.
async fn platinum_partner(app: &TestApp, cast: &Cast, name: &str) -> String {
    let mut body = partner_body(SOUTHEAST);
    body["name"] = json!(name);
    let r = app
        .post("/api/v1/partners", Some(&cast.pam.token), &body)
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    change_tier(app, &cast.pam, &id, "Platinum").await;
    id
}

async fn draft(app: &TestApp, by: &Staffer, partner: &str, terms: Value) -> TestResponse {
    app.post(
        &format!("/api/v1/partners/{partner}/raps"),
        Some(&by.token),
        &json!({"period": "FY26 Q2", "terms": terms}),
    )
    .await
}

async fn act(app: &TestApp, by: &Staffer, rap: &str, action: &str, body: Value) -> TestResponse {
    app.post(
        &format!("/api/v1/raps/{rap}/{action}"),
        Some(&by.token),
        &body,
    )
    .await
}

async fn approve(app: &TestApp, by: &Staffer, rap: &str, step: &str) -> TestResponse {
    act(app, by, rap, "approve", json!({"step": step})).await
}

/// The Ironclad MSP RAP, drafted and submitted by the PAM; returns the partner and RAP ids.
async fn submitted_ironclad(app: &TestApp, cast: &Cast) -> (String, String) {
    let partner = platinum_partner(app, cast, "Ironclad MSP").await;
    let drafted = draft(app, &cast.pam, &partner, ironclad_terms()).await;
    assert_eq!(drafted.status, 201, "{}", drafted.text);
    let rap = drafted.body["id"].as_str().unwrap().to_owned();
    let submitted = act(app, &cast.pam, &rap, "submit", json!({})).await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    (partner, rap)
}

/// The Ironclad MSP RAP through both sign-offs.
async fn active_ironclad(app: &TestApp, cast: &Cast) -> String {
    let (_, rap) = submitted_ironclad(app, cast).await;
    let m = approve(app, &cast.manager, &rap, "Manager").await;
    assert_eq!(m.status, 200, "{}", m.text);
    let c = approve(app, &cast.cxo, &rap, "CxO").await;
    assert_eq!(c.status, 200, "{}", c.text);
    rap
}

async fn rap_view(app: &TestApp, by: &Staffer, rap: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/raps/{rap}"), Some(&by.token))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

/// `principal` lets `to` approve in their name for two weeks, over the API.
async fn delegate(app: &TestApp, principal: &Staffer, to: &Staffer) {
    let until = Utc::now() + Duration::days(14);
    let r = app
        .post(
            &format!("/api/v1/staff/{}/delegations", principal.id),
            Some(&principal.token),
            &json!({ "to": to.id, "until": until }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[tokio::test]
async fn the_ironclad_msp_rap_submitted_by_the_pam_is_active_after_the_territory_manager_and_a_cxo_approve(
) {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let (partner, rap) = submitted_ironclad(&app, &cast).await;

    let manager = act(
        &app,
        &cast.manager,
        &rap,
        "approve",
        json!({"step": "Manager", "comment": "named accounts are all ICP"}),
    )
    .await;
    assert_eq!(manager.status, 200, "{}", manager.text);
    assert_eq!(
        manager.body["events"][0]["event_type"],
        "RapApprovedByManager"
    );
    let cxo = approve(&app, &cast.cxo, &rap, "CxO").await;
    assert_eq!(cxo.status, 200, "{}", cxo.text);
    assert_eq!(cxo.body["events"][0]["event_type"], "RapActivated");

    let view = rap_view(&app, &cast.pam, &rap).await;
    assert_eq!(view["title"], "Ironclad MSP · Q2 2026");
    assert_eq!(view["period"], "FY26 Q2");
    assert_eq!(view["status"], "Active");
    assert_eq!(view["version"], 1);
    assert_eq!(view["partner"]["partner_id"], partner.as_str());
    assert_eq!(view["partner"]["tier"], "Platinum");
    assert_eq!(view["terms"]["arr_target"], usd(340_000));
    assert_eq!(view["economics"]["gtm_budget"], usd(48_000));
    assert_eq!(view["economics"]["isv_roi_bps"], 141_666);
    assert_eq!(view["economics"]["partner_roi_bps"], 40_000);
    assert!(view["pending_approval"].is_null());
    let approvals = view["approvals"].as_array().unwrap();
    assert_eq!(approvals.len(), 2);
    assert_eq!(approvals[0]["step"], "Manager");
    assert_eq!(approvals[0]["verdict"], "Approved");
    assert_eq!(
        approvals[0]["approver"]["staff_id"],
        cast.manager.id.as_str()
    );
    assert_eq!(approvals[0]["approver"]["role"], "Manager");
    assert_eq!(approvals[0]["approver"]["territory"], SOUTHEAST);
    assert_eq!(approvals[0]["comment"], "named accounts are all ICP");
    assert!(approvals[0]["on_behalf_of"].is_null());
    assert!(approvals[0]["waited_seconds"].as_i64().unwrap() >= 0);
    assert_eq!(approvals[1]["step"], "CxO");
    assert_eq!(approvals[1]["approver"]["staff_id"], cast.cxo.id.as_str());
    assert_eq!(approvals[1]["approver"]["role"], "CxO");
    let accounts = view["named_accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert!(accounts.iter().all(|a| a["status"] == "Identified"));

    let active = app
        .get("/api/v1/raps?status=Active", Some(&cast.finance.token))
        .await;
    assert_eq!(active.body["raps"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn mdf_above_the_tier_cap_needs_an_exemption_and_a_gold_partner_matches_the_mdf() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let partner = platinum_partner(&app, &cast, "Ironclad MSP").await;
    let head = app.head().await;

    let mut over_cap = ironclad_terms();
    over_cap["mdf_exemption"] = Value::Null;
    let r = draft(&app, &cast.pam, &partner, over_cap).await;
    assert_eq!(r.problem(422).as_deref(), Some("mdf"));
    assert_eq!(r.code(), "mdf-above-cap");

    let gold = app.register_partner(&cast.pam, SOUTHEAST).await;
    change_tier(&app, &cast.pam, &gold, "Gold").await;
    let head_gold = app.head().await;
    let mut unmatched = ironclad_terms();
    unmatched["mdf"] = usd(4_000);
    unmatched["partner_contribution"] = usd(2_000);
    unmatched["mdf_exemption"] = Value::Null;
    let r = draft(&app, &cast.pam, &gold, unmatched).await;
    assert_eq!(r.problem(422).as_deref(), Some("partner_contribution"));
    assert_eq!(r.code(), "partner-contribution-below-match");
    assert_eq!(app.head().await, head_gold);
    assert!(head < head_gold);
}

#[tokio::test]
async fn only_a_manager_of_the_territory_who_did_not_submit_approves_and_the_cxo_comes_second() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let (_, rap) = submitted_ironclad(&app, &cast).await;
    let northwest = app
        .hire(&cast.admin, "Nadia N.", "Manager", Some(NORTHWEST))
        .await;
    let head = app.head().await;

    let early = approve(&app, &cast.cxo, &rap, "CxO").await;
    early.problem(409);
    assert_eq!(early.code(), "cxo-before-manager");

    let pam = approve(&app, &cast.pam, &rap, "Manager").await;
    pam.problem(403);
    assert_eq!(pam.code(), "forbidden");

    let elsewhere = approve(&app, &northwest, &rap, "Manager").await;
    elsewhere.problem(403);
    assert_eq!(elsewhere.code(), "forbidden");

    let promoted = app
        .post(
            &format!("/api/v1/staff/{}/role", cast.pam.id),
            Some(&cast.admin.token),
            &json!({"role": "Manager", "territory": SOUTHEAST}),
        )
        .await;
    assert_eq!(promoted.status, 200, "{}", promoted.text);
    let own = approve(&app, &cast.pam, &rap, "Manager").await;
    own.problem(403);
    assert_eq!(own.code(), "self-approval");

    assert_eq!(
        app.head().await,
        head + 1,
        "only the promotion was appended"
    );
    let view = rap_view(&app, &cast.cxo, &rap).await;
    assert_eq!(view["status"], "Submitted");
    assert!(view["approvals"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_bridgeline_proposal_left_pending_shows_the_manager_step_and_its_due_date() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let partner = platinum_partner(&app, &cast, "Bridgeline Co.").await;
    let terms = json!({
        "named_accounts": accounts(&[
            ("Fabrikam", "fabrikam.example"),
            ("Tailspin Toys", "tailspin.example"),
            ("Wide World Importers", "wideworld.example"),
        ]),
        "mdf": usd(16_000),
        "partner_contribution": usd(16_000),
        "arr_target": usd(210_000),
        "partner_expected_revenue": usd(64_000),
        "mdf_exemption": "three logos in one quarter",
    });
    let drafted = draft(&app, &cast.pam, &partner, terms).await;
    assert_eq!(drafted.status, 201, "{}", drafted.text);
    let rap = drafted.body["id"].as_str().unwrap().to_owned();
    let submitted = act(&app, &cast.pam, &rap, "submit", json!({})).await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);

    let list = app
        .get(
            &format!("/api/v1/partners/{partner}/raps"),
            Some(&cast.manager.token),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let raps = list.body["raps"].as_array().unwrap();
    assert_eq!(raps.len(), 1);
    let view = &raps[0];
    assert_eq!(view["title"], "Bridgeline Co. · Q2 2026");
    assert_eq!(view["status"], "Submitted");
    assert_eq!(view["economics"]["gtm_budget"], usd(32_000));
    let pending = &view["pending_approval"];
    assert_eq!(pending["subject"], "Proposal");
    assert_eq!(pending["step"], "Manager");
    assert_eq!(pending["submitted_by"]["staff_id"], cast.pam.id.as_str());
    assert_eq!(pending["mdf_exemption"], true);
    assert_eq!(pending["overdue"], false);
    let due_at: chrono::DateTime<Utc> = pending["due_at"].as_str().unwrap().parse().unwrap();
    let requested: chrono::DateTime<Utc> =
        pending["requested_at"].as_str().unwrap().parse().unwrap();
    assert!(due_at >= requested + Duration::days(5));

    let queue = app
        .get("/api/v1/raps?status=Submitted", Some(&cast.cxo.token))
        .await;
    assert_eq!(queue.body["raps"].as_array().unwrap().len(), 1);

    app.set_now(Some(due_at + Duration::hours(1)));
    let late = rap_view(&app, &cast.manager, &rap).await;
    assert_eq!(late["pending_approval"]["overdue"], true);
}

#[tokio::test]
async fn a_delegate_approves_on_behalf_of_the_cxo_and_the_record_names_both() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let (_, rap) = submitted_ironclad(&app, &cast).await;
    let m = approve(&app, &cast.manager, &rap, "Manager").await;
    assert_eq!(m.status, 200, "{}", m.text);
    let deputy = app
        .hire(&cast.admin, "Nadia N.", "Manager", Some(NORTHWEST))
        .await;

    let body = json!({"step": "CxO", "on_behalf_of": cast.cxo.id, "comment": "signed for Dana"});
    let without = act(&app, &deputy, &rap, "approve", body.clone()).await;
    without.problem(403);
    assert_eq!(without.code(), "no-delegation");

    delegate(&app, &cast.cxo, &deputy).await;
    let with = act(&app, &deputy, &rap, "approve", body).await;
    assert_eq!(with.status, 200, "{}", with.text);

    let view = rap_view(&app, &cast.auditor, &rap).await;
    assert_eq!(view["status"], "Active");
    let record = &view["approvals"][1];
    assert_eq!(record["step"], "CxO");
    assert_eq!(record["approver"]["staff_id"], deputy.id.as_str());
    assert_eq!(record["approver"]["role"], "Manager");
    assert_eq!(record["on_behalf_of"]["staff_id"], cast.cxo.id.as_str());
    assert_eq!(record["on_behalf_of"]["role"], "CxO");

    let events = app
        .get(
            &format!("/api/v1/events?after={}", app.head().await - 1),
            Some(&cast.auditor.token),
        )
        .await;
    assert_eq!(
        events.body["events"][0]["metadata"]["authority"],
        "rap.approve-as-cxo as Manager of Pacific Northwest on behalf of Dana C. (CxO)"
    );
}

#[tokio::test]
async fn an_amendment_keeps_the_approved_terms_in_force_until_both_sign_offs() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let rap = active_ironclad(&app, &cast).await;

    let mut amended = ironclad_terms();
    amended["arr_target"] = usd(400_000);
    amended["named_accounts"] = accounts(&[
        ("Northwind Traders", "northwind.example"),
        ("Contoso Health", "contoso-health.example"),
        ("Litware", "litware.example"),
    ]);
    let proposed = act(
        &app,
        &cast.pam,
        &rap,
        "amendments",
        json!({"terms": amended, "reason": "Litware asked to join"}),
    )
    .await;
    assert_eq!(proposed.status, 200, "{}", proposed.text);

    let pending = rap_view(&app, &cast.pam, &rap).await;
    assert_eq!(pending["status"], "Active");
    assert_eq!(pending["terms"]["arr_target"], usd(340_000));
    assert_eq!(
        pending["pending_amendment"]["terms"]["arr_target"],
        usd(400_000)
    );
    assert_eq!(
        pending["pending_amendment"]["reason"],
        "Litware asked to join"
    );
    assert_eq!(pending["pending_approval"]["subject"], "Amendment");
    assert_eq!(pending["pending_approval"]["step"], "Manager");

    let m = approve(&app, &cast.manager, &rap, "Manager").await;
    assert_eq!(m.status, 200, "{}", m.text);
    let halfway = rap_view(&app, &cast.pam, &rap).await;
    assert_eq!(halfway["terms"]["arr_target"], usd(340_000));
    assert_eq!(halfway["pending_approval"]["step"], "CxO");

    let c = approve(&app, &cast.cxo, &rap, "CxO").await;
    assert_eq!(c.status, 200, "{}", c.text);
    let after = rap_view(&app, &cast.pam, &rap).await;
    assert_eq!(after["terms"]["arr_target"], usd(400_000));
    assert_eq!(after["version"], 2);
    assert!(after["pending_amendment"].is_null());
    assert_eq!(after["named_accounts"].as_array().unwrap().len(), 3);
    assert_eq!(after["approvals"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn named_accounts_move_forward_to_won_with_arr_or_lost_with_a_reason_never_back() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let rap = active_ironclad(&app, &cast).await;
    let northwind = "named-accounts/northwind.example";
    let contoso = "named-accounts/contoso-health.example";

    for to in ["Qualified", "InProgress"] {
        let r = act(
            &app,
            &cast.pam,
            &rap,
            &format!("{northwind}/advance"),
            json!({"to": to}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let head = app.head().await;
    let back = act(
        &app,
        &cast.pam,
        &rap,
        &format!("{northwind}/advance"),
        json!({"to": "Qualified"}),
    )
    .await;
    back.problem(422);
    assert_eq!(back.code(), "named-account-out-of-order");
    assert_eq!(app.head().await, head);

    let won = act(
        &app,
        &cast.pam,
        &rap,
        &format!("{northwind}/win"),
        json!({"arr": usd(180_000)}),
    )
    .await;
    assert_eq!(won.status, 200, "{}", won.text);
    let lost = act(
        &app,
        &cast.pam,
        &rap,
        &format!("{contoso}/lose"),
        json!({"reason": "chose an incumbent vendor"}),
    )
    .await;
    assert_eq!(lost.status, 200, "{}", lost.text);
    let unknown = act(
        &app,
        &cast.pam,
        &rap,
        "named-accounts/nobody.example/advance",
        json!({"to": "Qualified"}),
    )
    .await;
    unknown.problem(404);

    let view = rap_view(&app, &cast.pam, &rap).await;
    let accounts = view["named_accounts"].as_array().unwrap();
    assert_eq!(accounts[0]["domain"], "northwind.example");
    assert_eq!(accounts[0]["status"], "Won");
    assert_eq!(accounts[0]["arr_won"], usd(180_000));
    assert_eq!(accounts[1]["status"], "Lost");
    assert_eq!(accounts[1]["lost_reason"], "chose an incumbent vendor");
    assert_eq!(view["arr_won"], usd(180_000));
}

#[tokio::test]
async fn a_rap_closes_with_its_outcome_and_then_accepts_no_more_changes() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let rap = active_ironclad(&app, &cast).await;

    let pam = act(
        &app,
        &cast.pam,
        &rap,
        "close",
        json!({"outcome": "Partial", "note": "one of two logos"}),
    )
    .await;
    pam.problem(403);
    let closed = act(
        &app,
        &cast.manager,
        &rap,
        "close",
        json!({"outcome": "Partial", "note": "one of two logos"}),
    )
    .await;
    assert_eq!(closed.status, 200, "{}", closed.text);

    let view = rap_view(&app, &cast.cxo, &rap).await;
    assert_eq!(view["status"], "Closed");
    assert_eq!(view["closure"]["outcome"], "Partial");
    assert_eq!(view["closure"]["note"], "one of two logos");
    let again = act(
        &app,
        &cast.manager,
        &rap,
        "close",
        json!({"outcome": "Achieved", "note": "again"}),
    )
    .await;
    again.problem(409);
    assert_eq!(again.code(), "rap-not-active");
}

#[tokio::test]
async fn bad_input_is_refused_with_422_naming_the_field_and_changes_nothing() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let partner = platinum_partner(&app, &cast, "Ironclad MSP").await;
    let head = app.head().await;

    let with = |field: &str, value: Value| {
        let mut terms = ironclad_terms();
        terms[field] = value;
        terms
    };
    let cases = [
        (with("mdf", usd(-1)), "mdf", "negative-amount"),
        (
            with("mdf", json!({"minor": 100, "currency": "usd"})),
            "terms.mdf.currency",
            "invalid-field",
        ),
        (
            with("arr_target", json!({"minor": 100, "currency": "EUR"})),
            "arr_target",
            "currency-mismatch",
        ),
        (
            with(
                "named_accounts",
                accounts(&[
                    ("Northwind", "northwind.example"),
                    ("NW", "Northwind.Example"),
                ]),
            ),
            "named_accounts",
            "duplicate-named-account",
        ),
        (
            with("named_accounts", accounts(&[("Northwind", "not a domain")])),
            "terms.named_accounts[0].domain",
            "invalid-field",
        ),
        (
            with("surprise", json!(1)),
            "terms.surprise",
            "invalid-field",
        ),
    ];
    for (terms, field, code) in cases {
        let r = draft(&app, &cast.pam, &partner, terms).await;
        assert_eq!(r.problem(422).as_deref(), Some(field), "{}", r.text);
        assert_eq!(r.code(), code, "{}", r.text);
    }
    let period = app
        .post(
            &format!("/api/v1/partners/{partner}/raps"),
            Some(&cast.pam.token),
            &json!({"period": "Q2 2026", "terms": ironclad_terms()}),
        )
        .await;
    assert_eq!(period.problem(422).as_deref(), Some("period"));
    assert_eq!(app.head().await, head);

    let status = app
        .get("/api/v1/raps?status=Pending", Some(&cast.cxo.token))
        .await;
    assert_eq!(status.problem(422).as_deref(), Some("status"));
    let step = act(
        &app,
        &cast.manager,
        &Uuid::now_v7().to_string(),
        "approve",
        json!({"step": "Director"}),
    )
    .await;
    assert_eq!(step.problem(422).as_deref(), Some("step"));
    let missing = approve(&app, &cast.manager, &Uuid::now_v7().to_string(), "Manager").await;
    missing.problem(404);
    assert_eq!(missing.code(), "rap-not-found");
}

#[tokio::test]
async fn reads_are_scoped_by_territory_and_admins_see_no_raps() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let (partner, rap) = submitted_ironclad(&app, &cast).await;

    let theirs = app.get("/api/v1/raps", Some(&cast.other_pam.token)).await;
    assert_eq!(theirs.status, 200, "{}", theirs.text);
    assert!(theirs.body["raps"].as_array().unwrap().is_empty());
    app.get(&format!("/api/v1/raps/{rap}"), Some(&cast.other_pam.token))
        .await
        .problem(404);
    app.get(
        &format!("/api/v1/partners/{partner}/raps"),
        Some(&cast.other_pam.token),
    )
    .await
    .problem(404);
    for reader in [
        &cast.pam,
        &cast.manager,
        &cast.cxo,
        &cast.finance,
        &cast.auditor,
    ] {
        let all = app
            .get(
                &format!("/api/v1/raps?partner_id={partner}"),
                Some(&reader.token),
            )
            .await;
        assert_eq!(
            all.body["raps"].as_array().unwrap().len(),
            1,
            "{}",
            all.text
        );
    }
    app.get("/api/v1/raps", Some(&cast.admin.token))
        .await
        .problem(403);
    app.get("/api/v1/raps/not-a-uuid", Some(&cast.cxo.token))
        .await
        .problem(404);
}

#[tokio::test]
async fn on_postgres_the_ironclad_rap_goes_through_both_approvals_and_refusals_hold() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let cast = app.cast().await;
    let (_, rap) = submitted_ironclad(&app, &cast).await;
    let own = approve(&app, &cast.pam, &rap, "Manager").await;
    own.problem(403);
    let early = approve(&app, &cast.cxo, &rap, "CxO").await;
    assert_eq!(early.code(), "cxo-before-manager");
    let m = approve(&app, &cast.manager, &rap, "Manager").await;
    assert_eq!(m.status, 200, "{}", m.text);
    let c = approve(&app, &cast.cxo, &rap, "CxO").await;
    assert_eq!(c.status, 200, "{}", c.text);
    let view = rap_view(&app, &cast.auditor, &rap).await;
    assert_eq!(view["status"], "Active");
    assert_eq!(view["approvals"].as_array().unwrap().len(), 2);
    assert_eq!(view["economics"]["gtm_budget"], usd(48_000));
}

#[tokio::test]
async fn a_rejected_proposal_keeps_the_reason_and_can_be_revised_and_resubmitted() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let (_, rap) = submitted_ironclad(&app, &cast).await;

    let rejected = act(
        &app,
        &cast.manager,
        &rap,
        "reject",
        json!({"step": "Manager", "reason": "ARR target is too timid"}),
    )
    .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text);
    let view = rap_view(&app, &cast.pam, &rap).await;
    assert_eq!(view["status"], "Rejected");
    assert_eq!(view["approvals"][0]["verdict"], "Rejected");
    assert_eq!(view["approvals"][0]["comment"], "ARR target is too timid");
    assert!(view["pending_approval"].is_null());

    let mut bolder = ironclad_terms();
    bolder["arr_target"] = usd(400_000);
    let revised = act(&app, &cast.pam, &rap, "revise", json!({"terms": bolder})).await;
    assert_eq!(revised.status, 200, "{}", revised.text);
    assert_eq!(rap_view(&app, &cast.pam, &rap).await["status"], "Draft");
    let again = act(&app, &cast.pam, &rap, "submit", json!({})).await;
    assert_eq!(again.status, 200, "{}", again.text);
    let view = rap_view(&app, &cast.pam, &rap).await;
    assert_eq!(view["status"], "Submitted");
    assert_eq!(view["pending_approval"]["step"], "Manager");
    assert_eq!(view["economics"]["isv_roi_bps"], 166_666);
}

#[tokio::test]
async fn only_the_principal_or_an_admin_delegates_and_an_ended_delegation_no_longer_signs() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let until = Utc::now() + Duration::days(7);
    let body = json!({ "to": cast.manager.id, "until": until });

    let someone_else = app
        .post(
            &format!("/api/v1/staff/{}/delegations", cast.cxo.id),
            Some(&cast.manager.token),
            &body,
        )
        .await;
    assert_eq!(someone_else.status, 403, "{}", someone_else.text);

    let past = app
        .post(
            &format!("/api/v1/staff/{}/delegations", cast.cxo.id),
            Some(&cast.cxo.token),
            &json!({ "to": cast.manager.id, "until": Utc::now() - Duration::hours(1) }),
        )
        .await;
    assert_eq!(past.problem(422).as_deref(), Some("until"), "{}", past.text);

    delegate(&app, &cast.cxo, &cast.manager).await;
    let ended = app
        .post(
            &format!(
                "/api/v1/staff/{}/delegations/{}/end",
                cast.cxo.id, cast.manager.id
            ),
            Some(&cast.cxo.token),
            &json!({}),
        )
        .await;
    assert_eq!(ended.status, 200, "{}", ended.text);
    let again = app
        .post(
            &format!(
                "/api/v1/staff/{}/delegations/{}/end",
                cast.cxo.id, cast.manager.id
            ),
            Some(&cast.cxo.token),
            &json!({}),
        )
        .await;
    assert_eq!(again.status, 404, "{}", again.text);
    assert_eq!(again.code(), "no-such-delegation");
}
