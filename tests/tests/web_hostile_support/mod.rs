//! The world the console's hostile requests are sent into, the requests, and what every answer
//! must be (see `tests/tests/web_console_hostile.rs`).

pub mod values;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use channel_ledger_server::web::{csrf_token, SESSION_COOKIE};
use channel_ledger_tests::demo::DemoLedger;
use channel_ledger_tests::http::{TestApp, TestResponse};
use chrono::{DateTime, Datelike, Duration, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::{Access, Route, DECIDERS, ROUTES};

// ---------------------------------------------------------------------------------------------
// The world

pub const HOST: &str = "127.0.0.1:8080";
pub const SITE: &str = "http://127.0.0.1:8080";
pub const FLASH_COOKIE: &str = "cl_flash";

/// The body limit the service states (server/src/extract.rs), which forms share.
pub const BODY_LIMIT: usize = channel_ledger_server::extract::BODY_LIMIT;

#[derive(Debug, Clone)]
pub struct Person {
    pub role: String,
    pub territory: Option<String>,
    pub name: String,
    pub staff_id: String,
    pub token: String,
    pub csrf: String,
}

/// Something waiting in the workflow queue when the world was made.
#[derive(Debug, Clone)]
pub struct Item {
    pub kind: String,
    pub subject_id: String,
    pub territory: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Partner {
    pub id: String,
    pub territory: String,
}

pub struct World {
    pub app: TestApp,
    pub people: Vec<Person>,
    /// A second session (its own token) of the Southeast Manager.
    pub second: Person,
    /// A token of the Mid-Atlantic Manager, revoked.
    pub revoked: String,
    pub items: Vec<Item>,
    pub partners: Vec<Partner>,
    /// The last decision's message the service gave (a `cl_flash` value).
    pub last_flash: std::sync::Mutex<Option<String>>,
    pub _demo: DemoLedger,
}

impl std::fmt::Debug for World {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("World")
            .field("people", &self.people.len())
            .field("items", &self.items.len())
            .finish_non_exhaustive()
    }
}

impl World {
    pub fn person(&self, role: &str, territory: Option<&str>) -> usize {
        self.people
            .iter()
            .position(|p| {
                p.role == role && (territory.is_none() || p.territory.as_deref() == territory)
            })
            .unwrap_or_else(|| panic!("no {role} {territory:?}"))
    }
}

/// `FY26 Q4`: the demo program's fiscal year is the calendar year.
pub fn fiscal_quarter(t: DateTime<Utc>) -> String {
    format!("FY{:02} Q{}", t.year() % 100, (t.month0() / 3) + 1)
}

pub fn usd(dollars: i64) -> Value {
    json!({"minor": dollars * 100, "currency": "USD"})
}

pub async fn ok(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let r = app
        .post(&format!("/api/v1{path}"), Some(token), &body)
        .await;
    assert!(
        r.status.is_success(),
        "seeding {path}: {} {}",
        r.status,
        r.text
    );
    r.body
}

/// A copy of the demo program with more work waiting: per territory two RAP proposals, an MDF
/// exemption and a fund request of two activities (for its Manager), and cohort strategy
/// revisions; sessions for everyone.
pub async fn world() -> World {
    let demo = DemoLedger::copy();
    let app = TestApp::over(demo.ledger().await).await;
    let people: Vec<Person> = demo
        .tokens
        .iter()
        .map(|t| Person {
            role: t.role.clone(),
            territory: t.territory.clone(),
            name: t.name.clone(),
            staff_id: t.staff_id.clone(),
            token: t.token.clone(),
            csrf: csrf_token(&t.token),
        })
        .collect();
    let by = |role: &str, territory: Option<&str>| {
        people
            .iter()
            .find(|p| {
                p.role == role && (territory.is_none() || p.territory.as_deref() == territory)
            })
            .unwrap_or_else(|| panic!("no {role} {territory:?}"))
            .clone()
    };
    let (admin, cxo) = (by("Admin", None), by("CxO", None));

    // A second session of the Southeast Manager, and a revoked token of another Manager.
    let southeast = by("Manager", Some("Southeast"));
    let issued = ok(
        &app,
        &format!("/staff/{}/tokens", southeast.staff_id),
        &admin.token,
        json!({"label": "second browser"}),
    )
    .await;
    let second_token = issued["token"].as_str().expect("a token").to_owned();
    let second = Person {
        csrf: csrf_token(&second_token),
        token: second_token,
        ..southeast.clone()
    };
    let midatlantic = by("Manager", Some("Mid-Atlantic"));
    let issued = ok(
        &app,
        &format!("/staff/{}/tokens", midatlantic.staff_id),
        &admin.token,
        json!({"label": "lost laptop"}),
    )
    .await;
    let revoked = issued["token"].as_str().expect("a token").to_owned();
    ok(
        &app,
        &format!(
            "/tokens/{}/revoke",
            issued["token_id"].as_str().expect("an id")
        ),
        &admin.token,
        json!({}),
    )
    .await;

    let portfolio = app.get("/api/v1/portfolio", Some(&cxo.token)).await;
    let lines = portfolio.body["partners"]
        .as_array()
        .expect("partners")
        .clone();
    let partners: Vec<Partner> = lines
        .iter()
        .map(|p| Partner {
            id: p["partner_id"].as_str().expect("an id").to_owned(),
            territory: p["territory"].as_str().expect("a territory").to_owned(),
        })
        .collect();

    let now = Utc::now();
    let quarter = fiscal_quarter(now);
    let period = fiscal_quarter(now + Duration::days(120));
    let budget = app
        .get(
            &format!("/api/v1/mdf/budgets/{}", quarter.replace(' ', "%20")),
            Some(&cxo.token),
        )
        .await;
    if budget.status == StatusCode::NOT_FOUND {
        ok(
            &app,
            &format!("/mdf/budgets/{}", quarter.replace(' ', "%20")),
            &cxo.token,
            json!({"amount": usd(400_000)}),
        )
        .await;
    }
    let budgets = format!("/mdf/budgets/{}", quarter.replace(' ', "%20"));
    for pam in people.iter().filter(|p| p.role == "PAM") {
        let territory = pam.territory.as_deref().expect("a PAM's territory");
        let manager = by("Manager", Some(territory));
        let mine: Vec<&Value> = lines
            .iter()
            .filter(|p| p["pam"]["staff_id"] == pam.staff_id.as_str())
            .filter(|p| p["name"] != "Bridgeline Co." && p["raps_active"] == 0)
            .filter(|p| p["classification"] != "Zombie" && p["offboarded"] != true)
            .collect();
        assert!(mine.len() >= 4, "{} has too few partners", pam.name);
        // Two RAP proposals.
        for (n, p) in mine.iter().take(2).enumerate() {
            let tier = p["tier"].as_str().unwrap_or("");
            let mut terms = json!({
                "named_accounts": [{"name": "Acme Health", "domain": format!("acme-{n}.example")}],
                "mdf": usd(1_000), "partner_contribution": usd(1_000),
                "arr_target": usd(60_000), "partner_expected_revenue": usd(20_000),
            });
            if tier == "Registered" {
                terms["mdf_exemption"] = json!("a first co-investment to prove the motion");
            }
            let id = p["partner_id"].as_str().expect("an id");
            let drafted = ok(
                &app,
                &format!("/partners/{id}/raps"),
                &pam.token,
                json!({"period": period, "terms": terms}),
            )
            .await;
            let rap = drafted["id"].as_str().expect("a RAP id");
            ok(&app, &format!("/raps/{rap}/submit"), &pam.token, json!({})).await;
        }
        // An exemption waiting for the Manager.
        ok(
            &app,
            &format!("{budgets}/exemptions"),
            &pam.token,
            json!({"partner_id": mine[2]["partner_id"], "amount": usd(1_000),
                   "justification": "a launch campaign for two net-new logos"}),
        )
        .await;
        // A fund request of two activities on an approved exemption, waiting for the Manager.
        let partner = &mine[3]["partner_id"];
        let requested = ok(
            &app,
            &format!("{budgets}/exemptions"),
            &pam.token,
            json!({"partner_id": partner, "amount": usd(3_000),
                   "justification": "a roadshow for three named accounts"}),
        )
        .await;
        let allocation = requested["allocation_id"].as_str().expect("an allocation");
        let approve = format!("{budgets}/allocations/{allocation}/approve");
        ok(&app, &approve, &manager.token, json!({})).await;
        ok(&app, &approve, &cxo.token, json!({})).await;
        let drafted = ok(
            &app,
            "/mdf/fund-requests",
            &pam.token,
            json!({"partner_id": partner, "quarter": quarter, "allocation_id": allocation,
                   "title": "Roadshow and webinar"}),
        )
        .await;
        let request = format!(
            "/mdf/fund-requests/{}",
            drafted["id"].as_str().expect("an id")
        );
        for (what, dollars, days) in [("Roadshow", 1_500, 40), ("Webinar", 500, 45)] {
            ok(
                &app,
                &format!("{request}/activities"),
                &pam.token,
                json!({"description": what, "starts_on": (now + Duration::days(days)).date_naive(),
                       "requested": usd(dollars)}),
            )
            .await;
        }
        ok(&app, &format!("{request}/submit"), &pam.token, json!({})).await;
    }
    // Cohort strategy revisions, each waiting for someone other than its drafter.
    for (classification, drafter) in [
        ("Farmer", by("Manager", Some("Southeast"))),
        ("Champion", by("Manager", Some("Pacific Northwest"))),
        ("HighPotential", cxo.clone()),
    ] {
        ok(
            &app,
            &format!("/cohort-strategies/{classification}/revise"),
            &drafter.token,
            json!({"intent": "Sharper plays for the next half",
                   "plays": [{"title": "Account planning", "description": "Every quarter"}]}),
        )
        .await;
    }

    let console = app.get("/api/v1/console", Some(&cxo.token)).await;
    let items: Vec<Item> = console.body["queue"]["items"]
        .as_array()
        .expect("queue items")
        .iter()
        .map(|i| Item {
            kind: i["kind"].as_str().expect("a kind").to_owned(),
            subject_id: i["subject_id"].as_str().expect("a subject").to_owned(),
            territory: i["territory"].as_str().map(str::to_owned),
        })
        .collect();
    for kind in [
        "RapProposal",
        "MdfExemption",
        "FundRequest",
        "CohortStrategyVersion",
    ] {
        assert!(
            items.iter().filter(|i| i.kind == kind).count() >= 3,
            "the world has too few {kind} items: {items:?}"
        );
    }
    World {
        app,
        people,
        second,
        revoked,
        items,
        partners,
        last_flash: std::sync::Mutex::default(),
        _demo: demo,
    }
}

// ---------------------------------------------------------------------------------------------
// Requests

/// Whose cookie a request carries.
#[derive(Debug, Clone)]
pub enum Ident {
    Out,
    Person(usize),
    Second,
    Revoked,
    /// A `Cookie` header naming no session.
    Forged(Vec<u8>),
    /// A forged session cookie, then a person's: the service reads the first.
    ForgedFirst(usize),
    /// A person's session cookie, then a forged one.
    RealFirst(usize),
    /// A person's session, with a decision's message (`cl_flash`) nobody gave this session:
    /// written by hand, or the last one the service gave any session.
    WithFlash(usize, Option<Vec<u8>>),
}

/// Which form token a field holds, resolved against the request's session.
#[derive(Debug, Clone, Copy)]
pub enum Csrf {
    Own,
    OfPerson(usize),
    OfSecondSession,
    Upper,
    Extended,
    Truncated,
    Zeros,
    /// The right token with every character percent-encoded: the same value once decoded.
    EncodedAll,
}

/// A name or value of a form or query, resolved when the request is rendered.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Percent-encoded as a browser would.
    Text(String),
    /// Spaces as `+`.
    Plus(String),
    /// Sent as is.
    Raw(Vec<u8>),
    Csrf(Csrf),
    Kind(usize),
    Subject(usize),
    Token(usize),
    PartnerId(usize),
    StaffId(usize),
}

pub fn text(s: &str) -> Piece {
    Piece::Text(s.to_owned())
}

#[derive(Debug, Clone)]
pub enum Origin {
    Absent,
    Same,
    /// The same host seen through a TLS-terminating proxy.
    SameHttps,
    Values(Vec<Vec<u8>>),
}

#[derive(Debug, Clone)]
pub enum ContentType {
    Form,
    FormCharset,
    Json,
    Multipart,
    TextPlain,
    Absent,
    Raw(Vec<u8>),
}

#[derive(Debug, Clone)]
pub enum BodyPlan {
    Form(Vec<(Piece, Piece)>),
    /// The same fields as a JSON object.
    Json(Vec<(Piece, Piece)>),
    /// The same fields as multipart/form-data.
    Multipart(Vec<(Piece, Piece)>),
    Bytes(Vec<u8>),
    /// The fields, then a `reason` padding the body to exactly `len` bytes.
    Padded(Vec<(Piece, Piece)>, usize),
}

#[derive(Debug, Clone)]
pub struct Case {
    pub route: usize,
    pub method: &'static str,
    pub ident: Ident,
    /// The `{id}` segment.
    pub id: Option<Piece>,
    pub query: Vec<(Piece, Piece)>,
    pub origin: Origin,
    pub host: bool,
    pub content_type: ContentType,
    pub body: BodyPlan,
}

/// A request as sent, with what the checks need to know about it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub route: usize,
    pub method: &'static str,
    pub uri: String,
    pub headers: Vec<(String, Vec<u8>)>,
    pub body: Vec<u8>,
    pub request_id: String,
    /// The person whose session the service must read from the cookie, if any.
    pub session: Option<Person>,
    /// Every `Origin` names this site (or there is none).
    pub origin_ok: bool,
}

pub fn encode(s: &[u8], plus: bool) -> String {
    let mut out = String::new();
    for &b in s {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else if plus && b == b' ' {
            out.push('+');
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Bytes as they may stand in a URI: what a URI cannot hold (non-ASCII, controls, space, `#`)
/// percent-encoded, everything else (`&`, `=`, `%`, …) as is.
pub fn uri_safe(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes {
        if b.is_ascii_graphic() && b != b'#' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

pub fn encode_all(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

impl World {
    pub fn session_of(&self, ident: &Ident) -> Option<Person> {
        match ident {
            Ident::Person(i) => Some(self.people[*i].clone()),
            Ident::Second => Some(self.second.clone()),
            Ident::RealFirst(i) | Ident::WithFlash(i, _) => Some(self.people[*i].clone()),
            _ => None,
        }
    }

    /// A piece's bytes as they go on the wire (already encoded) and as the service decodes them.
    pub fn wire(&self, piece: &Piece, session: Option<&Person>) -> (Vec<u8>, String) {
        let plain = |s: String| (encode(s.as_bytes(), false).into_bytes(), s);
        match piece {
            Piece::Text(s) => plain(s.clone()),
            Piece::Plus(s) => (encode(s.as_bytes(), true).into_bytes(), s.clone()),
            Piece::Raw(b) => (b.clone(), form_decode(b)),
            Piece::Csrf(c) => {
                let own = session.map_or_else(|| "0".repeat(64), |p| p.csrf.clone());
                let value = match c {
                    Csrf::Own => own,
                    Csrf::OfPerson(i) => {
                        let other = &self.people[i % self.people.len()];
                        if session.is_some_and(|s| s.token == other.token) {
                            self.people[(i + 1) % self.people.len()].csrf.clone()
                        } else {
                            other.csrf.clone()
                        }
                    }
                    Csrf::OfSecondSession => {
                        if session.is_some_and(|s| s.token == self.second.token) {
                            self.people[self.person("Manager", Some("Southeast"))]
                                .csrf
                                .clone()
                        } else {
                            self.second.csrf.clone()
                        }
                    }
                    Csrf::Upper => own.to_uppercase(),
                    Csrf::Extended => format!("{own}0"),
                    Csrf::Truncated => own[..63].to_owned(),
                    Csrf::Zeros => "0".repeat(64),
                    Csrf::EncodedAll => return (encode_all(&own).into_bytes(), own),
                };
                plain(value)
            }
            Piece::Kind(i) => plain(self.items[i % self.items.len()].kind.clone()),
            Piece::Subject(i) => plain(self.items[i % self.items.len()].subject_id.clone()),
            Piece::Token(i) => plain(self.people[i % self.people.len()].token.clone()),
            Piece::PartnerId(i) => plain(self.partners[i % self.partners.len()].id.clone()),
            Piece::StaffId(i) => plain(self.people[i % self.people.len()].staff_id.clone()),
        }
    }

    pub fn render(&self, case: &Case) -> Sent {
        let route = &ROUTES[case.route];
        let session = self.session_of(&case.ident);
        let s = session.as_ref();
        let mut uri = match &case.id {
            Some(id) => route.path.replace("{id}", &uri_safe(&self.wire(id, s).0)),
            None => route.path.replace("{id}", &self.partners[0].id),
        };
        let pairs: Vec<String> = case
            .query
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    uri_safe(&self.wire(k, s).0),
                    uri_safe(&self.wire(v, s).0)
                )
            })
            .collect();
        // A URI holds at most 64 KiB: what would not fit is left off.
        let mut query = String::new();
        for pair in pairs {
            if uri.len() + query.len() + pair.len() + 2 < 60_000 {
                query.push(if query.is_empty() { '?' } else { '&' });
                query.push_str(&pair);
            }
        }
        uri.push_str(&query);
        let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
        if case.host {
            headers.push(("host".into(), HOST.into()));
        }
        let cookie = match &case.ident {
            Ident::Out => None,
            Ident::Person(i) => {
                Some(format!("{SESSION_COOKIE}={}", self.people[*i].token).into_bytes())
            }
            Ident::Second => Some(format!("{SESSION_COOKIE}={}", self.second.token).into_bytes()),
            Ident::Revoked => Some(format!("{SESSION_COOKIE}={}", self.revoked).into_bytes()),
            Ident::Forged(raw) => Some(raw.clone()),
            Ident::ForgedFirst(i) => Some(
                format!(
                    "a=1; {SESSION_COOKIE}=clt_forged; {SESSION_COOKIE}={}",
                    self.people[*i].token
                )
                .into_bytes(),
            ),
            Ident::RealFirst(i) => Some(
                format!(
                    "{SESSION_COOKIE}={}; {SESSION_COOKIE}=clt_forged",
                    self.people[*i].token
                )
                .into_bytes(),
            ),
            Ident::WithFlash(i, flash) => {
                let flash = flash.clone().unwrap_or_else(|| {
                    let last = self.last_flash.lock().expect("the last flash");
                    last.clone().expect("a flash given before").into_bytes()
                });
                let mut c = format!(
                    "{SESSION_COOKIE}={}; {FLASH_COOKIE}=",
                    self.people[*i].token
                )
                .into_bytes();
                c.extend(flash);
                Some(c)
            }
        };
        if let Some(c) = cookie {
            headers.push(("cookie".into(), c));
        }
        let origins: Vec<Vec<u8>> = match &case.origin {
            Origin::Absent => vec![],
            Origin::Same => vec![SITE.into()],
            Origin::SameHttps => vec![format!("https://{HOST}").into_bytes()],
            Origin::Values(v) => v.clone(),
        };
        let origin_ok = origins.iter().all(|o| {
            let o = String::from_utf8_lossy(o).to_ascii_lowercase();
            case.host && (o == SITE || o == format!("https://{HOST}"))
        });
        for o in origins {
            headers.push(("origin".into(), o));
        }
        let content_type: Option<Vec<u8>> = match &case.content_type {
            ContentType::Form => Some(b"application/x-www-form-urlencoded".to_vec()),
            ContentType::FormCharset => {
                Some(b"application/x-www-form-urlencoded; charset=UTF-8".to_vec())
            }
            ContentType::Json => Some(b"application/json".to_vec()),
            ContentType::Multipart => Some(b"multipart/form-data; boundary=XyZzY".to_vec()),
            ContentType::TextPlain => Some(b"text/plain".to_vec()),
            ContentType::Absent => None,
            ContentType::Raw(b) => Some(b.clone()),
        };
        if let Some(ct) = content_type {
            headers.push(("content-type".into(), ct));
        }
        let request_id = Uuid::new_v4().to_string();
        headers.push(("x-request-id".into(), request_id.clone().into_bytes()));
        let form = |pairs: &[(Piece, Piece)]| -> Vec<u8> {
            let mut out = Vec::new();
            for (n, (k, v)) in pairs.iter().enumerate() {
                if n > 0 {
                    out.push(b'&');
                }
                out.extend(self.wire(k, s).0);
                out.push(b'=');
                out.extend(self.wire(v, s).0);
            }
            out
        };
        let body = match &case.body {
            BodyPlan::Form(pairs) => form(pairs),
            BodyPlan::Padded(pairs, len) => {
                let mut out = form(pairs);
                out.extend(b"&reason=");
                let pad = len.saturating_sub(out.len());
                out.resize(out.len() + pad, b'x');
                out
            }
            BodyPlan::Json(pairs) => {
                let mut members = Vec::new();
                for (k, v) in pairs {
                    let (_, k) = self.wire(k, s);
                    let (_, v) = self.wire(v, s);
                    members.push(format!("{}:{}", Value::String(k), Value::String(v)));
                }
                format!("{{{}}}", members.join(",")).into_bytes()
            }
            BodyPlan::Multipart(pairs) => {
                let mut out = Vec::new();
                for (k, v) in pairs {
                    let (_, k) = self.wire(k, s);
                    let (_, v) = self.wire(v, s);
                    out.extend(
                        format!(
                            "--XyZzY\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                        )
                        .into_bytes(),
                    );
                }
                out.extend(b"--XyZzY--\r\n");
                out
            }
            BodyPlan::Bytes(b) => b.clone(),
        };
        Sent {
            route: case.route,
            method: case.method,
            uri,
            headers,
            body,
            request_id,
            session,
            origin_ok,
        }
    }
}

impl Sent {
    pub fn request(&self) -> Request<Body> {
        let mut r = Request::builder()
            .method(Method::from_bytes(self.method.as_bytes()).expect("a method"))
            .uri(&self.uri);
        for (name, value) in &self.headers {
            r = r.header(name.as_str(), value.as_slice());
        }
        r.body(Body::from(self.body.clone())).expect("a request")
    }

    pub fn describe(&self) -> String {
        let cut = |b: &[u8], n: usize| {
            if b.len() > n {
                format!("{}… ({} bytes)", String::from_utf8_lossy(&b[..n]), b.len())
            } else {
                String::from_utf8_lossy(b).into_owned()
            }
        };
        let headers: Vec<String> = self
            .headers
            .iter()
            .map(|(n, v)| format!("{n}: {}", cut(v, 120)))
            .collect();
        format!(
            "{} {} {headers:?}\n{}",
            self.method,
            cut(self.uri.as_bytes(), 300),
            cut(&self.body, 600)
        )
    }

    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
    }

    /// The form's fields as the service decodes them (whatever the content type says).
    pub fn fields(&self) -> Vec<(String, String)> {
        form_pairs(&self.body)
    }

    /// The single value of `name`, if the form has exactly one.
    pub fn field(&self, name: &str) -> Option<String> {
        let all: Vec<String> = self
            .fields()
            .into_iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v)
            .collect();
        (all.len() == 1).then(|| all[0].clone())
    }

    /// Exactly one form token, and it is this session's.
    pub fn csrf_ok(&self) -> bool {
        match (&self.session, self.field("csrf")) {
            (Some(p), Some(c)) => c == p.csrf,
            _ => false,
        }
    }
}

/// `application/x-www-form-urlencoded` as the service reads it: `+` is a space, `%XX` a byte
/// (a malformed escape is kept as written), then UTF-8 with replacement characters.
pub fn form_decode(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len()
                && raw[i + 1].is_ascii_hexdigit()
                && raw[i + 2].is_ascii_hexdigit() =>
            {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3]).expect("hex digits");
                out.push(u8::from_str_radix(hex, 16).expect("hex digits"));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    body.split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let at = pair.iter().position(|b| *b == b'=');
            match at {
                Some(at) => (form_decode(&pair[..at]), form_decode(&pair[at + 1..])),
                None => (form_decode(pair), String::new()),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// What every answer must be

#[derive(Debug, Default)]
pub struct Tally {
    pub sent: usize,
    pub by_route: BTreeMap<&'static str, usize>,
    pub by_status: BTreeMap<u16, usize>,
    pub decided: usize,
    pub refused_flash: usize,
    pub signed_in: usize,
}

pub fn header<'a>(r: &'a TestResponse, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The one-time message a decision's redirect carries: (done?, text).
pub fn flash(r: &TestResponse) -> Option<(bool, String)> {
    flash_value(r).map(|v| {
        // `d` or `r`, the message in hex, then (after a `.`) what binds it to the session.
        let (tag, rest) = v.split_at(1);
        let hexed = rest.split('.').next().unwrap_or("");
        let bytes: Vec<u8> = (0..hexed.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hexed[i..i + 2], 16).expect("hex"))
            .collect();
        (tag == "d", String::from_utf8(bytes).expect("UTF-8"))
    })
}

/// The `cl_flash` value a response sets, as set.
pub fn flash_value(r: &TestResponse) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.strip_prefix(&format!("{FLASH_COOKIE}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .find(|v| !v.is_empty())
}

/// The session cookie a response sets, if it starts one.
pub fn session_set(r: &TestResponse) -> Option<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.strip_prefix(&format!("{SESSION_COOKIE}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .find(|v| !v.is_empty())
}

/// Whether `path` is one of `route`'s: the same segments, a `{…}` standing for any non-empty one.
fn matches(route: &Route, path: &str) -> bool {
    let (a, b): (Vec<&str>, Vec<&str>) =
        (route.path.split('/').collect(), path.split('/').collect());
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x == y || (x.starts_with('{') && !y.is_empty()))
}

/// A `Location` that stays on this site: a path, never `//host`, a scheme, a backslash or a
/// control character a browser would strip.
pub fn local(location: &str) -> bool {
    location.starts_with('/')
        && !location.starts_with("//")
        && !location.contains('\\')
        && !location.chars().any(char::is_control)
}

/// `s` with what is not printable ASCII percent-encoded.
pub fn ascii(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            out.push_str(&encode_all(&c.to_string()));
        }
    }
    out
}

pub fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub fn allowed(route: &Route, person: Option<&Person>) -> Option<bool> {
    match (route.access, person) {
        (Access::Anyone, _) => Some(true),
        (_, None) => None,
        (Access::SignedIn, Some(_)) => Some(true),
        (Access::Roles(roles), Some(p)) => Some(roles.contains(&p.role.as_str())),
    }
}

/// Sends `sent` and checks the answer against everything the module docs promise.
pub async fn send_and_check(
    world: &World,
    sent: &Sent,
    tally: &mut Tally,
) -> Result<TestResponse, String> {
    let before = world.app.head().await;
    let r = world.app.send(sent.request()).await;
    let after = world.app.head().await;
    let route = &ROUTES[sent.route];
    let status = r.status.as_u16();
    tally.sent += 1;
    *tally.by_route.entry(route.path).or_default() += 1;
    *tally.by_status.entry(status).or_default() += 1;
    let fail = |what: String| -> Result<TestResponse, String> {
        Err(format!(
            "{what}\nrequest: {}\nanswer: {status} {:?} {}",
            sent.describe(),
            r.headers,
            r.text.chars().take(600).collect::<String>()
        ))
    };
    if status >= 500 {
        return fail("a server error".into());
    }
    if (100..200).contains(&status) || status > 599 {
        return fail("an informational status".into());
    }
    if (400..500).contains(&status) {
        let html = r.content_type().starts_with("text/html")
            && r.text.starts_with("<!DOCTYPE html>")
            && r.text.contains("role=\"alert\"");
        if !html {
            return fail("a refusal that is not an HTML error page".into());
        }
    }
    if (300..400).contains(&status) {
        let raw = r.headers.get("location").map_or(&b""[..], |v| v.as_bytes());
        let location = String::from_utf8_lossy(raw);
        let location = location.as_ref();
        if status != 303 && status != 302 && status != 307 {
            return fail("a redirect of an unexpected kind".into());
        }
        if !raw.is_ascii() {
            return fail(format!(
                "a Location that is no URI (not ASCII): {location:?}"
            ));
        }
        if !local(location) {
            return fail(format!("a redirect off this site: {location:?}"));
        }
        if let Some(next) = location.strip_prefix("/sign-in?next=") {
            // After signing in, a browser GETs `next`: it must be a page, not a form's target.
            let path = form_decode(next.as_bytes());
            let path = path.split('?').next().unwrap_or("");
            let form_target = ROUTES
                .iter()
                .any(|route| !route.methods.contains(&"GET") && matches(route, path));
            if form_target {
                return fail(format!(
                    "a sign-in redirect whose `next` ({path}) is no page to come back to"
                ));
            }
        }
    }
    // Markup sent in a field, a query or a path comes back escaped, if at all.
    for markup in ["<script>alert(1)", "<img src=x onerror"] {
        if r.text.contains(markup) {
            return fail(format!("{markup} sent in the request came back as markup"));
        }
    }
    if sent.method == "GET" && after != before {
        return fail(format!(
            "a GET moved the log's head from {before} to {after}"
        ));
    }
    if let Some(set) = session_set(&r) {
        let started = route.path == "/sign-in"
            && sent.method == "POST"
            && status == 303
            && sent.origin_ok
            && world.people.iter().chain([&world.second]).any(|p| {
                sent.field("token").is_some_and(|t| t.trim() == p.token) && set == p.token
            });
        if !started {
            return fail("a session started by a request that may not start one".into());
        }
        tally.signed_in += 1;
    }
    let allowed = allowed(route, sent.session.as_ref());
    // The route answers (a `{id}` left empty, or holding a `/`, is another path).
    let path = sent.uri.split('?').next().unwrap_or("");
    let known_method = route.methods.contains(&sent.method) && matches(route, path);
    if known_method && route.access != Access::Anyone && sent.session.is_none() {
        let to_sign_in = status == 303 && header(&r, "location").starts_with("/sign-in");
        if !to_sign_in {
            return fail("without a session, not sent to the sign-in page".into());
        }
    }
    if known_method && allowed == Some(false) && (200..300).contains(&status) {
        return fail("a page or form for other roles answered 2xx".into());
    }
    if sent.method == "POST" && (200..300).contains(&status) {
        return fail("a form answered 2xx: success redirects, refusal is an error page".into());
    }
    if sent.method == "GET" && status == 200 {
        let ct = r.content_type();
        let fine = ct.starts_with("text/html")
            || (route.path.ends_with(".css") && ct.starts_with("text/css"))
            || (route.path.ends_with(".csv") && ct.starts_with("text/csv"));
        if !fine {
            return fail(format!("a page answered as {ct}"));
        }
        // The sign-in page carries `next` on to its form: only a local path.
        if let Some(at) = r.text.find("name=\"next\" value=\"") {
            let rest = &r.text[at + 19..];
            let value = html_unescape(&rest[..rest.find('"').unwrap_or(0)]);
            if !local(&value) {
                return fail(format!("the sign-in form would go on to {value:?}"));
            }
        }
    }

    if let Some(value) = flash_value(&r) {
        *world.last_flash.lock().expect("the last flash") = Some(value);
    }
    let decided = match flash(&r) {
        Some((done, text)) => {
            if route.path != "/console/queue/decide" || status != 303 {
                return fail(format!("a decision's message from another answer: {text}"));
            }
            if done {
                tally.decided += 1;
            } else {
                tally.refused_flash += 1;
            }
            done
        }
        None => false,
    };
    if route.path == "/console/queue/decide"
        && status == 303
        && sent.session.is_some()
        && flash(&r).is_none()
    {
        return fail("a decision answered with neither a decision nor a refusal".into());
    }
    if !decided {
        if after != before {
            return fail(format!(
                "nothing was decided but the log's head moved from {before} to {after}"
            ));
        }
        return Ok(r);
    }

    // "Approved …" or "Rejected …": by whom, through what, and what was appended.
    let person = sent.session.as_ref().expect("a decision has a session");
    if !sent.csrf_ok() || !sent.origin_ok {
        return fail("decided without this session's form token, or from another site".into());
    }
    if !DECIDERS.contains(&person.role.as_str()) {
        return fail(format!("decided by a {}", person.role));
    }
    let (Some(kind), Some(subject), Some(decision)) = (
        sent.field("kind"),
        sent.field("subject_id"),
        sent.field("decision"),
    ) else {
        return fail("decided with a field missing or repeated".into());
    };
    let Some(item) = world
        .items
        .iter()
        .find(|i| i.kind == kind && i.subject_id == subject)
    else {
        return fail("decided something the world never queued".into());
    };
    if person.role == "Manager" && item.territory.is_some() && item.territory != person.territory {
        return fail("a Manager decided another territory's item".into());
    }
    if after <= before {
        return fail("a decision that appended nothing".into());
    }
    let appended = world
        .app
        .ledger
        .read_global(
            before,
            u32::try_from(after - before).expect("a small count"),
        )
        .await
        .map_err(|e| format!("read the log: {e}"))?;
    if appended.len() as i64 != after - before {
        return fail("the head moved by more events than can be read back".into());
    }
    let verdict = match decision.as_str() {
        "approve" => "Approved",
        "reject" => "Rejected",
        other => return fail(format!("decided with decision={other:?}")),
    };
    for event in &appended {
        if event.metadata["request_id"].as_str() != Some(sent.request_id.as_str()) {
            return fail(format!(
                "event {} ({}) appended meanwhile is not this request's",
                event.position, event.event_type
            ));
        }
        let own = if kind == "MdfExemption" {
            event.aggregate_type == "MdfProgramBudget"
        } else {
            event.aggregate_id == subject
        };
        let opposite = if verdict == "Approved" {
            "Rejected"
        } else {
            "Approved"
        };
        if !own || event.event_type.contains(opposite) {
            return fail(format!(
                "event {} ({} of {} {}) is not a {verdict} of {kind} {subject}",
                event.position, event.event_type, event.aggregate_type, event.aggregate_id
            ));
        }
        if event.metadata["staff_id"]
            .as_str()
            .is_some_and(|s| s != person.staff_id)
        {
            return fail(format!(
                "event {} is signed by someone else",
                event.position
            ));
        }
    }
    // A RAP's last approval is its activation.
    let says = |t: &str| t.contains(verdict) || (verdict == "Approved" && t == "RapActivated");
    if !appended.iter().any(|e| says(&e.event_type)) {
        let types: Vec<&str> = appended.iter().map(|e| e.event_type.as_str()).collect();
        return fail(format!("no event says {verdict}: {types:?}"));
    }
    if verdict == "Rejected" {
        // The reason as typed: trimmed, a textarea's CRLF line breaks kept as line breaks.
        let typed = sent.field("reason").unwrap_or_default();
        let reason = typed.replace("\r\n", "\n").replace('\r', "\n");
        let kept = appended.iter().any(|e| {
            e.payload
                .to_string()
                .contains(&Value::String(reason.trim().to_owned()).to_string())
        });
        if !kept {
            return fail("a rejection whose events do not carry its reason".into());
        }
    }
    Ok(r)
}
