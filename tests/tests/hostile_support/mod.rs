//! Issue 6 item 4, hostile input: the world the hostile requests are sent into, and what every
//! answer must satisfy.
//!
//! The world is the demo program (a four-year partner program written through the real command
//! path, so partners, RAPs, QARs, cohort strategies and MDF exist in every state), exported once
//! per test binary and imported into a fresh ledger on either backend, plus two members of staff
//! who exist only to be the target of the destructive staff endpoints (and their tokens, to be
//! revoked) and partners with no PAM yet (whose first assignment also schedules their QARs, a
//! second append the answer must list). Path parameters are bound
//! from what the log holds: the first names a record (`partners/{id}` a partner), the next ones
//! are read from that record's own events (`activities/{activity_id}` an activity of that fund
//! request), so a hostile body reaches the aggregate that decides it.

#![allow(
    dead_code,
    reason = "each test of the file uses its own part of the support module"
)]

pub mod json;
pub mod shapes;
pub mod strategies;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, Method, Request, Uri};
use channel_ledger_domain::StaffId;
use channel_ledger_server::auth::issue_token;
use channel_ledger_server::cli::demo::DemoToken;
use channel_ledger_store::Ledger;
use channel_ledger_tests::demo::DemoLedger;
use channel_ledger_tests::http::{TestApp, TestResponse};
use chrono::Utc;
use serde_json::{json, Value};
use uuid::Uuid;

use self::json::Json;
use self::shapes::Endpoint;

/// The body limit the service states (server/src/extract.rs).
pub const BODY_LIMIT: usize = channel_ledger_server::extract::BODY_LIMIT;

/// Every problem `type` starts so.
pub const PROBLEM_BASE: &str = "https://channel-ledger.dev/problems/";

/// Someone the requests are sent as.
#[derive(Debug, Clone)]
pub struct Caller {
    pub role: String,
    pub territory: Option<String>,
    pub staff_id: String,
    pub token: String,
}

/// What the log holds, for binding path parameters and choosing valid values.
#[derive(Debug, Default)]
pub struct Pools {
    pub callers: Vec<Caller>,
    /// Aggregate type → ids (`Token` holds the disposable staff's token ids).
    pub by_type: BTreeMap<String, Vec<String>>,
    /// Payload key → every scalar value it has anywhere in the log.
    pub by_key: BTreeMap<String, Vec<String>>,
    /// (aggregate id, payload key) → the values the key has in that record's events (of any
    /// aggregate type: a partner's QAR series shares the partner's id).
    pub by_record_key: HashMap<(String, String), Vec<String>>,
    /// Record id → its territory (a partner's own; anything else's through its `partner_id`).
    pub territory_of: HashMap<String, String>,
    pub territories: Vec<String>,
    /// Staff who hold no token here: the only ones a hostile body may make leave or move.
    pub disposable_staff: Vec<String>,
    /// Records the world's builder made on top of the demo program: the fixed corpus sends its
    /// baseline to each of them (a partner's first PAM assignment, a staffer's first move).
    pub fresh: BTreeSet<String>,
}

impl Pools {
    pub fn values(&self, key: &str) -> &[String] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    pub fn ids(&self, aggregate_type: &str) -> &[String] {
        self.by_type.get(aggregate_type).map_or(&[], Vec::as_slice)
    }

    /// Who may call `endpoint`, as far as roles go; the rest of the program's people when no rule
    /// names the endpoint (a new endpoint is still sent to, by everyone).
    pub fn callers_for(&self, endpoint: &Endpoint, record: Option<&str>) -> Vec<&Caller> {
        let roles = roles_for(&endpoint.method, &endpoint.template);
        // Someone acting on their own record (delegating their own approvals) is the caller.
        let own: Vec<&Caller> = self
            .callers
            .iter()
            .filter(|c| Some(c.staff_id.as_str()) == record)
            .filter(|c| roles.is_empty() || roles.contains(&c.role.as_str()))
            .collect();
        if !own.is_empty() {
            return own;
        }
        let territory = record.and_then(|id| self.territory_of.get(id));
        let mut callers: Vec<&Caller> = self
            .callers
            .iter()
            .filter(|c| roles.is_empty() || roles.contains(&c.role.as_str()))
            .filter(|c| match (&c.territory, territory) {
                (Some(own), Some(wanted)) => own == wanted,
                _ => true,
            })
            .collect();
        if callers.is_empty() {
            callers = self
                .callers
                .iter()
                .filter(|c| roles.is_empty() || roles.contains(&c.role.as_str()))
                .collect();
        }
        callers
    }
}

/// The roles that may call an endpoint (README "who decides" and the route docs); empty when no
/// rule names it.
fn roles_for(method: &str, template: &str) -> Vec<&'static str> {
    const READERS: [&str; 5] = ["PAM", "Manager", "CxO", "Finance", "Auditor"];
    let path = template.strip_prefix("/api/v1").unwrap_or(template);
    let ends = |suffix: &str| path.ends_with(suffix);
    let starts = |prefix: &str| path.starts_with(prefix);
    if method == "get" {
        return match () {
            _ if starts("/events") || starts("/ledger/verify") => {
                vec!["Auditor", "CxO", "Finance", "Admin"]
            }
            _ if starts("/ledger/digest") => vec![],
            _ if starts("/staff") => vec!["Admin"],
            _ if starts("/console") => vec!["Manager", "CxO", "Auditor"],
            _ if starts("/commitments") => vec!["CxO", "Finance", "Auditor"],
            _ if starts("/finance") || starts("/mdf/ledger") => vec!["Finance", "CxO", "Auditor"],
            _ if starts("/partners")
                || starts("/raps")
                || starts("/portfolio")
                || starts("/mdf")
                || starts("/cohort-strategies") =>
            {
                READERS.to_vec()
            }
            _ => vec![],
        };
    }
    match () {
        _ if starts("/admin") => vec!["Admin"],
        _ if starts("/staff") && path.contains("/delegations") => vec!["Manager", "CxO"],
        _ if starts("/staff") || starts("/tokens") => vec!["Admin"],
        _ if ends("/classification") => vec!["Manager", "CxO"],
        _ if starts("/partners") && path.contains("/qars") => vec!["PAM", "Manager"],
        _ if starts("/partners") && ends("/raps") => vec!["PAM", "Manager"],
        _ if starts("/partners") => vec!["PAM", "Manager", "CxO"],
        _ if starts("/raps") && (ends("/approve") || ends("/reject")) => vec!["Manager", "CxO"],
        _ if starts("/raps") => vec!["PAM", "Manager"],
        _ if starts("/cohort-strategies") => vec!["Manager", "CxO"],
        _ if starts("/mdf/budgets") && ends("/exemptions") => vec!["PAM", "Manager"],
        _ if starts("/mdf/budgets") && path.contains("/allocations") => vec!["Manager", "CxO"],
        _ if starts("/mdf/budgets") => vec!["CxO", "Finance"],
        _ if ends("/payments") => vec!["Finance"],
        _ if ends("/proof/accept") || ends("/proof/reject") => vec!["Manager", "Finance"],
        _ if starts("/mdf/fund-requests/")
            && (ends("/approve") || ends("/reject") || ends("/return") || ends("/decline")) =>
        {
            vec!["Manager", "CxO"]
        }
        _ if starts("/mdf") => vec!["PAM", "Manager"],
        _ => vec![],
    }
}

/// Which records a path segment's parameter names.
const SEGMENT_RECORDS: [(&str, &str); 7] = [
    ("partners", "Partner"),
    ("raps", "Rap"),
    ("fund-requests", "MdfFundRequest"),
    ("budgets", "MdfProgramBudget"),
    ("staff", "Staff"),
    ("cohort-strategies", "CohortStrategy"),
    ("tokens", "Token"),
];

/// Payload keys a later path parameter's values are read from.
fn keys_for(param: &str) -> Vec<&str> {
    match param {
        "commitment_id" => vec!["commitment_id", "id"],
        other => vec![other],
    }
}

/// A request's target: the service over a ledger holding the world.
pub struct World {
    pub app: TestApp,
    pub pools: Arc<Pools>,
    pub endpoints: Vec<Endpoint>,
    /// Per endpoint: tuples of path values (decoded) that name records of the world.
    pub bindings: Vec<Vec<Vec<String>>>,
    /// The SQLite file, when there is one.
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("endpoints", &self.endpoints.len())
            .finish_non_exhaustive()
    }
}

struct DemoExport {
    log: Vec<u8>,
    people: Vec<DemoToken>,
}

static DEMO: OnceLock<DemoExport> = OnceLock::new();

/// The demo program's log, written once per test binary.
fn demo_export() -> &'static DemoExport {
    DEMO.get_or_init(|| {
        std::thread::spawn(|| {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the demo export");
            runtime.block_on(async {
                let demo = DemoLedger::copy();
                let ledger = demo.ledger().await;
                let mut log = Vec::new();
                ledger
                    .export(&mut log)
                    .await
                    .expect("export the demo program");
                DemoExport {
                    log,
                    people: demo.tokens.clone(),
                }
            })
        })
        .join()
        .expect("the demo export's thread")
    })
}

impl World {
    /// The world in `ledger`, which must be empty. Keep `dir` (the SQLite file's) with it.
    pub async fn build(ledger: Ledger, dir: Option<tempfile::TempDir>) -> World {
        let demo = demo_export();
        ledger
            .import(demo.log.as_slice())
            .await
            .expect("import the demo program");
        let admin_id = demo
            .people
            .iter()
            .find(|p| p.role == "Admin")
            .expect("the demo program has an Admin")
            .staff_id
            .clone();
        let mut callers = Vec::new();
        for person in &demo.people {
            let issued = issue_token(
                &ledger,
                StaffId(person.staff_id.parse().expect("a staff id")),
                "hostile input",
                admin_id.parse().expect("a staff id"),
                Utc::now(),
            )
            .await
            .expect("issue a token");
            callers.push(Caller {
                role: person.role.clone(),
                territory: person.territory.clone(),
                staff_id: person.staff_id.clone(),
                token: issued.token,
            });
        }
        let app = TestApp::over(ledger).await;
        let admin = callers
            .iter()
            .find(|c| c.role == "Admin")
            .expect("an Admin")
            .clone();

        // Two people who exist to be made to leave, moved, re-roled and have tokens revoked.
        let mut tokens = Vec::new();
        let mut fresh = BTreeSet::new();
        for (name, role) in [("Hostile Target A", "PAM"), ("Hostile Target B", "Manager")] {
            let joined = app
                .post(
                    "/api/v1/staff",
                    Some(&admin.token),
                    &json!({"name": name, "role": role, "territory": "Southeast"}),
                )
                .await;
            assert_eq!(joined.status, 201, "{}", joined.text);
            let id = joined.body["id"].as_str().expect("an id").to_owned();
            fresh.insert(id.clone());
            for _ in 0..3 {
                let created = app
                    .post(
                        &format!("/api/v1/staff/{id}/tokens"),
                        Some(&admin.token),
                        &json!({"label": "to be revoked"}),
                    )
                    .await;
                assert_eq!(created.status, 201, "{}", created.text);
                tokens.push(
                    created.body["token_id"]
                        .as_str()
                        .expect("a token id")
                        .to_owned(),
                );
            }
        }

        // Partners with no PAM yet, in each territory: their first assignment also starts the
        // QAR cadence, a second append the answer must list too.
        for pam in callers.iter().filter(|c| c.role == "PAM") {
            for n in 0..2 {
                let mut body = channel_ledger_tests::http::partner_body(
                    pam.territory.as_deref().expect("a PAM's territory"),
                );
                body["name"] = json!(format!("Unassigned {n} of {}", &pam.staff_id[..8]));
                let registered = app.post("/api/v1/partners", Some(&pam.token), &body).await;
                assert_eq!(registered.status, 201, "{}", registered.text);
                fresh.insert(registered.body["id"].as_str().expect("an id").to_owned());
            }
        }

        let mut pools = harvest(&app.ledger, callers).await;
        fresh.extend(tokens.iter().cloned());
        pools.by_type.insert("Token".into(), tokens);
        pools.fresh = fresh;
        let doc = app.get("/api/v1/openapi.json", None).await;
        assert_eq!(doc.status, 200, "{}", doc.text);
        let endpoints = shapes::endpoints(&doc.body).unwrap_or_else(|e| panic!("{e}"));
        let bindings = endpoints
            .iter()
            .map(|e| bind(e, &pools).unwrap_or_else(|problem| panic!("{problem}")))
            .collect();
        World {
            app,
            pools: Arc::new(pools),
            endpoints,
            bindings,
            _dir: dir,
        }
    }
}

/// Reads the log into [`Pools`].
async fn harvest(ledger: &Ledger, callers: Vec<Caller>) -> Pools {
    let mut pools = Pools::default();
    let mut by_type: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut by_key: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut by_record_key: HashMap<(String, String), BTreeSet<String>> = HashMap::new();
    let mut partner_of: Vec<(String, String)> = Vec::new();
    let mut after = 0;
    loop {
        let page = ledger.read_global(after, 1000).await.expect("read the log");
        let Some(last) = page.last() else { break };
        after = last.position;
        for event in &page {
            by_type
                .entry(event.aggregate_type.clone())
                .or_default()
                .insert(event.aggregate_id.clone());
            let mut scalars = Vec::new();
            walk(&event.payload, "", &mut scalars);
            for (key, value) in scalars {
                if event.aggregate_type == "Partner" && key == "territory" {
                    pools
                        .territory_of
                        .insert(event.aggregate_id.clone(), value.clone());
                }
                if key == "partner_id" {
                    partner_of.push((event.aggregate_id.clone(), value.clone()));
                }
                by_record_key
                    .entry((event.aggregate_id.clone(), key.clone()))
                    .or_default()
                    .insert(value.clone());
                by_key.entry(key).or_default().insert(value);
            }
        }
    }
    for (record, partner) in partner_of {
        if let Some(territory) = pools.territory_of.get(&partner).cloned() {
            pools.territory_of.entry(record).or_insert(territory);
        }
    }
    let holders: BTreeSet<&str> = callers.iter().map(|c| c.staff_id.as_str()).collect();
    pools.disposable_staff = by_type
        .get("Staff")
        .into_iter()
        .flatten()
        .filter(|id| !holders.contains(id.as_str()))
        .cloned()
        .collect();
    pools.territories = by_key
        .get("territory")
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    pools.by_type = by_type
        .into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect();
    pools.by_key = by_key
        .into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect();
    pools.by_record_key = by_record_key
        .into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect();
    pools.callers = callers;
    pools
}

/// Every scalar of a payload with the key it sits under (array items under their array's key).
fn walk(value: &Value, key: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(members) => {
            for (k, v) in members {
                walk(v, k, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, key, out);
            }
        }
        Value::String(s) if !key.is_empty() => out.push((key.to_owned(), s.clone())),
        Value::Number(n) if !key.is_empty() => out.push((key.to_owned(), n.to_string())),
        _ => {}
    }
}

/// Tuples of path values naming records of the world, for `endpoint`'s path parameters.
fn bind(endpoint: &Endpoint, pools: &Pools) -> Result<Vec<Vec<String>>, String> {
    const MAX_TUPLES: usize = 400;
    let params: Vec<&str> = endpoint
        .path_params
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    let Some(first) = params.first() else {
        return Ok(vec![vec![]]);
    };
    let segments: Vec<&str> = endpoint.template.split('/').collect();
    let before = segments
        .iter()
        .position(|s| *s == format!("{{{first}}}"))
        .and_then(|i| i.checked_sub(1))
        .map(|i| segments[i])
        .unwrap_or("");
    let record_type = SEGMENT_RECORDS
        .iter()
        .find(|(segment, _)| *segment == before)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            format!(
                "{}: no binding for path parameter `{first}` after `{before}`; add the segment to \
                 SEGMENT_RECORDS in tests/tests/hostile_support/mod.rs",
                endpoint.label()
            )
        })?;
    let destructive = ["/leave", "/role", "/territory"]
        .iter()
        .any(|s| endpoint.template.ends_with(s));
    let firsts: Vec<String> = if record_type == "Staff" && destructive {
        pools.disposable_staff.clone()
    } else {
        pools.ids(record_type).to_vec()
    };
    if firsts.is_empty() {
        return Err(format!(
            "{}: the world holds no {record_type} to bind `{first}` to",
            endpoint.label()
        ));
    }
    let mut tuples: Vec<Vec<String>> = firsts.into_iter().map(|id| vec![id]).collect();
    for param in &params[1..] {
        let mut next = Vec::new();
        for tuple in &tuples {
            let record = &tuple[0];
            let mut values: Vec<&String> = keys_for(param)
                .into_iter()
                .filter_map(|key| pools.by_record_key.get(&(record.clone(), key.to_owned())))
                .flatten()
                .collect();
            if values.is_empty() && *param == "to" {
                values = pools.ids("Staff").iter().collect();
            }
            for value in values {
                let mut longer = tuple.clone();
                longer.push(value.clone());
                next.push(longer);
            }
        }
        if next.is_empty() {
            return Err(format!(
                "{}: the world holds no value for path parameter `{param}`; teach keys_for in \
                 tests/tests/hostile_support/mod.rs where to find one",
                endpoint.label()
            ));
        }
        tuples = next;
    }
    // Spread the cap over the records rather than keeping the first ones only.
    if tuples.len() > MAX_TUPLES {
        let step = tuples.len() / MAX_TUPLES + 1;
        tuples = tuples.into_iter().step_by(step).collect();
    }
    Ok(tuples)
}

/// Percent-encodes a path segment or query value (everything but unreserved characters).
pub fn encode(raw: &str) -> String {
    let mut out = String::new();
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A request as sent: its parts kept for the failure message.
#[derive(Debug, Clone)]
pub struct Sent {
    pub endpoint: usize,
    pub method: String,
    pub uri: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    /// The body as generated, when it is JSON-shaped.
    pub json: Option<Json>,
    /// Whether the body is well-formed JSON of an object without duplicate keys, sent as JSON:
    /// the only bodies a command may accept.
    pub acceptable_body: bool,
    pub request_id: String,
}

impl Sent {
    pub fn request(&self) -> Request<Body> {
        let method = Method::from_bytes(self.method.to_uppercase().as_bytes()).expect("a method");
        let uri: Uri = self
            .uri
            .parse()
            .unwrap_or_else(|e| panic!("the generator made an unparsable URI {}: {e}", self.uri));
        let mut request = Request::builder().method(method).uri(uri);
        for (name, value) in &self.headers {
            request = request.header(
                HeaderName::from_bytes(name.as_bytes()).expect("a header name"),
                HeaderValue::from_bytes(value).expect("a header value"),
            );
        }
        request
            .body(Body::from(self.body.clone()))
            .expect("a request")
    }

    /// A short description for failure messages: the body cut to a readable length.
    pub fn describe(&self) -> String {
        let body = if self.body.len() > 600 {
            format!(
                "{}… ({} bytes)",
                String::from_utf8_lossy(&self.body[..600]),
                self.body.len()
            )
        } else {
            String::from_utf8_lossy(&self.body).into_owned()
        };
        let uri = if self.uri.len() > 300 {
            format!("{}… ({} bytes)", &self.uri[..300], self.uri.len())
        } else {
            self.uri.clone()
        };
        let headers: Vec<String> = self
            .headers
            .iter()
            .filter(|(n, _)| n != "authorization")
            .map(|(n, v)| format!("{n}: {}", String::from_utf8_lossy(v)))
            .collect();
        format!("{} {uri} {headers:?}\n{body}", self.method.to_uppercase())
    }
}

/// Tally of what the service answered, for the report a run prints.
#[derive(Debug, Default)]
pub struct Tally {
    pub sent: usize,
    pub by_status: BTreeMap<u16, usize>,
    pub codes: BTreeSet<String>,
    pub endpoints_hit: BTreeSet<usize>,
}

/// Sends `sent` and checks the answer: never a 5xx; every 4xx a problem+json with a stable
/// `type`, the status it is sent with, a `detail`, and a `field` on every 422; the log's head
/// moves only on a 2xx, and only by events of this request (its `x-request-id` in their
/// metadata), among them every event the answer lists. Returns the answer, or what is wrong.
pub async fn send_and_check(
    world: &World,
    sent: &Sent,
    tally: &mut Tally,
) -> Result<TestResponse, String> {
    let before = world.app.head().await;
    let response = world.app.send(sent.request()).await;
    let after = world.app.head().await;
    let status = response.status.as_u16();
    tally.sent += 1;
    *tally.by_status.entry(status).or_default() += 1;
    tally.endpoints_hit.insert(sent.endpoint);
    let fail = |what: &str| {
        Err(format!(
            "{what}\nrequest: {}\nanswer: {status} {}",
            sent.describe(),
            if response.text.len() > 800 {
                &response.text[..800]
            } else {
                &response.text
            }
        ))
    };
    if status >= 500 {
        return fail("a hostile request got a server error");
    }
    if (400..500).contains(&status) {
        if response.content_type() != "application/problem+json" {
            return fail("a 4xx that is not application/problem+json");
        }
        let problem = &response.body;
        let Some(problem_type) = problem["type"].as_str() else {
            return fail("a problem without a type");
        };
        let Some(code) = problem_type.strip_prefix(PROBLEM_BASE) else {
            return fail("a problem type outside the service's base URI");
        };
        // Stable: a fixed kebab-case code, never an echo of the input.
        if code.is_empty()
            || code.len() > 64
            || !code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return fail("a problem type that is not a stable kebab-case code");
        }
        if problem["status"] != status {
            return fail("a problem whose status is not the response's");
        }
        if !problem["title"].is_string() || problem["detail"].as_str().is_none_or(str::is_empty) {
            return fail("a problem without a title or a detail");
        }
        // The field at fault by name: an empty name only when the client's key itself was "".
        if status == 422 && !problem["field"].is_string() {
            return fail("a 422 that does not name the field at fault");
        }
        tally.codes.insert(format!("{status} {code}"));
    }
    let success = (200..300).contains(&status);
    if !success {
        if after != before {
            return fail(&format!(
                "a refused request moved the log's head from {before} to {after}"
            ));
        }
        return Ok(response);
    }
    let endpoint = &world.endpoints[sent.endpoint];
    if endpoint.secured && repeats_a_query_parameter(&sent.uri) {
        return fail("an answer for one of two values of a repeated query parameter");
    }
    if endpoint.body.is_some() && !sent.acceptable_body {
        return fail("a command accepted a body that is not a well-formed JSON object without duplicate keys");
    }
    if endpoint.body.is_some() && sent.json.as_ref().is_some_and(Json::has_negative_money) {
        return fail("a command accepted a negative amount of money");
    }
    let replayed = response.headers.contains_key("idempotent-replayed");
    if endpoint.method == "get" || replayed {
        if after != before {
            return fail(&format!(
                "a read or a replay moved the log's head from {before} to {after}"
            ));
        }
        return Ok(response);
    }
    let appended = world
        .app
        .ledger
        .read_global(
            before,
            u32::try_from(after - before).unwrap_or(u32::MAX).max(1),
        )
        .await
        .map_err(|e| format!("read the log: {e}"))?;
    if appended.len() as i64 != after - before {
        return fail("the log's head moved by more events than can be read back");
    }
    for event in &appended {
        if event.metadata["request_id"].as_str() != Some(sent.request_id.as_str()) {
            return fail(&format!(
                "event {} ({}) appended meanwhile is not this request's",
                event.position, event.event_type
            ));
        }
        // What people wrote is kept as text people can read: no control characters but line
        // breaks and tabs, in the payload or the metadata.
        if let Some(bad) = control_character(&event.payload).or(control_character(&event.metadata))
        {
            return fail(&format!(
                "event {} ({}) stores a control character in {bad:?}",
                event.position, event.event_type
            ));
        }
    }
    for listed in response.body["events"].as_array().into_iter().flatten() {
        let position = listed["position"].as_i64().unwrap_or(-1);
        if position <= before || position > after {
            return fail(&format!(
                "the answer lists position {position}, outside what it appended ({before}, {after}]"
            ));
        }
    }
    if let Some(listed) = response.body["events"].as_array() {
        if listed.len() as i64 != after - before {
            return fail(&format!(
                "the answer lists {} events but {} were appended",
                listed.len(),
                after - before
            ));
        }
    }
    Ok(response)
}

/// Whether `uri`'s query names a parameter twice (names as written: the generators never
/// write one name two ways).
fn repeats_a_query_parameter(uri: &str) -> bool {
    let Some((_, query)) = uri.split_once('?') else {
        return false;
    };
    let mut seen = BTreeSet::new();
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
        .any(|name| !seen.insert(name))
}

/// The first string of `value` holding a control character other than a line break or a tab.
fn control_character(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => s
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
            .then(|| s.chars().take(80).collect()),
        Value::Array(items) => items.iter().find_map(control_character),
        Value::Object(members) => members.values().find_map(control_character),
        _ => None,
    }
}

/// A fresh request id.
pub fn request_id() -> String {
    Uuid::new_v4().to_string()
}
