//! `kill -9` under load (issue 6): eight clients register partners through the real binary while
//! it is killed without warning. After a restart, every registration that was answered 2xx is in
//! the ledger exactly once, none that was answered an error is, the read models catch up, and the
//! hash chain verifies. Every registration carries an `Idempotency-Key`: one cut off by the kill
//! got no answer (it may have been claimed, appended, or both, without its answer stored), and
//! its retry after the restart must get the answer and leave the partner in the ledger exactly
//! once (docs/adr/0010-idempotency-after-a-crash.md). On SQLite and on PostgreSQL.

mod support;

use std::time::Duration;

use support::load::{self, Load};
use support::Seeded;
use support::{bootstrap, free_port, ledger, run, seed_partner, serve_logged_with, wait_for_200};

const CLIENTS: usize = 8;
/// A short idempotency lease, so the retries need not wait long for the killed attempts' claims.
const LEASE: [(&str, &str); 1] = [("LEDGER_IDEMPOTENCY_LEASE", "1")];

#[test]
fn a_kill_9_under_load_loses_no_acknowledged_write_and_duplicates_none_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    kill_9_under_load(&ledger(&dir), &dir.path().join("serve.log"));
}

#[test]
fn a_kill_9_under_load_loses_no_acknowledged_write_and_duplicates_none_on_postgres() {
    let Some(db) = support::postgres::shared_database() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    kill_9_under_load(&db, &dir.path().join("serve.log"));
}

fn kill_9_under_load(db: &str, log: &std::path::Path) {
    let admin = bootstrap(db);
    let Seeded { pam_token, .. } = seed_partner(db, &admin);
    let port = free_port();
    let mut server = serve_logged_with(db, port, log, &LEASE);
    wait_for_200(port, "/api/v1/ready");

    // Eight clients register partners until the server dies under them.
    let load = Load::start(port, &pam_token, CLIENTS, "Crash Partner", true);
    std::thread::sleep(Duration::from_millis(1_500));
    server.kill().expect("SIGKILL the server");
    server.wait().unwrap();
    let mut outcomes = load.finish();

    // Restart on the same database; the read models catch up before /ready answers. Then
    // every unanswered registration is retried with its key until it is answered.
    let mut server = serve_logged_with(db, port, log, &LEASE);
    wait_for_200(port, "/api/v1/ready");
    let retried = load::settle(port, &pam_token, &mut outcomes);
    let resumed = std::fs::read_to_string(log)
        .unwrap_or_default()
        .matches("answered from the events an earlier attempt appended")
        .count();
    eprintln!("{retried} unanswered registrations retried, {resumed} answered from the log");
    load::wait_caught_up(port);
    let by_name = load::partners_by_name(port, &pam_token);
    server.kill().ok();
    server.wait().ok();

    let serve_log = || std::fs::read_to_string(log).unwrap_or_default();
    assert!(
        load::acknowledged(&outcomes) >= CLIENTS,
        "too little load to mean anything: {outcomes:?}\n{}",
        serve_log()
    );
    load::check(&outcomes, &by_name, true, &serve_log);
    let verify = run(db, &["verify"]);
    assert!(
        verify.status.success(),
        "the chain does not verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
