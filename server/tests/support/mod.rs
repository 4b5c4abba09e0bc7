//! What the binary's tests share: the built binary, a ledger in a temporary directory, plain
//! HTTP/1.1 over a socket, and a seeded PAM. Each test binary uses some of it.
#![allow(dead_code)]

pub mod load;
pub mod postgres;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_channel-ledger");

pub fn ledger(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("ledger.db").display())
}

/// Runs the binary to completion with `DATABASE_URL=db`.
pub fn run(db: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("DATABASE_URL", db)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run channel-ledger")
}

/// Bootstraps the first Admin of `db`; their token.
pub fn bootstrap(db: &str) -> String {
    let out = run(db, &["bootstrap", "--name", "Ada Admin"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `channel-ledger serve` on `db` and `port`, its output discarded.
pub fn serve(db: &str, port: u16) -> Child {
    Command::new(BIN)
        .args(["serve"])
        .env("DATABASE_URL", db)
        .env("LEDGER_BIND", format!("127.0.0.1:{port}"))
        .env("LEDGER_LOG_FORMAT", "json")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// `channel-ledger serve` on `db` and `port`, its JSON logs appended to `log` for a failure's
/// message.
pub fn serve_logged(db: &str, port: u16, log: &std::path::Path) -> Child {
    serve_logged_with(db, port, log, &[])
}

/// [`serve_logged`] with extra environment variables, e.g. `LEDGER_IDEMPOTENCY_LEASE`.
pub fn serve_logged_with(
    db: &str,
    port: u16,
    log: &std::path::Path,
    env: &[(&str, &str)],
) -> Child {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .unwrap();
    Command::new(BIN)
        .args(["serve"])
        .env("DATABASE_URL", db)
        .env("LEDGER_BIND", format!("127.0.0.1:{port}"))
        .env("LEDGER_LOG_FORMAT", "json")
        .envs(env.iter().copied())
        .stdout(Stdio::null())
        .stderr(file)
        .spawn()
        .unwrap()
}

/// Waits up to 20 s for `path` to answer 200; the response.
pub fn wait_for_200(port: u16, path: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(r) = get(port, path, None).filter(|r| r.starts_with("HTTP/1.1 200")) {
            return r;
        }
        assert!(Instant::now() < deadline, "{path} did not answer 200");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// One request on its own connection; `None` when no response came back.
fn exchange(port: u16, request: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    (!response.is_empty()).then_some(response)
}

fn authorization(token: Option<&str>) -> String {
    token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default()
}

pub fn get(port: u16, path: &str, token: Option<&str>) -> Option<String> {
    let auth = authorization(token);
    exchange(
        port,
        &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n{auth}Connection: close\r\n\r\n"),
    )
}

pub fn post_json(port: u16, path: &str, token: &str, body: &str) -> Option<String> {
    post_json_with(port, path, token, body, &[])
}

/// A POST with extra `headers` (name, value).
pub fn post_json_with(
    port: u16,
    path: &str,
    token: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> Option<String> {
    let auth = authorization(Some(token));
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let length = body.len();
    exchange(
        port,
        &format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\n{auth}{extra}Content-Type: application/json\r\n\
             Content-Length: {length}\r\nConnection: close\r\n\r\n{body}"
        ),
    )
}

/// The body of a raw HTTP/1.1 response.
pub fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// A response header's value, by its lower-case name.
pub fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split_once("\r\n\r\n").map_or(response, |(h, _)| h);
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The status code of a raw HTTP/1.1 response.
pub fn status(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// A Southeast PAM hired by the bootstrap Admin, and the partner they registered.
pub struct Seeded {
    pub pam_token: String,
    pub partner_id: String,
}

/// Hires a Southeast PAM (as the bootstrap Admin) and has them register a partner, through the
/// router in-process.
pub fn seed_partner(db: &str, admin_token: &str) -> Seeded {
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
        let pam_token = token["token"].as_str().unwrap().to_owned();
        let partner = post(
            "/api/v1/partners".into(),
            pam_token.clone(),
            serde_json::json!({
                "name": "Ironclad MSP", "partner_type": "MSP", "territory": "Southeast",
                "headquarters": "Atlanta, GA", "size": "51-200",
            }),
        )
        .await;
        Seeded {
            pam_token,
            partner_id: partner["id"].as_str().unwrap().to_owned(),
        }
    })
}
