//! The staff directory and authentication over HTTP (SQLite, in-process).

use channel_ledger_tests::http::{TestApp, SOUTHEAST};
use chrono::{Duration, TimeZone, Utc};
use serde_json::json;

#[tokio::test]
async fn bootstrap_creates_the_first_admin_whose_token_works_and_refuses_a_second_time() {
    let app = TestApp::sqlite().await;
    let admin = app.bootstrap().await;

    let me = app
        .get(&format!("/api/v1/staff/{}", admin.id), Some(&admin.token))
        .await;
    assert_eq!(me.status, 200, "{}", me.text);
    assert_eq!(me.body["role"], "Admin");
    assert!(admin.token.starts_with("clt_") && admin.token.len() >= 4 + 64);

    let state = channel_ledger_server::AppState::new(
        app.ledger.clone(),
        channel_ledger_server::state::system_clock(),
    )
    .await
    .unwrap();
    let name = channel_ledger_domain::text::Name::parse("Eve").unwrap();
    let again = channel_ledger_server::cli::bootstrap::first_admin(&state, name).await;
    assert!(again.is_err());
}

#[tokio::test]
async fn admin_registers_staff_in_every_role_and_anyone_reads_the_directory() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let admin2 = app.hire(&cast.admin, "Bo Admin", "Admin", None).await;

    let list = app.get("/api/v1/staff", Some(&cast.pam.token)).await;
    assert_eq!(list.status, 200);
    let mut roles: Vec<&str> = list.body["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["role"].as_str().unwrap())
        .collect();
    roles.sort();
    roles.dedup();
    assert_eq!(
        roles,
        ["Admin", "Auditor", "CxO", "Finance", "Manager", "PAM"]
    );
    assert_eq!(
        app.get(&format!("/api/v1/staff/{}", admin2.id), None)
            .await
            .status,
        401
    );
}

#[tokio::test]
async fn only_an_admin_registers_staff() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let head = app.head().await;
    let r = app
        .post(
            "/api/v1/staff",
            Some(&cast.manager.token),
            &json!({"name": "X", "role": "PAM", "territory": SOUTHEAST}),
        )
        .await;
    r.problem(403);
    assert_eq!(app.head().await, head);
}

#[tokio::test]
async fn a_pam_needs_a_territory_and_an_auditor_has_none() {
    let app = TestApp::sqlite().await;
    let admin = app.bootstrap().await;
    let r = app
        .post(
            "/api/v1/staff",
            Some(&admin.token),
            &json!({"name": "X", "role": "PAM"}),
        )
        .await;
    assert_eq!(r.problem(422).as_deref(), Some("territory"));
    let r = app
        .post(
            "/api/v1/staff",
            Some(&admin.token),
            &json!({"name": "X", "role": "Auditor", "territory": SOUTHEAST}),
        )
        .await;
    assert_eq!(r.problem(422).as_deref(), Some("territory"));
}

#[tokio::test]
async fn a_request_without_a_token_is_refused_with_401_and_a_bearer_challenge() {
    let app = TestApp::sqlite().await;
    let r = app.get("/api/v1/staff", None).await;
    r.problem(401);
    assert_eq!(r.headers["www-authenticate"], "Bearer");
    app.get("/api/v1/staff", Some("clt_not-a-real-token"))
        .await
        .problem(401);
}

#[tokio::test]
async fn a_revoked_token_is_refused_with_401() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let tokens = app
        .get(
            &format!("/api/v1/staff/{}/tokens", cast.pam.id),
            Some(&cast.admin.token),
        )
        .await;
    assert_eq!(tokens.status, 200);
    let listed = &tokens.body["tokens"][0];
    assert!(listed.get("token_hash").is_none() && listed.get("token").is_none());
    let token_id = listed["token_id"].as_str().unwrap();
    // Known to the server's cache of token owners before it is revoked.
    assert_eq!(
        app.get("/api/v1/staff", Some(&cast.pam.token)).await.status,
        200
    );

    let revoked = app
        .post(
            &format!("/api/v1/tokens/{token_id}/revoke"),
            Some(&cast.admin.token),
            &json!({}),
        )
        .await;
    assert_eq!(revoked.status, 200, "{}", revoked.text);
    app.get("/api/v1/staff", Some(&cast.pam.token))
        .await
        .problem(401);
    // Revoking twice finds no active token.
    app.post(
        &format!("/api/v1/tokens/{token_id}/revoke"),
        Some(&cast.admin.token),
        &json!({}),
    )
    .await
    .problem(404);
}

#[tokio::test]
async fn staff_who_left_are_refused_with_401_even_with_a_valid_token() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    // Known to the server's cache of token owners before they leave.
    assert_eq!(
        app.get("/api/v1/staff", Some(&cast.pam.token)).await.status,
        200
    );
    let left = app
        .post(
            &format!("/api/v1/staff/{}/leave", cast.pam.id),
            Some(&cast.admin.token),
            &json!({"reason": "moved to another company"}),
        )
        .await;
    assert_eq!(left.status, 200, "{}", left.text);
    app.get("/api/v1/staff", Some(&cast.pam.token))
        .await
        .problem(401);
}

#[tokio::test]
async fn only_an_admin_manages_tokens() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    app.post(
        &format!("/api/v1/staff/{}/tokens", cast.pam.id),
        Some(&cast.cxo.token),
        &json!({}),
    )
    .await
    .problem(403);
    app.get(
        &format!("/api/v1/staff/{}/tokens", cast.pam.id),
        Some(&cast.pam.token),
    )
    .await
    .problem(403);
}

#[tokio::test]
async fn a_role_change_takes_effect_for_later_decisions() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let r = app
        .post(
            &format!("/api/v1/staff/{}/role", cast.pam.id),
            Some(&cast.admin.token),
            &json!({"role": "Manager", "territory": SOUTHEAST, "reason": "promoted"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let me = app
        .get(
            &format!("/api/v1/staff/{}", cast.pam.id),
            Some(&cast.pam.token),
        )
        .await;
    assert_eq!(me.body["role"], "Manager");
    let moved = app
        .post(
            &format!("/api/v1/staff/{}/territory", cast.pam.id),
            Some(&cast.admin.token),
            &json!({"territory": "Mid-Atlantic"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
}

#[tokio::test]
async fn a_known_token_owner_is_looked_at_again_when_the_clock_goes_back_before_they_joined() {
    let app = TestApp::sqlite().await;
    let joined = Utc.with_ymd_and_hms(2025, 3, 1, 12, 0, 0).unwrap();
    app.set_now(Some(joined));
    let cast = app.cast().await;
    assert_eq!(
        app.get("/api/v1/staff", Some(&cast.pam.token)).await.status,
        200
    );
    app.set_now(Some(joined - Duration::days(1)));
    app.get("/api/v1/staff", Some(&cast.pam.token))
        .await
        .problem(401);
    app.set_now(Some(joined));
    assert_eq!(
        app.get("/api/v1/staff", Some(&cast.pam.token)).await.status,
        200
    );
}
