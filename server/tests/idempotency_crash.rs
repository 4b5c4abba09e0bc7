//! An `Idempotency-Key` left "in progress" by a process killed between claiming the key and
//! storing the answer (docs/adr/0010-idempotency-after-a-crash.md): once the claim's lease has
//! run out, a retry with the same key gets the right answer — the one the first attempt would
//! have given if it committed, a fresh run if it did not — and the partner is in the ledger
//! exactly once.
//!
//! On PostgreSQL the real binary is killed with `kill -9` at a point the test holds it at: after
//! its append committed (a transaction the test keeps open holds back the positions the append
//! waits for) and before it committed (the test holds a lock its insert waits for). On SQLite,
//! whose single writer cannot be held that way from outside, the database is put in the state a
//! crashed process leaves: a completed key rewound to "in progress", and a key claimed with
//! nothing appended.

mod support;

use std::process::Child;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use sqlx::Connection;
use support::load::{self, partner};
use support::postgres::{self, Cluster};
use support::{
    body, bootstrap, free_port, header, post_json_with, seed_partner, serve_logged_with,
};
use support::{status, wait_for_200, Seeded};

/// Claims expire after a second, so the test need not wait long for a dead attempt's.
const LEASE: [(&str, &str); 1] = [("LEDGER_IDEMPOTENCY_LEASE", "1")];

/// Registers `name` with `Idempotency-Key: key`, retrying while the key is held by an attempt
/// whose lease runs; the final response.
fn register_until_answered(port: u16, token: &str, name: &str, key: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let response = post_json_with(
            port,
            "/api/v1/partners",
            token,
            &partner(name),
            &[("Idempotency-Key", key)],
        );
        match response {
            Some(r) if !body(&r).contains("idempotency-key-in-progress") => return r,
            other => {
                assert!(Instant::now() < deadline, "{key} never answered: {other:?}");
                std::thread::sleep(Duration::from_millis(200));
            }
        }
    }
}

fn json(response: &str) -> serde_json::Value {
    serde_json::from_str(body(response)).unwrap_or_else(|e| panic!("{e}: {response}"))
}

/// The ids of the partners named `name`, from the read models once they have folded the log.
fn partners_named(port: u16, token: &str, name: &str) -> Vec<String> {
    load::wait_caught_up(port);
    load::partners_by_name(port, token)
        .remove(name)
        .unwrap_or_default()
}

/// The SHA-256 the service keys a registration's request by: method, path and body.
fn request_hash(body: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(b"POST\n/api/v1/partners\n");
    h.update(body.as_bytes());
    h.finalize().to_vec()
}

fn stop(mut server: Child) {
    server.kill().expect("SIGKILL the server");
    server.wait().unwrap();
}

#[test]
fn keys_left_in_progress_in_a_sqlite_ledger_are_taken_over_and_answered_rightly() {
    let dir = tempfile::tempdir().unwrap();
    let db = support::ledger(&dir);
    let log_path = dir.path().join("serve.log");
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let admin = bootstrap(&db);
    let Seeded { pam_token, .. } = seed_partner(&db, &admin);
    let port = free_port();
    let server = serve_logged_with(&db, port, &log_path, &LEASE);
    wait_for_200(port, "/api/v1/ready");
    let first = register_until_answered(port, &pam_token, "After Commit", "after-commit");
    assert_eq!(status(&first), 201, "{first}");
    stop(server);

    // What a process killed at each point leaves behind.
    postgres::block_on(async {
        let mut conn = sqlx::SqliteConnection::connect(&db).await.unwrap();
        let scope: String =
            sqlx::query_scalar("SELECT scope FROM idempotency_keys WHERE key = 'after-commit'")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        // Killed after the append committed, before the answer was stored.
        let rewound = sqlx::query(
            "UPDATE idempotency_keys SET status_code = NULL, response_body = NULL, \
             completed_at = NULL, claimed_at = '2000-01-01T00:00:00.000000Z' \
             WHERE key = 'after-commit' AND appended",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        assert_eq!(rewound.rows_affected(), 1, "the append marked its claim");
        // Killed after claiming, before appending; and killed a moment ago.
        for (key, name, claimed_at) in [
            (
                "before-commit",
                "Before Commit",
                "'2000-01-01T00:00:00.000000Z'",
            ),
            (
                "just-now",
                "Just Now",
                "strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z'",
            ),
        ] {
            sqlx::query(&format!(
                "INSERT INTO idempotency_keys (scope, key, request_hash, claim_id, claimed_at) \
                 VALUES ($1, $2, $3, $4, {claimed_at})"
            ))
            .bind(&scope)
            .bind(key)
            .bind(request_hash(&partner(name)))
            .bind(uuid::Uuid::now_v7().to_string())
            .execute(&mut conn)
            .await
            .unwrap();
        }
        conn.close().await.ok();
    });

    let server = serve_logged_with(&db, port, &log_path, &LEASE);
    wait_for_200(port, "/api/v1/ready");
    // The committed request: the first attempt's answer, rebuilt, not a second partner.
    let retried = register_until_answered(port, &pam_token, "After Commit", "after-commit");
    assert_eq!(status(&retried), 201, "{retried}\n{}", log());
    assert_eq!(
        json(&retried),
        json(&first),
        "the answer the first attempt gave"
    );
    // The request that never appended: run now.
    let fresh = register_until_answered(port, &pam_token, "Before Commit", "before-commit");
    assert_eq!(status(&fresh), 201, "{fresh}\n{}", log());
    // A claim whose lease still runs may belong to a live attempt: wait for it.
    let held = post_json_with(
        port,
        "/api/v1/partners",
        &pam_token,
        &partner("Just Now"),
        &[("Idempotency-Key", "just-now")],
    )
    .unwrap();
    assert_eq!(status(&held), 409, "{held}");
    assert!(
        body(&held).contains("idempotency-key-in-progress"),
        "{held}"
    );
    assert_eq!(header(&held, "retry-after"), Some("1"), "{held}");
    let later = register_until_answered(port, &pam_token, "Just Now", "just-now");
    assert_eq!(status(&later), 201, "{later}\n{}", log());

    for (name, response) in [
        ("After Commit", &retried),
        ("Before Commit", &fresh),
        ("Just Now", &later),
    ] {
        let id = json(response)["id"].as_str().unwrap().to_owned();
        assert_eq!(partners_named(port, &pam_token, name), vec![id], "{name}");
    }
    stop(server);
}

/// Registers `name` with `key` from another thread: the call the test kills the server under.
fn register_in_background(
    port: u16,
    token: &str,
    name: &str,
    key: &str,
) -> std::thread::JoinHandle<Option<String>> {
    let (token, body, key) = (token.to_owned(), partner(name), key.to_owned());
    std::thread::spawn(move || {
        post_json_with(
            port,
            "/api/v1/partners",
            &token,
            &body,
            &[("Idempotency-Key", &key)],
        )
    })
}

/// Polls `sql` (a count) on `db` until it is at least one.
fn wait_until(db: &str, sql: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while postgres::query_text(db, &format!("SELECT ({sql})::text")).as_deref() == Some("0") {
        assert!(Instant::now() < deadline, "never saw {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_server_killed_between_claiming_a_key_and_answering_is_retried_rightly_on_postgres() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = postgres::create_database(&cluster.admin_url());
    let log_path = cluster.path().join("serve.log");
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let admin = bootstrap(&db);
    let Seeded { pam_token, .. } = seed_partner(&db, &admin);
    let port = free_port();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut blocker = runtime.block_on(sqlx::PgConnection::connect(&db)).unwrap();

    // 1. Killed after the commit: an open transaction with an id holds back the positions the
    //    append waits for once its events are committed.
    let server = serve_logged_with(&db, port, &log_path, &LEASE);
    wait_for_200(port, "/api/v1/ready");
    runtime
        .block_on(sqlx::raw_sql("BEGIN; SELECT pg_current_xact_id()").execute(&mut blocker))
        .unwrap();
    let cut = register_in_background(port, &pam_token, "After Commit", "after-commit");
    wait_until(
        &db,
        "SELECT count(*) FROM events WHERE metadata->>'idempotency_claim' IS NOT NULL",
        "the append commit",
    );
    stop(server);
    assert_eq!(cut.join().unwrap(), None, "the client got no answer");
    runtime
        .block_on(sqlx::raw_sql("COMMIT").execute(&mut blocker))
        .unwrap();
    let appended = postgres::query_text(
        &db,
        "SELECT aggregate_id FROM events WHERE metadata->>'idempotency_claim' IS NOT NULL",
    )
    .unwrap();

    // 2. Killed before the commit: the test's lock on the log holds the append's insert.
    let server = serve_logged_with(&db, port, &log_path, &LEASE);
    wait_for_200(port, "/api/v1/ready");
    runtime
        .block_on(sqlx::raw_sql("BEGIN; LOCK TABLE events IN EXCLUSIVE MODE").execute(&mut blocker))
        .unwrap();
    let cut = register_in_background(port, &pam_token, "Before Commit", "before-commit");
    wait_until(
        &db,
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
         WHERE c.relname = 'events' AND NOT l.granted",
        "the append waiting for the log",
    );
    stop(server);
    assert_eq!(cut.join().unwrap(), None, "the client got no answer");
    runtime
        .block_on(sqlx::raw_sql("ROLLBACK").execute(&mut blocker))
        .unwrap();
    runtime.block_on(blocker.close()).ok();
    assert_eq!(
        postgres::query_text(
            &db,
            "SELECT string_agg(key || ':' || (status_code IS NULL)::text || ':' || appended::text, ',' ORDER BY key) \
             FROM idempotency_keys"
        )
        .as_deref(),
        Some("after-commit:true:true,before-commit:true:false"),
        "both keys are left in progress, one with its events appended"
    );

    // Restarted: each retry gets the right answer.
    let server = serve_logged_with(&db, port, &log_path, &LEASE);
    wait_for_200(port, "/api/v1/ready");
    let retried = register_until_answered(port, &pam_token, "After Commit", "after-commit");
    assert_eq!(status(&retried), 201, "{retried}\n{}", log());
    let answer = json(&retried);
    assert_eq!(
        answer["id"],
        appended.as_str(),
        "the partner the first attempt registered"
    );
    let position = postgres::query_text(
        &db,
        &format!(
            "SELECT p.position::text FROM events e JOIN event_positions p ON p.event_id = e.id \
             WHERE e.aggregate_id = '{appended}'"
        ),
    );
    assert_eq!(
        answer["events"][0]["position"].to_string(),
        position.unwrap(),
        "the position its event was given"
    );
    let fresh = register_until_answered(port, &pam_token, "Before Commit", "before-commit");
    assert_eq!(status(&fresh), 201, "{fresh}\n{}", log());
    // Completed now: replayed as they are.
    for (name, key, answered) in [
        ("After Commit", "after-commit", &retried),
        ("Before Commit", "before-commit", &fresh),
    ] {
        let replayed = register_until_answered(port, &pam_token, name, key);
        assert_eq!(header(&replayed, "idempotent-replayed"), Some("true"));
        assert_eq!(json(&replayed), json(answered));
        let id = json(answered)["id"].as_str().unwrap().to_owned();
        assert_eq!(partners_named(port, &pam_token, name), vec![id], "{name}");
    }
    stop(server);
}
