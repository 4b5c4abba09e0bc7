//! A database that refuses writes (issue 6): commands fail with a 503 problem+json of type
//! `storage-unavailable` whose detail says what is wrong, reads keep working, and nothing is
//! appended. On SQLite the files are made immutable under the running service (`chattr +i`: the
//! operating system refuses the writes) and then the service is restarted on a read-only file;
//! on PostgreSQL the cluster is switched to `default_transaction_read_only` and reloaded under
//! the running service, which is what a failover to a standby looks like to it (SQLSTATE 25006).

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::load::{self, Outcome};
use support::postgres::{self, Cluster};
use support::{
    body, bootstrap, free_port, get, header, post_json_with, seed_partner, serve_logged,
};
use support::{status, wait_for_200, Seeded};

/// Registers a partner and expects a 503 storage-unavailable problem whose detail contains one
/// of `says`.
fn assert_refused(port: u16, token: &str, says: &[&str], log: &dyn Fn() -> String) {
    let response = post_json_with(
        port,
        "/api/v1/partners",
        token,
        &load::partner("Refused Partner"),
        &[],
    )
    .expect("an answer");
    assert_eq!(status(&response), 503, "{response}\n{}", log());
    assert_eq!(
        header(&response, "content-type"),
        Some("application/problem+json")
    );
    let problem: serde_json::Value = serde_json::from_str(body(&response)).unwrap();
    assert_eq!(
        problem["type"], "https://channel-ledger.dev/problems/storage-unavailable",
        "{response}"
    );
    let detail = problem["detail"].as_str().unwrap();
    assert!(says.iter().any(|s| detail.contains(s)), "{detail}");
    assert!(detail.contains("reads still work") || detail.contains("reads may still work"));
}

/// The reads a user makes: the partner list, a partner's profile, the log's digest, /ready.
/// The PAM's reads, and the Admin's read of the log.
fn assert_reads_work(
    port: u16,
    pam: &str,
    admin: &str,
    partner_id: &str,
    log: &dyn Fn() -> String,
) {
    for (path, token) in [
        ("/api/v1/partners".to_owned(), pam),
        (format!("/api/v1/partners/{partner_id}/profile"), pam),
        (format!("/api/v1/partners/{partner_id}/timeline"), pam),
        ("/api/v1/ledger/digest".to_owned(), pam),
        ("/api/v1/events?after=0&limit=10".to_owned(), admin),
    ] {
        let response = get(port, &path, Some(token)).unwrap();
        assert_eq!(status(&response), 200, "GET {path}: {response}\n{}", log());
    }
    let ready = get(port, "/api/v1/ready", None).unwrap();
    assert_eq!(status(&ready), 200, "/ready: {ready}\n{}", log());
}

/// The log's head position, from the digest.
fn head(port: u16, token: &str) -> i64 {
    let digest = get(port, "/api/v1/ledger/digest", Some(token)).unwrap();
    let digest: serde_json::Value = serde_json::from_str(body(&digest)).unwrap();
    digest["position"].as_i64().unwrap()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Whether files in `dir` can be made immutable here: root, on a filesystem with the flag
/// (ext4, xfs, btrfs; not tmpfs or overlayfs).
fn immutable_files_work(dir: &Path) -> bool {
    let probe = dir.join("chattr-probe");
    std::fs::write(&probe, b"").unwrap();
    let works = Command::new("chattr")
        .arg("+i")
        .arg(&probe)
        .status()
        .is_ok_and(|s| s.success());
    let _ = Command::new("chattr").arg("-i").arg(&probe).status();
    let _ = std::fs::remove_file(&probe);
    works
}

/// Files made immutable (`chattr +i`), made mutable again when dropped so the directory can go.
struct Immutable(Vec<PathBuf>);

impl Immutable {
    fn set(files: &[PathBuf]) -> Self {
        let files: Vec<PathBuf> = files.iter().filter(|f| f.exists()).cloned().collect();
        let done = Command::new("chattr").arg("+i").args(&files).status();
        assert!(
            done.is_ok_and(|s| s.success()),
            "`chattr +i` failed: this test needs root and a filesystem with immutable files \
             (ext4, xfs, btrfs) for its temporary directory"
        );
        Self(files)
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = Command::new("chattr").arg("-i").args(&self.0).status();
    }
}

fn sqlite_files(dir: &Path) -> Vec<PathBuf> {
    ["ledger.db", "ledger.db-wal"]
        .iter()
        .map(|f| dir.join(f))
        .collect()
}

#[test]
fn a_read_only_sqlite_database_refuses_commands_with_503_and_keeps_serving_reads() {
    let dir = tempfile::tempdir().unwrap();
    let db = support::ledger(&dir);
    let log_path = dir.path().join("serve.log");
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let admin = bootstrap(&db);
    let Seeded {
        pam_token,
        partner_id,
    } = seed_partner(&db, &admin);
    let port = free_port();
    let mut server = serve_logged(&db, port, &log_path);
    wait_for_200(port, "/api/v1/ready");
    let before = head(port, &pam_token);

    let immutable_works = immutable_files_work(dir.path());
    if immutable_works {
        // Under the running service: its open files stop accepting writes.
        let immutable = Immutable::set(&sqlite_files(dir.path()));
        // SQLite reports the refused write as an I/O error or as a read-only database,
        // depending on which file it meets first.
        assert_refused(port, &pam_token, &["failed to write", "is read-only"], &log);
        assert_reads_work(port, &pam_token, &admin, &partner_id, &log);
        assert_eq!(head(port, &pam_token), before, "nothing is appended");
        // Writable again: the same process records commands again.
        drop(immutable);
        let outcome = load::register(port, &pam_token, "After Repair", None);
        assert!(
            matches!(outcome, Outcome::Acknowledged(_)),
            "{outcome:?}\n{}",
            log()
        );
    } else {
        eprintln!(
            "`chattr +i` does not work here (not root, or a filesystem without immutable \
             files): making the files read-only under the running service is skipped"
        );
    }
    let before = head(port, &pam_token);
    server.kill().ok();
    server.wait().ok();

    // A service started on a database file it cannot write: SQLite opens it read-only.
    let _read_only = if immutable_works {
        Some(Immutable::set(&[dir.path().join("ledger.db")]))
    } else if is_root() {
        eprintln!("root ignores file permissions and `chattr +i` does not work here: skipped");
        return;
    } else {
        let file = dir.path().join("ledger.db");
        let mut permissions = std::fs::metadata(&file).unwrap().permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&file, permissions).unwrap();
        None
    };
    let mut server = serve_logged(&db, port, &log_path);
    wait_for_200(port, "/api/v1/ready");
    assert_refused(port, &pam_token, &["is read-only"], &log);
    assert_reads_work(port, &pam_token, &admin, &partner_id, &log);
    assert_eq!(head(port, &pam_token), before, "nothing is appended");
    server.kill().ok();
    server.wait().ok();
}

#[test]
fn a_read_only_postgres_refuses_commands_with_503_and_keeps_serving_reads() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let db = postgres::create_database(&cluster.admin_url());
    let log_path = cluster.path().join("serve.log");
    let log = || {
        format!(
            "serve:\n{}\npostgres:\n{}",
            std::fs::read_to_string(&log_path).unwrap_or_default(),
            cluster.log()
        )
    };
    let admin = bootstrap(&db);
    let Seeded {
        pam_token,
        partner_id,
    } = seed_partner(&db, &admin);
    let port = free_port();
    let mut server = serve_logged(&db, port, &log_path);
    wait_for_200(port, "/api/v1/ready");
    let before = head(port, &pam_token);

    // Every session of the cluster, the service's pooled ones included, turns read-only.
    let admin_url = cluster.admin_url();
    postgres::execute(
        &admin_url,
        "ALTER SYSTEM SET default_transaction_read_only = on",
    );
    postgres::execute(&admin_url, "SELECT pg_reload_conf()");
    // A reload reaches each backend at its next command: give them a moment.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_refused(port, &pam_token, &["is read-only"], &log);
    assert_reads_work(port, &pam_token, &admin, &partner_id, &log);
    assert_eq!(head(port, &pam_token), before, "nothing is appended");

    // Writable again: the same process records commands again.
    // The admin session opts out of read-only for itself, to undo it.
    let writable = format!("{admin_url}?options=-c%20default_transaction_read_only%3Doff");
    postgres::execute(
        &writable,
        "ALTER SYSTEM RESET default_transaction_read_only",
    );
    postgres::execute(&writable, "SELECT pg_reload_conf()");
    std::thread::sleep(std::time::Duration::from_millis(300));
    let outcome = load::register(port, &pam_token, "After Repair", None);
    assert!(
        matches!(outcome, Outcome::Acknowledged(_)),
        "{outcome:?}\n{}",
        log()
    );
    server.kill().ok();
    server.wait().ok();
}
