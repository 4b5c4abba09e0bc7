//! A full disk under a running service (issue 6): the SQLite ledger lives on a 4 MiB tmpfs that
//! the test fills to the last byte. Commands fail with a 503 problem+json of type
//! `storage-unavailable` saying the storage is full (SQLite's `SQLITE_FULL`), reads keep
//! working, nothing is appended; once space is freed the same process records commands again.
//!
//! Mounting needs root (CAP_SYS_ADMIN); without it the test says so and does nothing. PostgreSQL's
//! `53100 disk_full` maps to the same answer (unit-tested in `store/src/error.rs`): a PostgreSQL
//! whose WAL cannot be written stops rather than answering, so it has no test of this kind.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::load::{self, Outcome};
use support::{body, bootstrap, free_port, get, header, post_json_with, seed_partner};
use support::{serve_logged, status, wait_for_200, Seeded};

/// A size-limited tmpfs, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, size: &str) -> Option<Self> {
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
            .ok()?;
        if !mounted.status.success() {
            eprintln!(
                "skipping the disk-full test: mounting a size-limited tmpfs needs root \
                 (CAP_SYS_ADMIN): {}",
                String::from_utf8_lossy(&mounted.stderr).trim()
            );
            return None;
        }
        Some(Self(at.to_owned()))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Fills the filesystem holding `file` until the system refuses another byte.
fn fill(file: &Path) {
    use std::io::Write;
    let mut filler = std::fs::File::create(file).unwrap();
    let block = vec![0u8; 4096];
    loop {
        match filler.write(&block) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(28) => break, // ENOSPC
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    // Whatever is left is smaller than a block: take it too, a byte at a time.
    while filler.write(&[0]).is_ok_and(|n| n == 1) {}
}

#[test]
fn a_full_disk_refuses_commands_with_503_and_keeps_serving_reads() {
    let dir = tempfile::tempdir().unwrap();
    let Some(disk) = Tmpfs::mount(dir.path(), "4m") else {
        return;
    };
    let db = support::ledger(&dir);
    let logs = tempfile::tempdir().unwrap();
    let log_path = logs.path().join("serve.log");
    let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let admin = bootstrap(&db);
    let Seeded {
        pam_token,
        partner_id,
    } = seed_partner(&db, &admin);
    let port = free_port();
    let mut server = serve_logged(&db, port, &log_path);
    wait_for_200(port, "/api/v1/ready");
    let digest = || get(port, "/api/v1/ledger/digest", Some(&pam_token)).unwrap();
    let before = body(&digest()).to_owned();

    let filler = dir.path().join("filler");
    fill(&filler);
    for n in 0..3 {
        let response = post_json_with(
            port,
            "/api/v1/partners",
            &pam_token,
            &load::partner(&format!("Full Disk {n}")),
            &[],
        )
        .unwrap();
        assert_eq!(status(&response), 503, "{response}\n{}", log());
        assert_eq!(
            header(&response, "content-type"),
            Some("application/problem+json")
        );
        let problem: serde_json::Value = serde_json::from_str(body(&response)).unwrap();
        assert_eq!(
            problem["type"],
            "https://channel-ledger.dev/problems/storage-unavailable"
        );
        let detail = problem["detail"].as_str().unwrap();
        assert!(detail.contains("storage is full"), "{detail}");
    }
    for path in [
        "/api/v1/partners".to_owned(),
        format!("/api/v1/partners/{partner_id}/profile"),
        format!("/api/v1/partners/{partner_id}/timeline"),
    ] {
        let response = get(port, &path, Some(&pam_token)).unwrap();
        assert_eq!(status(&response), 200, "GET {path}: {response}\n{}", log());
    }
    assert_eq!(status(&get(port, "/api/v1/ready", None).unwrap()), 200);
    assert_eq!(body(&digest()), before, "nothing is appended");

    // Space freed: the same process records commands again.
    std::fs::remove_file(&filler).unwrap();
    let outcome = load::register(port, &pam_token, "After Cleanup", None);
    assert!(
        matches!(outcome, Outcome::Acknowledged(_)),
        "{outcome:?}\n{}",
        log()
    );
    server.kill().ok();
    server.wait().ok();
    drop(disk);
}
