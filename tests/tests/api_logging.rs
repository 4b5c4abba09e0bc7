//! Issue 6, item 4: tokens and personal data never reach the logs. Everything the service
//! traces, at every level, is captured while a person's name and tokens pass through it.
//!
//! The capture is this binary's global subscriber, so this file holds one test.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use channel_ledger_tests::http::TestApp;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::EnvFilter;

/// Everything written to the log, in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Installs a subscriber at TRACE for every crate, as JSON with span fields, writing to memory.
fn capture() -> Captured {
    let captured = Captured::default();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("trace"))
        .with_writer(captured.clone())
        .json()
        .with_current_span(true)
        .with_span_list(true)
        .init();
    captured
}

#[tokio::test]
async fn neither_tokens_nor_names_appear_in_the_logs() {
    let logs = capture();
    let app = TestApp::sqlite().await;
    let admin = app.bootstrap().await;

    // A person joins: their name travels in the body and in the events' metadata.
    let name = "Isadora Quenneville-Okafor";
    let manager = app.hire(&admin, name, "Manager", Some("Southeast")).await;
    // A refusal that echoes what was sent: the name typed where the role goes.
    let misfiled = app
        .post(
            "/api/v1/staff",
            Some(&admin.token),
            &serde_json::json!({"name": "A. Person", "role": name}),
        )
        .await;
    assert_eq!(misfiled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(misfiled.text.contains(name), "{}", misfiled.text);
    // Bearer tokens, good and bad.
    let staff = app.get("/api/v1/staff", Some(&manager.token)).await;
    assert_eq!(staff.status, StatusCode::OK, "{}", staff.text);
    let forged = format!("{}x", manager.token);
    let refused = app.get("/api/v1/staff", Some(&forged)).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{}", refused.text);
    // A console sign-in: the token arrives in a form and leaves in a cookie.
    let signed_in = app
        .send(
            TestApp::request(Method::POST, "/sign-in", None)
                .header("host", "ledger.test")
                .header("origin", "http://ledger.test")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(format!("token={}&next=%2F", manager.token)))
                .unwrap(),
        )
        .await;
    assert_eq!(
        signed_in.status,
        StatusCode::SEE_OTHER,
        "{}",
        signed_in.text
    );

    let logs = logs.text();
    assert!(
        logs.contains("request completed") && logs.contains("console session started"),
        "the capture saw the requests:\n{logs}"
    );
    assert!(
        logs.contains(&manager.id),
        "the capture holds span fields (staff.id):\n{logs}"
    );
    for secret in [&admin.token, &manager.token, &forged] {
        assert!(
            !logs.contains(secret.as_str()),
            "a token is in the logs:\n{logs}"
        );
    }
    for part in [name, "Quenneville"] {
        assert!(
            !logs.contains(part),
            "a person's name is in the logs:\n{logs}"
        );
    }
}
