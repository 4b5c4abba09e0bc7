//! Operations and the log: probes, metrics, the OpenAPI document, the global event feed and
//! request ids (SQLite, in-process).

use axum::body::Body;
use axum::http::Method;
use channel_ledger_tests::http::{TestApp, SOUTHEAST};
use serde_json::json;

#[tokio::test]
async fn health_and_ready_answer_without_a_token() {
    let app = TestApp::sqlite().await;
    let health = app.get("/api/v1/health", None).await;
    assert_eq!(
        (health.status.as_u16(), &health.body),
        (200, &json!({"status": "ok"}))
    );
    let ready = app.get("/api/v1/ready", None).await;
    assert_eq!(ready.status, 200);
}

#[tokio::test]
async fn the_probes_also_answer_at_the_root_where_orchestrators_look() {
    let app = TestApp::sqlite().await;
    for path in ["/health", "/ready", "/metrics"] {
        let r = app.get(path, None).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text);
    }
    assert_eq!(app.get("/health", None).await.body, json!({"status": "ok"}));
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_commands_appended() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    app.register_partner(&cast.pam, SOUTHEAST).await;
    app.get("/api/v1/health", None).await;
    let metrics = app.get("/api/v1/metrics", None).await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.content_type().starts_with("text/plain"));
    for needle in [
        "http_requests_total{",
        "route=\"/api/v1/partners\"",
        "http_request_duration_seconds_bucket{",
        "ledger_commands_appended_total{aggregate_type=\"Partner\"}",
        "ledger_events_appended_total{aggregate_type=\"Staff\"}",
    ] {
        assert!(
            metrics.text.contains(needle),
            "missing {needle} in\n{}",
            metrics.text
        );
    }
}

#[tokio::test]
async fn the_openapi_document_covers_every_registered_route() {
    let app = TestApp::sqlite().await;
    let doc = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc.status, 200);
    assert!(doc.body["openapi"].as_str().unwrap().starts_with("3.1"));
    let routes = channel_ledger_server::routes::registered();
    assert!(routes.len() >= 22);
    for (method, path) in routes {
        let op = &doc.body["paths"][&path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert!(!op["responses"].as_object().unwrap().is_empty());
        if method == "post" {
            for status in ["401", "403", "422"] {
                assert!(
                    op["responses"][status].is_object(),
                    "{method} {path} lacks {status}"
                );
            }
        }
    }
    for schema in [
        "ProblemDetails",
        "RegisterPartner",
        "Reclassify",
        "Role",
        "Classification",
        "EventPage",
    ] {
        assert!(
            doc.body["components"]["schemas"][schema].is_object(),
            "schema {schema} missing"
        );
    }
}

#[tokio::test]
async fn the_event_feed_pages_through_the_log_in_order_for_program_wide_roles_only() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    for _ in 0..3 {
        app.register_partner(&cast.pam, SOUTHEAST).await;
    }
    let head = app.head().await;
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = app
            .get(
                &format!("/api/v1/events?after={after}&limit=4"),
                Some(&cast.auditor.token),
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.text);
        let events = page.body["events"].as_array().unwrap().clone();
        if events.is_empty() {
            break;
        }
        assert!(events.len() <= 4);
        for e in &events {
            seen.push(e["position"].as_i64().unwrap());
            assert!(e["metadata"]["actor_role"].is_string() && e["payload"].is_object());
            assert!(e["event_id"].is_string() && e["recorded_at"].is_string());
        }
        after = page.body["next_after"].as_i64().unwrap();
    }
    assert_eq!(seen, (1..=head).collect::<Vec<_>>());

    for reader in [&cast.cxo, &cast.finance, &cast.admin] {
        assert_eq!(
            app.get("/api/v1/events", Some(&reader.token)).await.status,
            200
        );
    }
    app.get("/api/v1/events", Some(&cast.pam.token))
        .await
        .problem(403);
    app.get("/api/v1/events", Some(&cast.manager.token))
        .await
        .problem(403);
    let token = Some(cast.cxo.token.as_str());
    assert_eq!(
        app.get("/api/v1/events?limit=0", token)
            .await
            .problem(422)
            .as_deref(),
        Some("limit")
    );
    assert_eq!(
        app.get("/api/v1/events?limit=1001", token)
            .await
            .problem(422)
            .as_deref(),
        Some("limit")
    );
    assert_eq!(
        app.get("/api/v1/events?after=-1", token)
            .await
            .problem(422)
            .as_deref(),
        Some("after")
    );
    assert_eq!(
        app.get("/api/v1/events?after=x", token)
            .await
            .problem(422)
            .as_deref(),
        Some("after")
    );
}

#[tokio::test]
async fn the_request_id_is_echoed_and_recorded_with_correlation_ids_in_the_metadata() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let correlation = uuid::Uuid::now_v7();
    let causation = uuid::Uuid::now_v7();
    let request = TestApp::request(Method::POST, "/api/v1/partners", Some(&cast.pam.token))
        .header("content-type", "application/json")
        .header("x-request-id", "req-from-client-1")
        .header("x-correlation-id", correlation.to_string())
        .header("x-causation-id", causation.to_string())
        .body(Body::from(
            channel_ledger_tests::http::partner_body(SOUTHEAST).to_string(),
        ))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.headers["x-request-id"], "req-from-client-1");
    let events = app.ledger.read_global(0, 1000).await.unwrap();
    let meta = &events.last().unwrap().metadata;
    assert_eq!(meta["request_id"], "req-from-client-1");
    assert_eq!(meta["correlation_id"], correlation.to_string());
    assert_eq!(meta["causation_id"], causation.to_string());

    let generated = app.get("/api/v1/health", None).await;
    let id = generated.headers["x-request-id"].to_str().unwrap();
    assert!(
        uuid::Uuid::parse_str(id).is_ok(),
        "a request id is generated when absent"
    );
}
