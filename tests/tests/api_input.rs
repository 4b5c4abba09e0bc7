//! Bad input gets a precise 4xx problem and changes nothing (design.md §3.9); effective times
//! are validated (SQLite, in-process).

use axum::body::Body;
use axum::http::Method;
use channel_ledger_tests::http::{partner_body, TestApp, SOUTHEAST};
use chrono::{Duration, SecondsFormat, Utc};
use serde_json::json;

fn rfc3339(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[tokio::test]
async fn malformed_or_mistyped_bodies_are_refused_naming_the_field_and_append_nothing() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let head = app.head().await;
    let with = |patch: serde_json::Value| {
        let mut body = partner_body(SOUTHEAST);
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        body
    };
    let cases = [
        (
            "missing field",
            with(json!({"name": null})),
            422,
            Some("name"),
        ),
        ("wrong type", with(json!({"name": 42})), 422, Some("name")),
        (
            "unknown field",
            with(json!({"colour": "blue"})),
            422,
            Some("colour"),
        ),
        (
            "unknown enum value",
            with(json!({"partner_type": "Wholesaler"})),
            422,
            Some("partner_type"),
        ),
        (
            "invalid value",
            with(json!({"territory": "   "})),
            422,
            Some("territory"),
        ),
        (
            "future effective time",
            with(json!({"effective_at": rfc3339(Utc::now() + Duration::days(1))})),
            422,
            Some("effective_at"),
        ),
        (
            "malformed effective time",
            with(json!({"effective_at": "yesterday"})),
            422,
            Some("effective_at"),
        ),
        (
            "back-dated without reason",
            with(json!({"effective_at": rfc3339(Utc::now() - Duration::days(30))})),
            422,
            Some("backdate_reason"),
        ),
    ];
    for (what, body, status, field) in cases {
        let r = app
            .post("/api/v1/partners", Some(&cast.pam.token), &body)
            .await;
        assert_eq!(r.problem(status).as_deref(), field, "{what}: {}", r.text);
    }

    let raw = |body: Body, content_type: &str| {
        TestApp::request(Method::POST, "/api/v1/partners", Some(&cast.pam.token))
            .header("content-type", content_type)
            .body(body)
            .unwrap()
    };
    app.send(raw(Body::from("{\"name\": "), "application/json"))
        .await
        .problem(400);
    app.send(raw(Body::from("{not json"), "application/json"))
        .await
        .problem(400);
    app.send(raw(
        Body::from(partner_body(SOUTHEAST).to_string()),
        "text/plain",
    ))
    .await
    .problem(415);
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    app.send(raw(Body::from(huge), "application/json"))
        .await
        .problem(413);

    assert_eq!(
        app.head().await,
        head,
        "nothing may be appended by bad input"
    );
}

#[tokio::test]
async fn an_oversized_body_is_refused_with_413_even_with_an_idempotency_key() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let huge = format!("{{\"name\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let request = TestApp::request(Method::POST, "/api/v1/partners", Some(&cast.pam.token))
        .header("content-type", "application/json")
        .header("idempotency-key", "big-1")
        .body(Body::from(huge))
        .unwrap();
    app.send(request).await.problem(413);
}

#[tokio::test]
async fn a_back_dated_change_needs_a_reason_and_is_recorded_with_both_times() {
    let app = TestApp::sqlite().await;
    // The cast joined 90 days ago, so they can act at a back-dated moment 30 days ago.
    app.set_now(Some(Utc::now() - Duration::days(90)));
    let cast = app.cast().await;
    app.set_now(None);
    let at = Utc::now() - Duration::days(30);
    let mut body = partner_body(SOUTHEAST);
    body["effective_at"] = json!(rfc3339(at));
    let head = app.head().await;
    let no_reason = app
        .post("/api/v1/partners", Some(&cast.pam.token), &body)
        .await;
    assert_eq!(no_reason.problem(422).as_deref(), Some("backdate_reason"));
    assert_eq!(app.head().await, head);

    body["backdate_reason"] = json!("signed on paper at the QBR");
    let r = app
        .post("/api/v1/partners", Some(&cast.pam.token), &body)
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let event = &r.body["events"][0];
    let effective: chrono::DateTime<Utc> = event["effective_at"].as_str().unwrap().parse().unwrap();
    let recorded: chrono::DateTime<Utc> = event["recorded_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(effective.timestamp(), at.timestamp());
    assert!(recorded > effective);
    let id = r.body["id"].as_str().unwrap();
    let events = app
        .get(
            &format!("/api/v1/partners/{id}/events"),
            Some(&cast.pam.token),
        )
        .await;
    let meta = &events.body["events"][0]["metadata"];
    assert_eq!(meta["backdate_reason"], "signed on paper at the QBR");
    assert_eq!(meta["actor_role"], "PAM");
}

#[tokio::test]
async fn nobody_acts_at_a_moment_before_they_joined() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let mut body = partner_body(SOUTHEAST);
    body["effective_at"] = json!(rfc3339(Utc::now() - Duration::days(30)));
    body["backdate_reason"] = json!("late entry");
    app.post("/api/v1/partners", Some(&cast.pam.token), &body)
        .await
        .problem(403);
}

#[tokio::test]
async fn bad_correlation_headers_are_refused_naming_the_header() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let request = TestApp::request(Method::POST, "/api/v1/partners", Some(&cast.pam.token))
        .header("content-type", "application/json")
        .header("x-correlation-id", "not-a-uuid")
        .body(Body::from(partner_body(SOUTHEAST).to_string()))
        .unwrap();
    assert_eq!(
        app.send(request).await.problem(422).as_deref(),
        Some("x-correlation-id")
    );
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_problems_too() {
    let app = TestApp::sqlite().await;
    app.get("/api/v1/nope", None).await.problem(404);
    let r = app
        .send(
            TestApp::request(Method::DELETE, "/api/v1/health", None)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    r.problem(405);
}
