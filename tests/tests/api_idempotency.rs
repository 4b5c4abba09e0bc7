//! Retries and races: an Idempotency-Key replays the first answer and appends nothing; of two
//! concurrent commands on one partner only one is appended, the other gets 409 (SQLite).

use axum::body::Body;
use axum::http::Method;
use channel_ledger_domain::partner::{Partner, PartnerEvent, Tier};
use channel_ledger_domain::text::Reason;
use channel_ledger_domain::{Actor, EffectiveTime, EventMetadata};
use channel_ledger_server::problem::ApiError;
use channel_ledger_tests::http::{partner_body, TestApp, SOUTHEAST};
use chrono::Utc;
use cqrs_es::{AggregateError, EventStore};
use serde_json::{json, Value};

fn keyed(path: &str, token: &str, key: &str, body: &Value) -> axum::http::Request<Body> {
    TestApp::request(Method::POST, path, Some(token))
        .header("content-type", "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_replays_the_first_answer_and_appends_nothing() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let body = partner_body(SOUTHEAST);

    let first = app
        .send(keyed("/api/v1/partners", &cast.pam.token, "k-1", &body))
        .await;
    assert_eq!(first.status, 201, "{}", first.text);
    let head = app.head().await;

    let retry = app
        .send(keyed("/api/v1/partners", &cast.pam.token, "k-1", &body))
        .await;
    assert_eq!(retry.status, 201);
    assert_eq!(retry.text, first.text);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
    assert_eq!(app.head().await, head);

    let mut other = body.clone();
    other["name"] = json!("Another Partner");
    let reused = app
        .send(keyed("/api/v1/partners", &cast.pam.token, "k-1", &other))
        .await;
    assert_eq!(reused.problem(422).as_deref(), Some("Idempotency-Key"));
    assert_eq!(reused.code(), "idempotency-key-reused");
    assert_eq!(app.head().await, head);

    // Keys are per caller: another person's same key is a new request.
    let theirs = app
        .send(keyed("/api/v1/partners", &cast.manager.token, "k-1", &body))
        .await;
    assert_eq!(theirs.status, 201);
    assert!(theirs.headers.get("idempotent-replayed").is_none());
}

#[tokio::test]
async fn a_refusal_is_replayed_too() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let mut body = partner_body(SOUTHEAST);
    body["territory"] = json!("Elsewhere");
    let first = app
        .send(keyed("/api/v1/partners", &cast.pam.token, "k-2", &body))
        .await;
    first.problem(403);
    let retry = app
        .send(keyed("/api/v1/partners", &cast.pam.token, "k-2", &body))
        .await;
    retry.problem(403);
    assert_eq!(retry.headers["idempotent-replayed"], "true");
}

#[tokio::test]
async fn of_two_appends_from_the_same_version_exactly_one_wins_and_the_other_is_a_409() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    let store = app.ledger.event_store::<Partner>();
    let first = store.load_aggregate(&id).await.unwrap();
    let second = store.load_aggregate(&id).await.unwrap();
    let meta =
        EventMetadata::new(&Actor::system(), &EffectiveTime::now(Utc::now()), "test").to_map();
    let change = |to| PartnerEvent::PartnerTierChanged {
        from: Tier::Registered,
        to,
        evidence: Reason::parse("race").unwrap(),
    };
    let head = app.head().await;
    store
        .commit(vec![change(Tier::Gold)], first, meta.clone())
        .await
        .unwrap();
    let lost = store
        .commit(vec![change(Tier::Silver)], second, meta)
        .await
        .unwrap_err();
    assert!(
        matches!(lost, AggregateError::AggregateConflict),
        "{lost:?}"
    );
    assert_eq!(app.head().await, head + 1);
    let answer = ApiError::from(
        AggregateError::<channel_ledger_domain::partner::PartnerError>::AggregateConflict,
    );
    assert_eq!(answer.status.as_u16(), 409);
    assert_eq!(answer.code, "concurrent-modification");
}

#[tokio::test]
async fn concurrent_reclassifications_over_http_append_one_event_per_success_and_answer_409_otherwise(
) {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    let path = format!("/api/v1/partners/{id}/classification");
    let classes = [
        "Champion",
        "Farmer",
        "Longtail",
        "LongtailDiamond",
        "HighPotential",
        "Zombie",
    ];
    let mut conflicts = 0;
    for attempt in 0..10 {
        let head = app.head().await;
        // Two requests whose classes differ from each other and from the current class.
        let pair = [classes[attempt % 3], classes[3 + attempt % 3]];
        let requests = pair.map(|class| {
            let body = json!({"classification": class, "rationale": format!("attempt {attempt}")});
            let request = TestApp::request(Method::POST, &path, Some(&cast.manager.token))
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap();
            let router = app.router.clone();
            tokio::spawn(async move { tower::ServiceExt::oneshot(router, request).await.unwrap() })
        });
        let mut ok = 0;
        for handle in requests {
            let status = handle.await.unwrap().status().as_u16();
            match status {
                200 => ok += 1,
                409 => conflicts += 1,
                other => panic!("unexpected status {other}"),
            }
        }
        assert!(ok >= 1, "at least one of two concurrent commands succeeds");
        assert_eq!(
            app.head().await,
            head + ok,
            "one event per success, none per conflict"
        );
    }
    eprintln!("{conflicts} of 10 races ended in a 409");
}
