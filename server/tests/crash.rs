//! `kill -9` under load (issue 6): eight clients register partners through the real binary while
//! it is killed without warning. After a restart, every registration that was answered 2xx is in
//! the ledger exactly once, none that was answered an error is, the read models catch up, and the
//! hash chain verifies. A request cut off by the kill got no answer: it may or may not have
//! committed, and is only held to "at most once". On SQLite and on PostgreSQL.

mod support;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use support::{bootstrap, free_port, get, ledger, post_json, run, seed_partner, serve_logged};
use support::{status, wait_for_200, Seeded};

const CLIENTS: usize = 8;

/// How one registration ended, from the client's side.
#[derive(Debug)]
enum Outcome {
    Acknowledged(String),
    Refused(u16),
    NoAnswer,
}

fn register(port: u16, token: &str, name: &str) -> Outcome {
    let body = serde_json::json!({
        "name": name, "partner_type": "MSP", "territory": "Southeast",
        "headquarters": "Atlanta, GA", "size": "11-50",
    })
    .to_string();
    let Some(response) = post_json(port, "/api/v1/partners", token, &body) else {
        return Outcome::NoAnswer;
    };
    let code = status(&response);
    if !(200..300).contains(&code) {
        return Outcome::Refused(code);
    }
    let json = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    let id = serde_json::from_str::<serde_json::Value>(json)
        .ok()
        .and_then(|v| v["id"].as_str().map(str::to_owned));
    id.map_or(Outcome::NoAnswer, Outcome::Acknowledged)
}

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
    let mut server = serve_logged(db, port, log);
    wait_for_200(port, "/api/v1/ready");

    // Eight clients register partners until the server dies under them.
    let killed = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (token, killed) = (pam_token.clone(), Arc::clone(&killed));
            std::thread::spawn(move || {
                let mut outcomes = Vec::new();
                for i in 0.. {
                    let name = format!("Crash Partner {c}-{i}");
                    let outcome = register(port, &token, &name);
                    let dead =
                        matches!(outcome, Outcome::NoAnswer) && killed.load(Ordering::SeqCst);
                    outcomes.push((name, outcome));
                    if dead {
                        return outcomes;
                    }
                }
                unreachable!("the loop only ends when the server is gone")
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1_500));
    killed.store(true, Ordering::SeqCst);
    server.kill().expect("SIGKILL the server");
    server.wait().unwrap();
    let outcomes: Vec<(String, Outcome)> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();

    // Restart on the same database; the read models catch up before /ready answers.
    let mut server = serve_logged(db, port, log);
    wait_for_200(port, "/api/v1/ready");
    let listed = get(port, "/api/v1/partners", Some(&pam_token)).unwrap();
    assert_eq!(status(&listed), 200, "{listed}");
    let body = listed.split("\r\n\r\n").nth(1).unwrap();
    let partners: serde_json::Value = serde_json::from_str(body).unwrap();
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for p in partners["partners"].as_array().unwrap() {
        by_name
            .entry(p["name"].as_str().unwrap().to_owned())
            .or_default()
            .push(p["partner_id"].as_str().unwrap().to_owned());
    }
    server.kill().ok();
    server.wait().ok();

    let acknowledged = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Acknowledged(_)))
        .count();
    let serve_log = || std::fs::read_to_string(log).unwrap_or_default();
    assert!(
        acknowledged >= CLIENTS,
        "too little load to mean anything: {outcomes:?}\n{}",
        serve_log()
    );
    for (name, outcome) in &outcomes {
        let found = by_name.get(name).map_or(&[][..], Vec::as_slice);
        match outcome {
            Outcome::Acknowledged(id) => {
                assert_eq!(
                    found,
                    std::slice::from_ref(id),
                    "{name} was acknowledged as {id}"
                );
            }
            Outcome::Refused(code) => assert!(
                found.is_empty(),
                "{name} was refused {code}\n{}",
                serve_log()
            ),
            Outcome::NoAnswer => assert!(found.len() <= 1, "{name} is in twice: {found:?}"),
        }
    }
    let verify = run(db, &["verify"]);
    assert!(
        verify.status.success(),
        "the chain does not verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
}
