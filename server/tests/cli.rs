//! The real `channel-ledger` binary: bootstrap prints one token line and refuses a second time;
//! `token create` prints a working token and refuses unknown staff; `serve` answers /health and stops on SIGTERM;
//! `replay` prints a partner's timeline as of a date; `rebuild` prints its report as JSON.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_channel-ledger");

fn ledger(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("ledger.db").display())
}

fn run(db: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run channel-ledger")
}

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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str, token: Option<&str>) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
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
    let mut server = Command::new(BIN)
        .args(["serve"])
        .env("DATABASE_URL", &db)
        .env("LEDGER_BIND", format!("127.0.0.1:{port}"))
        .env("LEDGER_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(20);
    let health = loop {
        if let Some(r) = get(port, "/api/v1/health", None) {
            break r;
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        std::thread::sleep(Duration::from_millis(100));
    };
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

/// Hires a Southeast PAM (as the bootstrap Admin) and has them register a partner, through the
/// router in-process; returns the partner's id.
fn seed_partner(db: &str, admin_token: &str) -> String {
    use axum::body::Body;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let ledger = channel_ledger_store::Ledger::connect(db).await.unwrap();
        let state = channel_ledger_server::AppState::new(
            ledger,
            channel_ledger_server::state::system_clock(),
        )
        .await
        .unwrap();
        let router = channel_ledger_server::app::router(state);
        let post = |path: String, token: String, body: serde_json::Value| {
            let router = router.clone();
            async move {
                let request = Request::post(path)
                    .header("authorization", format!("Bearer {token}"))
                    .header("content-type", "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap();
                let response = router.oneshot(request).await.unwrap();
                let bytes = response.into_body().collect().await.unwrap().to_bytes();
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()
            }
        };
        let pam = post(
            "/api/v1/staff".into(),
            admin_token.into(),
            serde_json::json!({"name": "Sarah K.", "role": "PAM", "territory": "Southeast"}),
        )
        .await;
        let pam_id = pam["id"].as_str().unwrap().to_owned();
        let token = post(
            format!("/api/v1/staff/{pam_id}/tokens"),
            admin_token.into(),
            serde_json::json!({}),
        )
        .await;
        let partner = post(
            "/api/v1/partners".into(),
            token["token"].as_str().unwrap().into(),
            serde_json::json!({
                "name": "Ironclad MSP", "partner_type": "MSP", "territory": "Southeast",
                "headquarters": "Atlanta, GA", "size": "51-200",
            }),
        )
        .await;
        partner["id"].as_str().unwrap().to_owned()
    })
}

#[test]
fn replay_prints_a_header_then_a_sentence_per_event_up_to_the_date() {
    let dir = tempfile::tempdir().unwrap();
    let db = ledger(&dir);
    let bootstrap = run(&db, &["bootstrap", "--name", "Ada Admin"]);
    let token = String::from_utf8(bootstrap.stdout).unwrap();
    let partner = seed_partner(&db, token.trim());

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
