//! PostgreSQL restarted under load (issue 6): the service runs on a cluster of the test's own
//! while four clients register partners; the cluster is stopped under it. While it is down,
//! `/ready` answers 503 and every command a 503 problem+json that says the database is
//! unavailable. When the cluster is back, the same `serve` process reconnects by itself, `/ready`
//! goes green, no acknowledged registration is lost or doubled, and the chain verifies.

mod support;

use std::time::{Duration, Instant};

use support::load::{self, Load, Outcome};
use support::post_json_with;
use support::postgres::{create_database, Cluster};
use support::{body, bootstrap, free_port, get, header, run, seed_partner, serve_logged, status};
use support::{wait_for_200, Seeded};

const CLIENTS: usize = 4;

/// Polls `path` until `accept` likes the response, for at most `limit`; the response.
fn wait_for(port: u16, path: &str, limit: Duration, accept: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + limit;
    loop {
        let response = get(port, path, None).unwrap_or_default();
        if accept(&response) {
            return response;
        }
        assert!(
            Instant::now() < deadline,
            "{path} never answered as expected; last: {response}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A 503 problem+json saying the database is unavailable, with a retry hint.
fn assert_database_unavailable(response: &str) {
    assert_eq!(status(response), 503, "{response}");
    assert_eq!(
        header(response, "content-type"),
        Some("application/problem+json"),
        "{response}"
    );
    let problem: serde_json::Value = serde_json::from_str(body(response)).unwrap();
    assert_eq!(
        problem["type"], "https://channel-ledger.dev/problems/database-unavailable",
        "{response}"
    );
    assert_eq!(problem["status"], 503);
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("database is unavailable"), "{detail}");
    assert!(header(response, "retry-after").is_some(), "{response}");
}

#[test]
fn postgres_stopped_fast_under_load_then_restarted() {
    restart_under_load("fast");
}

#[test]
fn postgres_stopped_immediate_under_load_then_restarted() {
    restart_under_load("immediate");
}

/// Stops the cluster in `mode` (`fast`: clients disconnected, a clean shutdown; `immediate`: as
/// if the power went, with crash recovery on the next start) and starts it again.
fn restart_under_load(mode: &str) {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = create_database(&cluster.admin_url());
    let log = cluster.path().join("serve.log");
    let serve_log = || {
        format!(
            "serve:\n{}\npostgres:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default(),
            cluster.log()
        )
    };
    let admin = bootstrap(&db);
    let Seeded { pam_token, .. } = seed_partner(&db, &admin);
    let port = free_port();
    let mut server = serve_logged(&db, port, &log);
    wait_for_200(port, "/api/v1/ready");

    let load = Load::start(port, &pam_token, CLIENTS, "Restart Partner", false);
    std::thread::sleep(Duration::from_millis(1_000));
    cluster.stop_server(mode);
    let stopped = Instant::now();

    // Not ready, and commands refused with a clear, retryable problem.
    let not_ready = wait_for(port, "/api/v1/ready", Duration::from_secs(10), |r| {
        status(r) == 503
    });
    assert_database_unavailable(&not_ready);
    let refused = post_json_with(
        port,
        "/api/v1/partners",
        &pam_token,
        &load::partner("While Down"),
        &[],
    )
    .expect("an answer while PostgreSQL is down");
    assert_database_unavailable(&refused);
    let down_for = stopped.elapsed();

    // Back up: the same process reconnects and the read models are current again.
    std::thread::sleep(Duration::from_millis(500));
    cluster.start_server();
    let ready = wait_for(port, "/api/v1/ready", Duration::from_secs(20), |r| {
        status(r) == 200
    });
    assert!(ready.contains("\"status\":\"ok\""), "{ready}");
    std::thread::sleep(Duration::from_millis(1_000));
    let outcomes = load.finish();
    assert!(
        server.try_wait().unwrap().is_none(),
        "serve exited\n{}",
        serve_log()
    );

    let refused_while_down = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Refused(503, _)))
        .count();
    let other: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Acknowledged(_) | Outcome::Refused(503, _)))
        .collect();
    eprintln!(
        "{mode}: down for {down_for:?}; {} acknowledged, {refused_while_down} refused 503, other {other:?}",
        load::acknowledged(&outcomes)
    );
    assert!(
        load::acknowledged(&outcomes) >= CLIENTS,
        "too little load to mean anything: {outcomes:?}\n{}",
        serve_log()
    );
    assert!(refused_while_down > 0, "no command saw the outage");
    // The projector resumes too: the read models fold every acknowledged write.
    let caught_up = Instant::now();
    wait_for(port, "/api/v1/ready", Duration::from_secs(40), |r| {
        r.contains("\"projection_lag_events\":0")
    });
    eprintln!("projector caught up in {:?}", caught_up.elapsed());
    let by_name = load::partners_by_name(port, &pam_token);
    load::check(&outcomes, &by_name, false, &serve_log);
    server.kill().ok();
    server.wait().ok();
    let verify = run(&db, &["verify"]);
    assert!(
        verify.status.success(),
        "the chain does not verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
