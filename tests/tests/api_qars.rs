//! QARs over HTTP: the cadence scheduled by the first PAM assignment, the quarterly cycle with
//! Delivered / Deferred / Missed reviews, overdue against the app's clock, territory checks and
//! bad input (SQLite, in-process; one smoke test on PostgreSQL).

use channel_ledger_domain::partner::{Partner, PartnerCommand};
use channel_ledger_domain::{EffectiveTime, StaffId};
use channel_ledger_server::commands::{execute, metadata, RequestMeta};
use channel_ledger_server::directory::{actor_as_of, pam_candidate};
use channel_ledger_server::{AppState, Clock};
use channel_ledger_tests::http::{Cast, TestApp, TestResponse, SOUTHEAST};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use std::sync::Arc;
use uuid::Uuid;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

const T0: &str = "2026-01-05T09:00:00Z";

/// A Southeast partner registered by the PAM and assigned to them by the Manager at [`T0`];
/// answers the partner id and the assignment's response.
async fn assigned_partner(app: &TestApp, cast: &Cast) -> (String, TestResponse) {
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    let assigned = app
        .post(
            &format!("/api/v1/partners/{id}/pam"),
            Some(&cast.manager.token),
            &json!({"pam_id": cast.pam.id}),
        )
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.text);
    (id, assigned)
}

async fn qar(app: &TestApp, cast: &Cast, id: &str, step: &str, body: Value) -> TestResponse {
    app.post(
        &format!("/api/v1/partners/{id}/qars/{step}"),
        Some(&cast.pam.token),
        &body,
    )
    .await
}

async fn ok(app: &TestApp, cast: &Cast, id: &str, step: &str, body: Value) -> TestResponse {
    let r = qar(app, cast, id, step, body).await;
    assert_eq!(r.status, 200, "{step}: {}", r.text);
    r
}

async fn overview(app: &TestApp, cast: &Cast, id: &str) -> Value {
    let r = app
        .get(
            &format!("/api/v1/partners/{id}/qars"),
            Some(&cast.pam.token),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

async fn discuss(app: &TestApp, cast: &Cast, id: &str) {
    ok(
        app,
        cast,
        id,
        "current/discussion",
        json!({"discussed": "pipeline in the mid-market", "agreed": "two joint webinars",
               "why": "their base is ICP-aligned"}),
    )
    .await;
}

fn commitment(description: &str, due: DateTime<Utc>) -> Value {
    json!({"description": description, "owner": "Sarah K. (ISV)", "due_at": rfc(due)})
}

/// The partner's QAR 1 completed at T0 + 80 days with three commitments, and QAR 2 opened at
/// T0 + 165 days; the clock is left there. Answers the partner id and QAR 2's opening time.
async fn second_qar_open(app: &TestApp, cast: &Cast) -> (String, DateTime<Utc>) {
    let (id, _) = assigned_partner(app, cast).await;
    let t1 = t(T0) + Duration::days(80);
    app.set_now(Some(t1));
    ok(app, cast, &id, "open", json!({})).await;
    discuss(app, cast, &id).await;
    let plan = json!({"commitments": [
        commitment("Run a joint webinar for healthcare accounts", t1 + Duration::days(30)),
        commitment("Qualify five named accounts", t1 + Duration::days(45)),
        commitment("Certify two engineers", t1 + Duration::days(60)),
    ]});
    ok(app, cast, &id, "current/plan", plan).await;
    ok(app, cast, &id, "current/complete", json!({})).await;
    let t2 = t1 + Duration::days(85);
    app.set_now(Some(t2));
    ok(app, cast, &id, "open", json!({})).await;
    (id, t2)
}

#[tokio::test]
async fn the_first_pam_assignment_schedules_qar_1_ninety_days_later_caused_by_that_event() {
    let app = TestApp::sqlite().await;
    app.set_now(Some(t(T0)));
    let cast = app.cast().await;

    let (id, assigned) = assigned_partner(&app, &cast).await;

    let view = overview(&app, &cast, &id).await;
    assert_eq!(view["pending"]["number"], 1);
    assert_eq!(view["pending"]["due_at"], "2026-04-05T09:00:00Z");
    assert_eq!(view["pending"]["overdue"], false);
    assert_eq!(view["first_assigned_at"], "2026-01-05T09:00:00Z");
    let stream = app.ledger.read_stream("QarSeries", &id).await.unwrap();
    assert_eq!(stream.len(), 1);
    assert_eq!(stream[0].event_type, "QarScheduled");
    let pam_assigned = assigned.body["events"][0]["event_id"].as_str().unwrap();
    assert_eq!(stream[0].metadata["causation_id"], pam_assigned);
    // The answer lists both appends, the schedule last: its position is the one to wait for.
    let listed: Vec<&str> = assigned.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["PamAssigned", "QarScheduled"]);
    assert_eq!(assigned.body["events"][1]["position"], stream[0].position);
    assert_eq!(
        stream[0].metadata["authority"],
        "qar.schedule as Manager of Southeast"
    );

    let another = app.hire(&cast.admin, "Jo J.", "PAM", Some(SOUTHEAST)).await;
    let reassigned = app
        .post(
            &format!("/api/v1/partners/{id}/pam"),
            Some(&cast.manager.token),
            &json!({"pam_id": another.id}),
        )
        .await;
    assert_eq!(reassigned.status, 200, "{}", reassigned.text);
    let stream = app.ledger.read_stream("QarSeries", &id).await.unwrap();
    assert_eq!(stream.len(), 1, "a reassignment does not reschedule");
}

#[tokio::test]
async fn a_full_qar_cycle_reviews_each_commitment_carries_deferred_ones_forward_and_schedules_the_next_90_days_out(
) {
    let app = TestApp::sqlite().await;
    app.set_now(Some(t(T0)));
    let cast = app.cast().await;
    let (id, t2) = second_qar_open(&app, &cast).await;

    let before = overview(&app, &cast, &id).await;
    assert_eq!(before["pending"]["number"], 2);
    assert_eq!(before["pending"]["commitments_to_review"], 3);
    assert_eq!(before["history"][0]["number"], 1);
    let ids: Vec<u64> = before["under_review"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2, 3]);

    let new_due = t2 + Duration::days(30);
    for (n, outcome) in [
        (1, json!("Delivered")),
        (2, json!({"Deferred": {"new_due_at": rfc(new_due)}})),
        (3, json!("Missed")),
    ] {
        ok(
            &app,
            &cast,
            &id,
            &format!("current/commitments/{n}/review"),
            json!({"outcome": outcome, "note": format!("commitment {n} judged")}),
        )
        .await;
    }
    discuss(&app, &cast, &id).await;
    let plan =
        json!({"commitments": [commitment("Co-sell into Northwind", t2 + Duration::days(60))]});
    ok(&app, &cast, &id, "current/plan", plan).await;

    let locked = overview(&app, &cast, &id).await;
    assert_eq!(
        locked["under_review"][1]["review"]["outcome"]["Deferred"]["new_due_at"],
        rfc(new_due)
    );
    let plan = locked["locked_plan"].as_array().unwrap();
    assert_eq!(plan.len(), 2);
    assert_eq!(
        plan[0]["id"], 2,
        "the deferred commitment comes first, keeping its number"
    );
    assert_eq!(plan[0]["times_deferred"], 1);
    assert_eq!(plan[0]["due_at"], rfc(new_due));
    assert_eq!(plan[1]["id"], 4);

    let done = ok(&app, &cast, &id, "current/complete", json!({})).await;
    assert_eq!(done.body["events"][0]["event_type"], "QarCompleted");

    let after = overview(&app, &cast, &id).await;
    let history = after["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1]["outcomes"],
        json!({"delivered": 1, "deferred": 1, "missed": 1})
    );
    assert_eq!(history[1]["discussion"]["agreed"], "two joint webinars");
    assert_eq!(after["pending"]["number"], 3);
    assert_eq!(after["pending"]["due_at"], rfc(t2 + Duration::days(90)));
    assert_eq!(after["pending"]["opened"], false);
    assert_eq!(after["under_review"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn completing_a_qar_with_unreviewed_commitments_is_refused_with_409_and_changes_nothing() {
    let app = TestApp::sqlite().await;
    app.set_now(Some(t(T0)));
    let cast = app.cast().await;
    let (id, _) = second_qar_open(&app, &cast).await;
    ok(
        &app,
        &cast,
        &id,
        "current/commitments/1/review",
        json!({"outcome": "Delivered", "note": "webinar ran, 40 attendees"}),
    )
    .await;
    discuss(&app, &cast, &id).await;

    let head = app.head().await;
    let r = qar(&app, &cast, &id, "current/complete", json!({})).await;
    r.problem(409);
    assert_eq!(r.code(), "unreviewed-commitments");
    assert!(
        r.body["detail"].as_str().unwrap().contains("2, 3"),
        "{}",
        r.text
    );
    assert_eq!(app.head().await, head);
}

#[tokio::test]
async fn a_pam_of_another_territory_can_neither_run_nor_read_the_partners_qars() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let (id, _) = assigned_partner(&app, &cast).await;

    let head = app.head().await;
    let open = app
        .post(
            &format!("/api/v1/partners/{id}/qars/open"),
            Some(&cast.other_pam.token),
            &json!({}),
        )
        .await;
    open.problem(403);
    assert_eq!(app.head().await, head);
    let read = app
        .get(
            &format!("/api/v1/partners/{id}/qars"),
            Some(&cast.other_pam.token),
        )
        .await;
    assert_eq!(read.code(), "partner-not-found");
    read.problem(404);

    let manager = app
        .post(
            &format!("/api/v1/partners/{id}/qars/open"),
            Some(&cast.manager.token),
            &json!({}),
        )
        .await;
    assert_eq!(manager.status, 200, "{}", manager.text);
}

#[tokio::test]
async fn a_qar_past_its_due_date_and_not_completed_reads_as_overdue_against_the_apps_clock() {
    let app = TestApp::sqlite().await;
    app.set_now(Some(t(T0)));
    let cast = app.cast().await;
    let (id, _) = assigned_partner(&app, &cast).await;

    app.set_now(Some(t("2026-04-05T09:00:00Z")));
    assert_eq!(
        overview(&app, &cast, &id).await["pending"]["overdue"],
        false
    );

    app.set_now(Some(t("2026-04-05T09:00:01Z")));
    let late = overview(&app, &cast, &id).await;
    assert_eq!(late["pending"]["overdue"], true);
    assert_eq!(late["as_of"], "2026-04-05T09:00:01Z");

    ok(&app, &cast, &id, "open", json!({})).await;
    let opened = overview(&app, &cast, &id).await;
    assert_eq!(
        opened["pending"]["overdue"], true,
        "opening does not make it less overdue"
    );
    assert_eq!(opened["pending"]["opened"], true);
}

#[tokio::test]
async fn opening_schedules_the_series_first_when_the_assignment_did_not() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    // An assignment recorded without the follow-up scheduling (as when that step failed).
    let now = Utc::now();
    let fixed: Clock = Arc::new(move || now);
    let state = AppState::new(app.ledger.clone(), fixed).await.unwrap();
    let manager = StaffId(Uuid::parse_str(&cast.manager.id).unwrap());
    let actor = actor_as_of(&app.ledger, manager, now)
        .await
        .unwrap()
        .unwrap();
    let pam = StaffId(Uuid::parse_str(&cast.pam.id).unwrap());
    let command = PartnerCommand::AssignPam {
        pam: pam_candidate(&app.ledger, pam, now).await.unwrap(),
    };
    let at = EffectiveTime::now(now);
    let authority = channel_ledger_domain::partner::permission_for(&command).authority(&actor);
    let meta = metadata(&actor, &at, authority, None, &RequestMeta::default());
    let assigned = execute::<Partner, _>(&state, &id, actor, command, meta)
        .await
        .unwrap();
    assert!(app
        .ledger
        .read_stream("QarSeries", &id)
        .await
        .unwrap()
        .is_empty());

    let open = ok(&app, &cast, &id, "open", json!({})).await;

    let types: Vec<&str> = open.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["QarScheduled", "QarOpened"]);
    let stream = app.ledger.read_stream("QarSeries", &id).await.unwrap();
    assert_eq!(
        stream[0].metadata["causation_id"],
        assigned.events[0].event_id.to_string()
    );
    assert_eq!(overview(&app, &cast, &id).await["pending"]["opened"], true);
}

#[tokio::test]
async fn bad_qar_input_is_refused_with_422_naming_the_field_and_changes_nothing() {
    let app = TestApp::sqlite().await;
    app.set_now(Some(t(T0)));
    let cast = app.cast().await;
    let (id, t2) = second_qar_open(&app, &cast).await;
    let head = app.head().await;

    let review = "current/commitments/2/review";
    let unknown = qar(
        &app,
        &cast,
        &id,
        review,
        json!({"outcome": "Forgotten", "note": "x"}),
    )
    .await;
    assert_eq!(unknown.problem(422).as_deref(), Some("outcome"));
    let blank = qar(
        &app,
        &cast,
        &id,
        review,
        json!({"outcome": "Missed", "note": "  "}),
    )
    .await;
    assert_eq!(blank.problem(422).as_deref(), Some("note"));
    let past = json!({"outcome": {"Deferred": {"new_due_at": rfc(t2 - Duration::days(1))}}, "note": "later"});
    let past = qar(&app, &cast, &id, review, past).await;
    assert_eq!(past.problem(422).as_deref(), Some("new_due_at"));
    assert_eq!(past.code(), "due-date-in-past");
    let extra = qar(&app, &cast, &id, "open", json!({"when": "now"})).await;
    assert_eq!(extra.problem(422).as_deref(), Some("when"));
    let missing = qar(
        &app,
        &cast,
        &id,
        "current/commitments/99/review",
        json!({"outcome": "Missed", "note": "n"}),
    )
    .await;
    missing.problem(404);
    assert_eq!(missing.code(), "unknown-commitment");
    let future = qar(&app, &cast, &id, "current/discussion",
        json!({"discussed": "a", "agreed": "b", "why": "c", "effective_at": rfc(t2 + Duration::days(1))})).await;
    assert_eq!(future.problem(422).as_deref(), Some("effective_at"));
    assert_eq!(app.head().await, head);
}

#[tokio::test]
async fn on_postgres_a_qar_cycle_and_a_cohort_strategy_approval_run_end_to_end() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    app.set_now(Some(t(T0)));
    let cast = app.cast().await;
    let (id, t2) = second_qar_open(&app, &cast).await;
    for n in 1..=3 {
        ok(
            &app,
            &cast,
            &id,
            &format!("current/commitments/{n}/review"),
            json!({"outcome": "Delivered", "note": "done"}),
        )
        .await;
    }
    discuss(&app, &cast, &id).await;
    let plan = json!({"commitments": [commitment("Renewal push", t2 + Duration::days(20))]});
    ok(&app, &cast, &id, "current/plan", plan).await;
    ok(&app, &cast, &id, "current/complete", json!({})).await;
    assert_eq!(overview(&app, &cast, &id).await["pending"]["number"], 3);

    let drafted = app
        .post(
            "/api/v1/cohort-strategies/Champion",
            Some(&cast.manager.token),
            &json!({"intent": "Grow champions into co-sell partners",
                    "plays": [{"title": "Joint account plan", "description": "Map the top 20 accounts"}]}),
        )
        .await;
    assert_eq!(drafted.status, 201, "{}", drafted.text);
    let approved = app
        .post(
            "/api/v1/cohort-strategies/Champion/versions/1/approve",
            Some(&cast.cxo.token),
            &json!({}),
        )
        .await;
    assert_eq!(approved.status, 200, "{}", approved.text);
    let strategy = app
        .get("/api/v1/cohort-strategies/Champion", Some(&cast.pam.token))
        .await;
    assert_eq!(strategy.body["in_force_version"], 1);
}
