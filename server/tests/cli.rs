//! The real `channel-ledger` binary: bootstrap prints one token line and refuses a second time;
//! `token create` prints a working token and refuses unknown staff; `serve` answers /health and stops on SIGTERM;
//! `replay` prints a partner's timeline as of a date; `rebuild` prints its report as JSON.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::{free_port, get, ledger, run, seed_partner, serve, wait_for_200};

#[test]
fn bootstrap_prints_exactly_one_token_line_and_refuses_the_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(&dir);
    let first = run(&db, &["bootstrap", "--name", "Ada Admin"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let stdout = String::from_utf8(first.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "stdout: {stdout:?}");
    assert!(lines[0].starts_with("clt_") && lines[0].len() == 4 + 64);

    let second = run(&db, &["bootstrap", "--name", "Eve"]);
    assert_eq!(second.status.code(), Some(1));
    assert!(second.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains("already has an active Admin"), "{stderr}");
}

#[test]
fn token_create_refuses_unknown_staff_and_revoke_refuses_unknown_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(&dir);
    assert!(run(&db, &["bootstrap", "--name", "Ada Admin"])
        .status
        .success());
    let nobody = "0190a1b2-0000-7000-8000-000000000000";
    let create = run(&db, &["token", "create", "--staff", nobody]);
    assert_eq!(create.status.code(), Some(1));
    assert!(create.stdout.is_empty());
    let revoke = run(&db, &["token", "revoke", "--token", nobody]);
    assert_eq!(revoke.status.code(), Some(1));
}

#[test]
fn serve_answers_health_with_a_cli_token_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(&dir);
    let bootstrap = run(&db, &["bootstrap", "--name", "Ada Admin"]);
    let admin_token = String::from_utf8(bootstrap.stdout)
        .unwrap()
        .trim()
        .to_owned();
    let port = free_port();
    let mut server = serve(&db, port);
    let health = wait_for_200(port, "/api/v1/health");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let staff = get(port, "/api/v1/staff", Some(&admin_token)).unwrap();
    assert!(staff.starts_with("HTTP/1.1 200"), "{staff}");
    let staff_id = staff
        .split("\"staff_id\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the directory lists the Admin");
    let created = run(
        &db,
        &["token", "create", "--staff", staff_id, "--label", "laptop"],
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let token = String::from_utf8(created.stdout).unwrap();
    assert_eq!(token.lines().count(), 1);
    let with_new = get(port, "/api/v1/staff", Some(token.trim())).unwrap();
    assert!(with_new.starts_with("HTTP/1.1 200"), "{with_new}");

    let kill = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            server.kill().ok();
            panic!("the server did not stop on SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

#[test]
fn replay_prints_a_header_then_a_sentence_per_event_up_to_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(&dir);
    let bootstrap = run(&db, &["bootstrap", "--name", "Ada Admin"]);
    let token = String::from_utf8(bootstrap.stdout).unwrap();
    let partner = seed_partner(&db, token.trim()).partner_id;

    let replay = run(
        &db,
        &[
            "replay",
            "--partner",
            &partner,
            "--as-of",
            "2100-01-01",
            "--axis",
            "recorded",
        ],
    );

    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let stdout = String::from_utf8(replay.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with(
            "Ironclad MSP (Southeast) as of 2100-01-01T23:59:59.999999+00:00 on the recorded axis"
        ),
        "{stdout}"
    );
    assert!(lines.len() >= 2, "{stdout}");
    assert!(
        lines[1].contains(" — Sarah K. (PAM, Southeast) "),
        "{stdout}"
    );
    let json = run(
        &db,
        &[
            "replay",
            "--partner",
            &partner,
            "--as-of",
            "2100-01-01",
            "--json",
        ],
    );
    let body: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(body["profile"]["name"], "Ironclad MSP");
    assert_eq!(body["axis"], "effective");
    let before = run(
        &db,
        &["replay", "--partner", &partner, "--as-of", "2000-01-01"],
    );
    assert_eq!(before.status.code(), Some(1));
    let bad = run(
        &db,
        &["replay", "--partner", &partner, "--as-of", "30/06/2025"],
    );
    assert_eq!(bad.status.code(), Some(1));
}

#[test]
fn rebuild_prints_its_report_as_one_line_of_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(&dir);
    let bootstrap = run(&db, &["bootstrap", "--name", "Ada Admin"]);
    let token = String::from_utf8(bootstrap.stdout).unwrap();
    seed_partner(&db, token.trim());

    let first = run(&db, &["rebuild"]);
    let second = run(&db, &["rebuild"]);

    for rebuilt in [&first, &second] {
        assert!(
            rebuilt.status.success(),
            "{}",
            String::from_utf8_lossy(&rebuilt.stderr)
        );
        let stdout = String::from_utf8(rebuilt.stdout.clone()).unwrap();
        assert_eq!(stdout.lines().count(), 1, "{stdout}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert!(report["events"].as_u64().unwrap() >= 3, "{stdout}");
        assert!(report["events_per_second"].is_number());
    }
    // The second run resumed from the first one's snapshot and compared the two folds.
    let second: serde_json::Value = serde_json::from_slice(&second.stdout).unwrap();
    assert_eq!(second["matched_live"], true);
}
