//! A smoke run of the API on PostgreSQL: the same binary, the same answers. Skipped when
//! PostgreSQL tests are switched off (`LEDGER_SKIP_POSTGRES=1`).

use axum::body::Body;
use axum::http::Method;
use channel_ledger_tests::http::{partner_body, TestApp, NORTHWEST, SOUTHEAST};
use serde_json::json;

#[tokio::test]
async fn on_postgres_staff_partners_refusals_idempotency_and_the_feed_work_end_to_end() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    assert_eq!(app.get("/api/v1/ready", None).await.status, 200);
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    app.post(
        "/api/v1/partners",
        Some(&cast.pam.token),
        &partner_body(NORTHWEST),
    )
    .await
    .problem(403);

    let reclassify = app
        .post(
            &format!("/api/v1/partners/{id}/classification"),
            Some(&cast.manager.token),
            &json!({"classification": "Champion", "rationale": "best quarter ever"}),
        )
        .await;
    assert_eq!(reclassify.status, 200, "{}", reclassify.text);
    let assigned = app
        .post(
            &format!("/api/v1/partners/{id}/pam"),
            Some(&cast.manager.token),
            &json!({"pam_id": cast.pam.id}),
        )
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.text);

    let head = app.head().await;
    let bad = app
        .post(
            &format!("/api/v1/partners/{id}/tier"),
            Some(&cast.pam.token),
            &json!({"tier": "Diamond", "evidence": "x"}),
        )
        .await;
    assert_eq!(bad.problem(422).as_deref(), Some("tier"));

    let keyed = || {
        TestApp::request(
            Method::POST,
            &format!("/api/v1/partners/{id}/tier"),
            Some(&cast.pam.token),
        )
        .header("content-type", "application/json")
        .header("idempotency-key", "pg-1")
        .body(Body::from(
            json!({"tier": "Gold", "evidence": "certified"}).to_string(),
        ))
        .unwrap()
    };
    let first = app.send(keyed()).await;
    assert_eq!(first.status, 200, "{}", first.text);
    let retry = app.send(keyed()).await;
    assert_eq!(retry.text, first.text);
    assert_eq!(app.head().await, head + 1);

    let feed = app
        .get(
            "/api/v1/events?after=0&limit=1000",
            Some(&cast.auditor.token),
        )
        .await;
    let positions: Vec<i64> = feed.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["position"].as_i64().unwrap())
        .collect();
    assert_eq!(positions, (1..=head + 1).collect::<Vec<_>>());
    app.get("/api/v1/staff", Some("clt_nope"))
        .await
        .problem(401);
}
