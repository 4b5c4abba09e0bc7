//! Cohort strategies over HTTP: drafting and approval by another Manager or CxO, the version in
//! force inherited on the partner page, revisions, rejections, quarterly reviews, delegated
//! approvals, and refused requests (SQLite, in-process).

use channel_ledger_tests::http::{Staffer, TestApp, TestResponse, NORTHWEST, SOUTHEAST};
use chrono::{Duration, Utc};
use serde_json::{json, Value};

const FARMER: &str = "/api/v1/cohort-strategies/Farmer";

fn strategy(intent: &str) -> Value {
    json!({
        "intent": intent,
        "plays": [
            {"title": "Renewal review", "description": "Walk the renewal book every quarter"},
            {"title": "Cross-sell", "description": "Offer the security add-on to the top accounts"},
        ],
    })
}

async fn post(app: &TestApp, by: &Staffer, path: &str, body: Value) -> TestResponse {
    app.post(&format!("{FARMER}{path}"), Some(&by.token), &body)
        .await
}

async fn view(app: &TestApp, by: &Staffer) -> Value {
    let r = app.get(FARMER, Some(&by.token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

/// A Farmer strategy drafted by `drafter`; asserts 201.
async fn drafted(app: &TestApp, drafter: &Staffer) {
    let r = post(app, drafter, "", strategy("Keep steady farmers renewing")).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["events"][0]["event_type"], "CohortStrategyDrafted");
}

async fn approved(app: &TestApp, by: &Staffer, version: u32) {
    let r = post(
        app,
        by,
        &format!("/versions/{version}/approve"),
        json!({"comment": "clear and measurable"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// `principal` lets `to` approve in their name for two weeks.
async fn delegate(app: &TestApp, principal: &Staffer, to: &Staffer) {
    let until = Utc::now() + Duration::days(14);
    let r = app
        .post(
            &format!("/api/v1/staff/{}/delegations", principal.id),
            Some(&principal.token),
            &json!({"to": to.id, "until": until.to_rfc3339()}),
        )
        .await;
    assert_eq!(r.status.as_u16() / 100, 2, "{}", r.text);
}

#[tokio::test]
async fn a_strategy_approved_by_another_manager_is_in_force_and_inherited_on_the_partner_page() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let other_manager = app
        .hire(&cast.admin, "Noor N.", "Manager", Some(NORTHWEST))
        .await;
    drafted(&app, &cast.manager).await;

    approved(&app, &other_manager, 1).await;

    let strategy = view(&app, &cast.pam).await;
    assert_eq!(strategy["in_force_version"], 1);
    assert_eq!(strategy["pending"], Value::Null);
    let record = &strategy["versions"][0]["decision"];
    assert_eq!(strategy["versions"][0]["status"], "Approved");
    assert_eq!(record["verdict"], "Approved");
    assert_eq!(record["step"], "Manager");
    assert_eq!(record["approver"]["staff_id"], other_manager.id.as_str());
    assert_eq!(record["approver"]["territory"], NORTHWEST);
    assert_eq!(record["comment"], "clear and measurable");
    assert!(record["waited_seconds"].is_i64());

    let partner = app.register_partner(&cast.pam, SOUTHEAST).await;
    let before = app
        .get(
            &format!("/api/v1/partners/{partner}"),
            Some(&cast.pam.token),
        )
        .await;
    assert_eq!(before.body.get("cohort_strategy"), None);
    let reclassified = app
        .post(
            &format!("/api/v1/partners/{partner}/classification"),
            Some(&cast.manager.token),
            &json!({"classification": "Farmer", "rationale": "steady renewals, little growth"}),
        )
        .await;
    assert_eq!(reclassified.status, 200, "{}", reclassified.text);
    let page = app
        .get(
            &format!("/api/v1/partners/{partner}"),
            Some(&cast.pam.token),
        )
        .await;
    let inherited = &page.body["cohort_strategy"];
    assert_eq!(inherited["version"], 1);
    assert_eq!(inherited["classification"], "Farmer");
    assert_eq!(inherited["intent"], "Keep steady farmers renewing");
    assert_eq!(inherited["plays"][0]["title"], "Renewal review");
    assert_eq!(inherited["plays"][1]["title"], "Cross-sell");
}

#[tokio::test]
async fn nobody_approves_their_own_draft() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    drafted(&app, &cast.manager).await;
    let head = app.head().await;

    let own = post(&app, &cast.manager, "/versions/1/approve", json!({})).await;

    own.problem(403);
    assert_eq!(own.code(), "own-draft");
    assert_eq!(app.head().await, head);
    assert_eq!(view(&app, &cast.cxo).await["in_force_version"], Value::Null);
}

#[tokio::test]
async fn a_revision_awaits_approval_while_the_approved_version_stays_in_force() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    drafted(&app, &cast.manager).await;
    approved(&app, &cast.cxo, 1).await;

    let revised = post(
        &app,
        &cast.manager,
        "/revise",
        strategy("Turn farmers into co-sellers"),
    )
    .await;
    assert_eq!(revised.status, 200, "{}", revised.text);

    let list = app
        .get("/api/v1/cohort-strategies", Some(&cast.pam.token))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    let all = list.body["strategies"].as_array().unwrap();
    assert_eq!(all.len(), 6, "every classification is listed");
    let farmer = all
        .iter()
        .find(|s| s["classification"] == "Farmer")
        .unwrap();
    assert_eq!(farmer["in_force"]["version"], 1);
    assert_eq!(farmer["pending"]["version"], 2);
    assert!(farmer["pending"]["due_at"].is_string());
    assert_eq!(farmer["pending"]["overdue"], false);
    let again = post(&app, &cast.cxo, "/revise", strategy("A third idea")).await;
    again.problem(409);
    assert_eq!(again.code(), "version-pending-approval");

    approved(&app, &cast.cxo, 2).await;
    let strategy = view(&app, &cast.pam).await;
    assert_eq!(strategy["in_force_version"], 2);
    assert_eq!(strategy["versions"][0]["status"], "Superseded");
}

#[tokio::test]
async fn a_rejected_version_keeps_its_reason_in_the_approval_record() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    drafted(&app, &cast.manager).await;

    let rejected = post(
        &app,
        &cast.cxo,
        "/versions/1/reject",
        json!({"reason": "plays need owners and dates"}),
    )
    .await;
    assert_eq!(rejected.status, 200, "{}", rejected.text);

    let strategy = view(&app, &cast.pam).await;
    let version = &strategy["versions"][0];
    assert_eq!(version["status"], "Rejected");
    assert_eq!(version["decision"]["verdict"], "Rejected");
    assert_eq!(version["decision"]["step"], "CxO");
    assert_eq!(
        version["decision"]["comment"],
        "plays need owners and dates"
    );
    assert_eq!(strategy["in_force_version"], Value::Null);
    let no_reason = post(&app, &cast.cxo, "/versions/1/reject", json!({})).await;
    assert_eq!(no_reason.problem(422).as_deref(), Some("reason"));
}

#[tokio::test]
async fn the_quarterly_review_of_the_version_in_force_is_recorded_once_per_quarter() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    drafted(&app, &cast.manager).await;
    let early = post(
        &app,
        &cast.cxo,
        "/reviews",
        json!({"quarter": "FY26 Q2", "notes": "n"}),
    )
    .await;
    early.problem(409);
    assert_eq!(early.code(), "no-strategy-in-force");
    approved(&app, &cast.cxo, 1).await;

    let review = json!({"quarter": "FY26 Q2", "notes": "Renewals up 8%; keep the plays"});
    let first = post(&app, &cast.manager, "/reviews", review.clone()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let twice = post(&app, &cast.cxo, "/reviews", review).await;
    twice.problem(409);
    assert_eq!(twice.code(), "quarter-already-reviewed");

    let strategy = view(&app, &cast.pam).await;
    let reviews = strategy["versions"][0]["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0]["quarter"], "FY26 Q2");
    assert_eq!(
        reviews[0]["reviewed_by"]["staff_id"],
        cast.manager.id.as_str()
    );
}

#[tokio::test]
async fn a_delegate_approves_on_behalf_of_a_cxo_and_the_record_keeps_the_original_approver() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let deputy = app
        .hire(&cast.admin, "Noor N.", "Manager", Some(NORTHWEST))
        .await;
    drafted(&app, &cast.manager).await;
    let head = app.head().await;
    let undelegated = post(
        &app,
        &deputy,
        "/versions/1/approve",
        json!({"on_behalf_of": cast.cxo.id}),
    )
    .await;
    undelegated.problem(403);
    assert_eq!(undelegated.code(), "no-delegation");
    assert_eq!(app.head().await, head);

    delegate(&app, &cast.cxo, &deputy).await;
    let r = post(
        &app,
        &deputy,
        "/versions/1/approve",
        json!({"on_behalf_of": cast.cxo.id, "comment": "approved while Dana is away"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let record = &view(&app, &cast.pam).await["versions"][0]["decision"];
    assert_eq!(record["step"], "CxO", "the principal's authority counts");
    assert_eq!(record["approver"]["staff_id"], deputy.id.as_str());
    assert_eq!(record["on_behalf_of"]["staff_id"], cast.cxo.id.as_str());
    assert_eq!(record["on_behalf_of"]["role"], "CxO");
    let stream = app
        .ledger
        .read_stream("CohortStrategy", "Farmer")
        .await
        .unwrap();
    let authority = stream.last().unwrap().metadata["authority"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        authority,
        "cohort.approve as Manager of Pacific Northwest on behalf of Dana C. (CxO)"
    );
}

#[tokio::test]
async fn only_management_shapes_strategies_and_admins_do_not_read_them() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;

    let pam = post(&app, &cast.pam, "", strategy("PAMs do not set strategy")).await;
    pam.problem(403);
    let admin = app
        .get("/api/v1/cohort-strategies", Some(&cast.admin.token))
        .await;
    admin.problem(403);
    let auditor = app
        .get("/api/v1/cohort-strategies", Some(&cast.auditor.token))
        .await;
    assert_eq!(auditor.status, 200, "{}", auditor.text);
}

#[tokio::test]
async fn bad_strategy_input_is_refused_naming_the_classification_or_the_field() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let head = app.head().await;

    let unknown = app
        .post(
            "/api/v1/cohort-strategies/Unicorn",
            Some(&cast.manager.token),
            &strategy("x"),
        )
        .await;
    unknown.problem(404);
    assert_eq!(unknown.code(), "unknown-classification");
    assert!(unknown.body["detail"].as_str().unwrap().contains("Unicorn"));
    let read = app
        .get("/api/v1/cohort-strategies/Unicorn", Some(&cast.pam.token))
        .await;
    assert_eq!(read.code(), "unknown-classification");

    let no_plays = post(&app, &cast.manager, "", json!({"intent": "x", "plays": []})).await;
    assert_eq!(no_plays.problem(422).as_deref(), Some("plays"));
    assert_eq!(no_plays.code(), "no-plays");
    let blank = post(&app, &cast.manager, "", json!({"intent": " ", "plays": []})).await;
    assert_eq!(blank.problem(422).as_deref(), Some("intent"));
    let untitled = json!({"intent": "x", "plays": [{"description": "no title"}]});
    let untitled = post(&app, &cast.manager, "", untitled).await;
    assert_eq!(untitled.problem(422).as_deref(), Some("plays[0].title"));
    let quarter = post(
        &app,
        &cast.manager,
        "/reviews",
        json!({"quarter": "2026 Q2", "notes": "n"}),
    )
    .await;
    assert_eq!(quarter.problem(422).as_deref(), Some("quarter"));
    let stranger = post(
        &app,
        &cast.cxo,
        "/versions/1/approve",
        json!({"on_behalf_of": "someone"}),
    )
    .await;
    assert_eq!(stranger.problem(422).as_deref(), Some("on_behalf_of"));
    assert_eq!(app.head().await, head);
}
