//! Clients that register partners through the real binary while something goes wrong under it,
//! and the check of what the ledger holds afterwards against what each client was told.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{body, get, post_json_with, status};

/// How one registration ended, from the client's side.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// 2xx, with the partner's id.
    Acknowledged(String),
    /// An answer other than 2xx: its status and body.
    Refused(u16, String),
    /// The connection failed or was cut before an answer.
    NoAnswer,
}

/// The body of a registration named `name`.
pub fn partner(name: &str) -> String {
    serde_json::json!({
        "name": name, "partner_type": "MSP", "territory": "Southeast",
        "headquarters": "Atlanta, GA", "size": "11-50",
    })
    .to_string()
}

/// Registers a partner named `name`, with `Idempotency-Key: key` when given.
pub fn register(port: u16, token: &str, name: &str, key: Option<&str>) -> Outcome {
    let headers: Vec<(&str, &str)> = key.map(|k| ("Idempotency-Key", k)).into_iter().collect();
    let Some(response) = post_json_with(port, "/api/v1/partners", token, &partner(name), &headers)
    else {
        return Outcome::NoAnswer;
    };
    let code = status(&response);
    if !(200..300).contains(&code) {
        return Outcome::Refused(code, body(&response).to_owned());
    }
    let id = serde_json::from_str::<serde_json::Value>(body(&response))
        .ok()
        .and_then(|v| v["id"].as_str().map(str::to_owned));
    id.map_or(Outcome::NoAnswer, Outcome::Acknowledged)
}

/// `clients` threads registering partners named `"{prefix} {client}-{n}"` one after another
/// until `stop` is set; then each hands back what it was told.
pub struct Load {
    stop: Arc<AtomicBool>,
    clients: Vec<JoinHandle<Vec<(String, Outcome)>>>,
}

impl std::fmt::Debug for Load {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Load")
            .field("clients", &self.clients.len())
            .finish()
    }
}

impl Load {
    /// With `keyed`, each registration carries its name as its `Idempotency-Key`.
    pub fn start(port: u16, token: &str, clients: usize, prefix: &str, keyed: bool) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let clients = (0..clients)
            .map(|c| {
                let (token, stop, prefix) =
                    (token.to_owned(), Arc::clone(&stop), prefix.to_owned());
                std::thread::spawn(move || {
                    let mut outcomes = Vec::new();
                    for i in 0.. {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let name = format!("{prefix} {c}-{i}");
                        let key = keyed.then(|| key_of(&name));
                        let outcome = register(port, &token, &name, key.as_deref());
                        if !matches!(outcome, Outcome::Acknowledged(_)) {
                            // Do not spin while the service is down.
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        outcomes.push((name, outcome));
                    }
                    outcomes
                })
            })
            .collect();
        Self { stop, clients }
    }

    /// Stops the clients; every registration they attempted, with its outcome.
    pub fn finish(self) -> Vec<(String, Outcome)> {
        self.stop.store(true, Ordering::SeqCst);
        self.clients
            .into_iter()
            .flat_map(|c| c.join().unwrap())
            .collect()
    }
}

/// The `Idempotency-Key` of the registration named `name`.
pub fn key_of(name: &str) -> String {
    name.replace(' ', "-")
}

/// Retries every registration that got no answer with its `Idempotency-Key` (as
/// [`Load::start`] keyed them), until it is answered: a key still held by an attempt that may
/// be alive answers 409 `idempotency-key-in-progress`, and is retried until the claim's lease
/// runs out. The number of registrations retried.
pub fn settle(port: u16, token: &str, outcomes: &mut [(String, Outcome)]) -> usize {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut retried = 0;
    for (name, outcome) in outcomes.iter_mut() {
        if !matches!(outcome, Outcome::NoAnswer) {
            continue;
        }
        retried += 1;
        *outcome = loop {
            match register(port, token, name, Some(&key_of(name))) {
                Outcome::Refused(409, body) if body.contains("idempotency-key-in-progress") => {
                    assert!(Instant::now() < deadline, "{name} stays in progress");
                    std::thread::sleep(Duration::from_millis(200));
                }
                Outcome::NoAnswer => {
                    assert!(Instant::now() < deadline, "{name} gets no answer");
                    std::thread::sleep(Duration::from_millis(200));
                }
                answered => break answered,
            }
        };
    }
    retried
}

/// Waits up to 20 s for the read models to fold the whole log (`/ready` shows no lag).
pub fn wait_caught_up(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ready = get(port, "/api/v1/ready", None).unwrap_or_default();
        if status(&ready) == 200 && ready.contains("\"projection_lag_events\":0") {
            return;
        }
        assert!(Instant::now() < deadline, "the read models lag: {ready}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Every partner the read models list, by name: their ids.
pub fn partners_by_name(port: u16, token: &str) -> HashMap<String, Vec<String>> {
    let listed = get(port, "/api/v1/partners", Some(token)).unwrap();
    assert_eq!(status(&listed), 200, "{listed}");
    let partners: serde_json::Value = serde_json::from_str(body(&listed)).unwrap();
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for p in partners["partners"].as_array().unwrap() {
        by_name
            .entry(p["name"].as_str().unwrap().to_owned())
            .or_default()
            .push(p["partner_id"].as_str().unwrap().to_owned());
    }
    by_name
}

/// Holds the ledger to what the clients were told: an acknowledged registration is there exactly
/// once, under the id it was acknowledged with; one without an answer at most once; a refused one
/// not at all when `refusals_wrote_nothing` (an error after the commit, such as the database
/// going away while the answer was read back, is allowed to have written it, at most once).
pub fn check(
    outcomes: &[(String, Outcome)],
    by_name: &HashMap<String, Vec<String>>,
    refusals_wrote_nothing: bool,
    log: &dyn Fn() -> String,
) {
    for (name, outcome) in outcomes {
        let found = by_name.get(name).map_or(&[][..], Vec::as_slice);
        match outcome {
            Outcome::Acknowledged(id) => assert_eq!(
                found,
                std::slice::from_ref(id),
                "{name} was acknowledged as {id}\n{}",
                log()
            ),
            Outcome::Refused(code, body) if refusals_wrote_nothing => assert!(
                found.is_empty(),
                "{name} was refused {code} {body} but is in the ledger\n{}",
                log()
            ),
            Outcome::Refused(..) | Outcome::NoAnswer => {
                assert!(found.len() <= 1, "{name} is in twice: {found:?}\n{}", log());
            }
        }
    }
}

pub fn acknowledged(outcomes: &[(String, Outcome)]) -> usize {
    outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Acknowledged(_)))
        .count()
}
