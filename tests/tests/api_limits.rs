//! Issue 6, item 4: what a hostile client cannot do with headers. Other sites get no CORS grant,
//! and oversized headers are refused before anything is decided or appended.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use channel_ledger_tests::http::TestApp;
use serde_json::json;

const ELSEWHERE: &str = "https://elsewhere.example";

#[tokio::test]
async fn a_cross_origin_preflight_is_granted_nothing() {
    let app = TestApp::sqlite().await;

    let preflight = app
        .send(
            TestApp::request(Method::OPTIONS, "/api/v1/staff", None)
                .header("origin", ELSEWHERE)
                .header("access-control-request-method", "POST")
                .header(
                    "access-control-request-headers",
                    "authorization, content-type",
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;

    assert!(!preflight.status.is_success(), "{}", preflight.status);
    for header in [
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-allow-credentials",
    ] {
        assert!(
            !preflight.headers.contains_key(header),
            "{header} in {:?}",
            preflight.headers
        );
    }
}

#[tokio::test]
async fn a_cross_origin_read_carries_no_allow_origin() {
    let app = TestApp::sqlite().await;
    let admin = app.bootstrap().await;

    let read = app
        .send(
            TestApp::request(Method::GET, "/api/v1/staff", Some(&admin.token))
                .header("origin", ELSEWHERE)
                .body(Body::empty())
                .unwrap(),
        )
        .await;

    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert!(!read.headers.contains_key("access-control-allow-origin"));
    assert!(!read
        .headers
        .contains_key("access-control-allow-credentials"));
}

#[tokio::test]
async fn oversized_headers_are_refused_with_431_and_nothing_is_appended() {
    let app = TestApp::sqlite().await;
    let admin = app.bootstrap().await;
    let head = app.head().await;
    let body = json!({"name": "Priya M.", "role": "Manager", "territory": "Southeast"});
    let hire = |padding: usize| {
        TestApp::request(Method::POST, "/api/v1/staff", Some(&admin.token))
            .header("content-type", "application/json")
            .header("x-padding", "a".repeat(padding))
            .body(Body::from(body.to_string()))
            .unwrap()
    };

    let refused = app.send(hire(17 * 1024)).await;

    assert_eq!(refused.problem(431), None);
    assert_eq!(refused.code(), "headers-too-large");
    assert_eq!(app.head().await, head, "nothing appended");

    // Headers a little under the limit still pass.
    let hired = app.send(hire(15 * 1024)).await;
    assert_eq!(hired.status, StatusCode::CREATED, "{}", hired.text);
    assert!(app.head().await > head);
}
