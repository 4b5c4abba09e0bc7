//! Partners over HTTP: who may register and change them, scoped reads, and the metadata each
//! event carries (SQLite, in-process).

use channel_ledger_tests::http::{partner_body, TestApp, NORTHWEST, SOUTHEAST};
use serde_json::json;

#[tokio::test]
async fn pam_registers_a_partner_in_their_own_territory_but_not_in_another() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;

    let head = app.head().await;
    let r = app
        .post(
            "/api/v1/partners",
            Some(&cast.pam.token),
            &partner_body(NORTHWEST),
        )
        .await;
    assert_eq!(r.problem(403), None);
    assert_eq!(app.head().await, head);

    let partner = app
        .get(&format!("/api/v1/partners/{id}"), Some(&cast.pam.token))
        .await;
    assert_eq!(partner.status, 200);
    assert_eq!(partner.body["tier"], "Registered");
    assert_eq!(partner.body["territory"], SOUTHEAST);
}

#[tokio::test]
async fn manager_reclassifies_with_a_rationale_recorded_in_the_metadata() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;

    let r = app
        .post(
            &format!("/api/v1/partners/{id}/classification"),
            Some(&cast.manager.token),
            &json!({"classification": "HighPotential", "rationale": "four quarters of net-new logos"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["events"][0]["event_type"], "PartnerReclassified");

    let events = app
        .get(
            &format!("/api/v1/partners/{id}/events"),
            Some(&cast.manager.token),
        )
        .await;
    let last = events.body["events"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    let meta = &last["metadata"];
    assert_eq!(meta["actor_id"], cast.manager.id.as_str());
    assert_eq!(meta["actor_role"], "Manager");
    assert_eq!(meta["actor_territory"], SOUTHEAST);
    assert_eq!(
        meta["authority"],
        "partner.reclassify as Manager of Southeast"
    );
    assert_eq!(meta["reason"], "four quarters of net-new logos");
    assert_eq!(last["position"], r.body["events"][0]["position"]);
    assert!(last["recorded_at"].is_string() && last["effective_at"].is_string());
}

#[tokio::test]
async fn pam_cannot_reclassify() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    let r = app
        .post(
            &format!("/api/v1/partners/{id}/classification"),
            Some(&cast.pam.token),
            &json!({"classification": "Champion", "rationale": "great quarter"}),
        )
        .await;
    r.problem(403);
}

#[tokio::test]
async fn an_empty_rationale_or_the_same_class_is_refused_with_422() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    let path = format!("/api/v1/partners/{id}/classification");
    let empty = app
        .post(
            &path,
            Some(&cast.manager.token),
            &json!({"classification": "Farmer", "rationale": "  "}),
        )
        .await;
    assert_eq!(empty.problem(422).as_deref(), Some("rationale"));

    let first = app
        .post(
            &path,
            Some(&cast.cxo.token),
            &json!({"classification": "Farmer", "rationale": "steady"}),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    let head = app.head().await;
    let same = app
        .post(
            &path,
            Some(&cast.manager.token),
            &json!({"classification": "Farmer", "rationale": "again"}),
        )
        .await;
    assert_eq!(same.problem(422).as_deref(), Some("classification"));
    assert_eq!(same.code(), "same-classification");
    assert_eq!(app.head().await, head);
}

#[tokio::test]
async fn assigning_a_pam_needs_an_active_pam_of_the_partners_territory() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    let path = format!("/api/v1/partners/{id}/pam");

    let ok = app
        .post(
            &path,
            Some(&cast.manager.token),
            &json!({"pam_id": cast.pam.id}),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);

    let other = app
        .post(
            &path,
            Some(&cast.manager.token),
            &json!({"pam_id": cast.other_pam.id}),
        )
        .await;
    assert_eq!(other.problem(422).as_deref(), Some("pam_id"));
    assert_eq!(other.code(), "pam-outside-territory");

    let leaver = app
        .hire(&cast.admin, "Lee L.", "PAM", Some(SOUTHEAST))
        .await;
    app.post(
        &format!("/api/v1/staff/{}/leave", leaver.id),
        Some(&cast.admin.token),
        &json!({"reason": "left the company"}),
    )
    .await;
    let gone = app
        .post(
            &path,
            Some(&cast.manager.token),
            &json!({"pam_id": leaver.id}),
        )
        .await;
    assert_eq!(gone.problem(422).as_deref(), Some("pam_id"));
    assert_eq!(gone.code(), "pam-not-active");

    let unknown = app
        .post(
            &path,
            Some(&cast.manager.token),
            &json!({"pam_id": uuid::Uuid::now_v7()}),
        )
        .await;
    assert_eq!(unknown.code(), "pam-not-active");
}

#[tokio::test]
async fn an_offboarded_partner_accepts_no_further_change() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    let off = app
        .post(
            &format!("/api/v1/partners/{id}/offboard"),
            Some(&cast.manager.token),
            &json!({"reason": "dormant for two years"}),
        )
        .await;
    assert_eq!(off.status, 200, "{}", off.text);
    let tier = app
        .post(
            &format!("/api/v1/partners/{id}/tier"),
            Some(&cast.pam.token),
            &json!({"tier": "Gold", "evidence": "certified"}),
        )
        .await;
    tier.problem(409);
    assert_eq!(tier.code(), "partner-offboarded");
    let again = app
        .post(
            &format!("/api/v1/partners/{id}/offboard"),
            Some(&cast.manager.token),
            &json!({"reason": "again"}),
        )
        .await;
    again.problem(409);
}

#[tokio::test]
async fn reads_are_scoped_by_territory_and_admins_see_no_partners() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let south = app.register_partner(&cast.pam, SOUTHEAST).await;
    let north = app.register_partner(&cast.other_pam, NORTHWEST).await;

    let mine = app.get("/api/v1/partners", Some(&cast.pam.token)).await;
    let ids: Vec<&str> = mine.body["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["partner_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [south.as_str()]);

    for reader in [&cast.cxo, &cast.finance, &cast.auditor] {
        let all = app.get("/api/v1/partners", Some(&reader.token)).await;
        assert_eq!(
            all.body["partners"].as_array().unwrap().len(),
            2,
            "{}",
            all.text
        );
    }
    // Outside one's territory a partner does not exist (404, not 403).
    app.get(&format!("/api/v1/partners/{north}"), Some(&cast.pam.token))
        .await
        .problem(404);
    app.get(
        &format!("/api/v1/partners/{north}/events"),
        Some(&cast.pam.token),
    )
    .await
    .problem(404);
    app.get("/api/v1/partners", Some(&cast.admin.token))
        .await
        .problem(403);
    app.get("/api/v1/partners/not-a-uuid", Some(&cast.cxo.token))
        .await
        .problem(404);
}

#[tokio::test]
async fn a_pam_changes_the_tier_with_evidence() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let id = app.register_partner(&cast.pam, SOUTHEAST).await;
    let r = app
        .post(
            &format!("/api/v1/partners/{id}/tier"),
            Some(&cast.pam.token),
            &json!({"tier": "Gold", "evidence": "two certified engineers"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let p = app
        .get(&format!("/api/v1/partners/{id}"), Some(&cast.auditor.token))
        .await;
    assert_eq!(p.body["tier"], "Gold");
}
