//! `GET /api/v1/ledger/digest` and `GET /api/v1/ledger/verify` (SQLite, in-process): any role
//! reads the digest, Auditors and Admins verify, and a kept digest is checked.

use channel_ledger_tests::http::{TestApp, SOUTHEAST};
use serde_json::json;

#[tokio::test]
async fn every_role_reads_the_digest_and_it_is_the_verified_head() {
    // Arrange
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    app.register_partner(&cast.pam, SOUTHEAST).await;
    let head = app.head().await;

    // Act
    let digest = app
        .get("/api/v1/ledger/digest", Some(&cast.pam.token))
        .await;
    let verified = app
        .get("/api/v1/ledger/verify", Some(&cast.auditor.token))
        .await;

    // Assert
    assert_eq!(digest.status, 200, "{}", digest.text);
    assert_eq!(digest.body["position"], json!(head));
    assert_eq!(digest.body["hash"].as_str().unwrap().len(), 64);
    assert_eq!(verified.status, 200, "{}", verified.text);
    assert_eq!(verified.body["intact"], json!(true));
    assert_eq!(verified.body["verified"], digest.body);
    assert_eq!(verified.body["broken"], json!(null));
    for staffer in [&cast.manager, &cast.cxo, &cast.finance, &cast.admin] {
        let r = app.get("/api/v1/ledger/digest", Some(&staffer.token)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    assert_eq!(app.get("/api/v1/ledger/digest", None).await.status, 401);
}

#[tokio::test]
async fn only_auditors_and_admins_verify() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    for staffer in [&cast.pam, &cast.manager, &cast.cxo, &cast.finance] {
        let r = app.get("/api/v1/ledger/verify", Some(&staffer.token)).await;
        assert_eq!(r.status, 403, "{}", r.text);
    }
    let r = app
        .get("/api/v1/ledger/verify", Some(&cast.admin.token))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn a_kept_digest_is_checked_against_the_chain() {
    // Arrange: the auditor keeps a digest, then the program goes on.
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let kept = app
        .get("/api/v1/ledger/digest", Some(&cast.auditor.token))
        .await
        .body;
    app.register_partner(&cast.pam, SOUTHEAST).await;
    let position = kept["position"].as_i64().unwrap();
    let hash = kept["hash"].as_str().unwrap();
    let verify = |position: i64, hash: String| {
        let app = &app;
        let token = cast.auditor.token.clone();
        async move {
            app.get(
                &format!("/api/v1/ledger/verify?position={position}&hash={hash}"),
                Some(&token),
            )
            .await
        }
    };

    // Act
    let same = verify(position, hash.to_owned()).await;
    let forged = verify(position, "ab".repeat(32)).await;
    let beyond = verify(position + 100, hash.to_owned()).await;

    // Assert
    assert_eq!(same.body["intact"], json!(true), "{}", same.text);
    assert_eq!(forged.body["intact"], json!(false));
    assert_eq!(forged.body["broken"]["problem"], json!("digest_mismatch"));
    assert_eq!(forged.body["broken"]["position"], json!(position));
    assert_eq!(beyond.body["broken"]["problem"], json!("truncated"));
    let half = app
        .get(
            &format!("/api/v1/ledger/verify?position={position}"),
            Some(&cast.auditor.token),
        )
        .await;
    assert_eq!(half.status, 422);
    assert_eq!(half.body["field"], json!("hash"));
    let bad_hash = verify(position, "xyz".to_owned()).await;
    assert_eq!(bad_hash.status, 422);
}
