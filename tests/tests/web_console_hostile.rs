//! Issue 6, item 4, hostile input, for the web console (`server/src/web/`): its routes are not in
//! the OpenAPI document `hostile_input.rs` walks, so they are listed here, in [`ROUTES`], and
//! `the_route_table_is_the_router` fails the day `server/src/web/mod.rs` routes a path or a
//! method the table lacks (axum's router cannot be walked; the file's `.route(…)` calls can, and
//! the live router is asked each method of each path too).
//!
//! Into a copy of the demo program, with more work waiting in every territory (RAP proposals,
//! MDF exemptions, fund requests of two activities, cohort strategy revisions), requests are sent
//! to every POST route and every GET route (with query strings) as each person of the program
//! (allowed or not), as a second session of the same person, with a revoked token, with forged
//! cookies and signed out: form bodies with fields missing, repeated, unknown or hostile (huge,
//! control characters, right-to-left overrides, combining marks, emoji, invalid UTF-8 and
//! percent-encoding — `%FF`, `%00`, a truncated `%`), the wrong content type (JSON, multipart,
//! none), bodies over the body limit, form tokens absent, forged, of another person or of another
//! session, `Origin`s of other sites (or unreadable, or two), ids that are not UUIDs or that name
//! another territory's work, and `next` values that point off-site.
//!
//! Every answer must be: never a 5xx; a refusal is an HTML error page with a 4xx status, or a
//! redirect (to the sign-in page, or back to the queue with a "Not decided" message) — never a
//! 2xx from a form; every redirect stays on this site; the log's head (read from the store) moves
//! only when the answer says a decision was made ("Approved …" / "Rejected …"), and then only by
//! events of this request (its `x-request-id`), of the item and verdict the form named, by a
//! person whose role and territory may decide it; a form without this session's form token or
//! from another site never appends anything, and never starts a session; markup sent comes back
//! escaped; and a decision's message (the `cl_flash` cookie) the service did not give this
//! session — written by hand, or given to another session — is never shown.
//!
//! The generated run is `WEB_HOSTILE_CASES` cases (default 2,000); a fixed corpus sweeps each field
//! of each form and each query parameter with each hostile value, each form token, `Origin`,
//! content type and identity, and checks what each must answer, and that the real decisions a
//! person makes through the same forms (with unknown fields, a multi-line reason typed in a
//! textarea, emoji) are made, once.

mod web_hostile_support;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use channel_ledger_tests::http::TestApp;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use uuid::Uuid;
use web_hostile_support::values::*;
use web_hostile_support::*;

// ---------------------------------------------------------------------------------------------
// The routes

const READERS: &[&str] = &["PAM", "Manager", "CxO", "Finance", "Auditor"];
const CONSOLE: &[&str] = &["Manager", "CxO", "Auditor"];
const DECIDERS: &[&str] = &["Manager", "CxO"];
const MONEY: &[&str] = &["Finance", "CxO", "Auditor"];

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Signed in or not.
    Anyone,
    /// Any signed-in person.
    SignedIn,
    /// Signed in, in one of these roles.
    Roles(&'static [&'static str]),
}

/// A route of the console: its path as `server/src/web/mod.rs` writes it, its methods, who may
/// use it, and the form fields (POST) or query parameters (GET) its handler reads.
#[derive(Debug)]
struct Route {
    path: &'static str,
    methods: &'static [&'static str],
    access: Access,
    reads: &'static [&'static str],
}

impl Route {
    fn posts(&self) -> bool {
        self.methods.contains(&"POST")
    }
}

const ROUTES: &[Route] = &[
    Route {
        path: "/",
        methods: &["GET"],
        access: Access::SignedIn,
        reads: &[],
    },
    Route {
        path: "/sign-in",
        methods: &["GET", "POST"],
        access: Access::Anyone,
        reads: &["token", "next"],
    },
    Route {
        path: "/sign-out",
        methods: &["POST"],
        access: Access::SignedIn,
        reads: &["csrf"],
    },
    Route {
        path: "/assets/console.css",
        methods: &["GET"],
        access: Access::Anyone,
        reads: &[],
    },
    Route {
        path: "/console",
        methods: &["GET"],
        access: Access::Roles(CONSOLE),
        reads: &[],
    },
    Route {
        path: "/console/queue",
        methods: &["GET"],
        access: Access::Roles(CONSOLE),
        reads: &[],
    },
    Route {
        path: "/console/queue/decide",
        methods: &["POST"],
        access: Access::Roles(DECIDERS),
        reads: &["csrf", "kind", "subject_id", "decision", "reason"],
    },
    Route {
        path: "/console/intelligence",
        methods: &["GET"],
        access: Access::Roles(CONSOLE),
        reads: &[],
    },
    Route {
        path: "/portfolio",
        methods: &["GET"],
        access: Access::Roles(READERS),
        reads: &["pam"],
    },
    Route {
        path: "/partners/{id}",
        methods: &["GET"],
        access: Access::Roles(READERS),
        reads: &["as_of", "axis"],
    },
    Route {
        path: "/partners/{id}/handover",
        methods: &["GET"],
        access: Access::Roles(READERS),
        reads: &["as_of", "axis"],
    },
    Route {
        path: "/commitments",
        methods: &["GET"],
        access: Access::Roles(&["CxO", "Finance", "Auditor"]),
        reads: &[],
    },
    Route {
        path: "/finance",
        methods: &["GET"],
        access: Access::Roles(MONEY),
        reads: &[],
    },
    Route {
        path: "/finance/reconciliation.csv",
        methods: &["GET"],
        access: Access::Roles(MONEY),
        reads: &[],
    },
    Route {
        path: "/mdf",
        methods: &["GET"],
        access: Access::Roles(MONEY),
        reads: &[],
    },
];

fn route_index(path: &str) -> usize {
    ROUTES
        .iter()
        .position(|r| r.path == path)
        .unwrap_or_else(|| panic!("{path} is not in ROUTES"))
}

/// The `.route("path", get(…).post(…))` calls of `server/src/web/mod.rs`: path → methods.
fn routes_in_source() -> BTreeMap<String, BTreeSet<String>> {
    let source = include_str!("../../server/src/web/mod.rs");
    let router = &source[source
        .find("pub fn router()")
        .expect("server/src/web/mod.rs has `pub fn router()`")..];
    for other in [
        ".nest(",
        ".merge(",
        ".route_service(",
        ".nest_service(",
        ".fallback(",
    ] {
        assert!(
            !router.contains(other),
            "the console's router gained `{other}`: teach routes_in_source in \
             tests/tests/web_console_hostile.rs to read it"
        );
    }
    let mut found = BTreeMap::new();
    for call in router.split(".route(").skip(1) {
        let path = call
            .split('"')
            .nth(1)
            .expect("a .route( call with a literal path");
        let mut methods = BTreeSet::new();
        for method in [
            "get", "post", "put", "patch", "delete", "head", "options", "any",
        ] {
            let needle = format!("{method}(");
            let mut rest = call;
            while let Some(at) = rest.find(&needle) {
                let before = rest[..at].chars().next_back();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    methods.insert(method.to_uppercase());
                }
                rest = &rest[at + needle.len()..];
            }
        }
        assert!(!methods.is_empty(), "no method read for {path}");
        found.insert(path.to_owned(), methods);
    }
    found
}

// ---------------------------------------------------------------------------------------------
// The tests

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

fn report(what: &str, tally: &Tally, started: std::time::Instant) {
    eprintln!(
        "{what}: {} requests in {:.1} s; {} decided, {} refused back to the queue, {} sessions \
         started; by status {:?}; by route {:?}",
        tally.sent,
        started.elapsed().as_secs_f64(),
        tally.decided,
        tally.refused_flash,
        tally.signed_in,
        tally.by_status,
        tally.by_route,
    );
}

#[tokio::test]
async fn the_route_table_is_the_router() {
    let in_source = routes_in_source();
    let in_table: BTreeMap<String, BTreeSet<String>> = ROUTES
        .iter()
        .map(|r| {
            let methods = r.methods.iter().map(|m| (*m).to_owned()).collect();
            (r.path.to_owned(), methods)
        })
        .collect();
    assert_eq!(
        in_source, in_table,
        "server/src/web/mod.rs routes (left) what ROUTES in tests/tests/web_console_hostile.rs \
         lists (right): add the route to ROUTES, saying who may use it and what it reads, so \
         hostile requests are sent to it"
    );

    // The live router agrees: each listed method is routed, and no other.
    let app = TestApp::sqlite().await;
    for route in ROUTES {
        let path = route.path.replace("{id}", &Uuid::nil().to_string());
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let r = app
                .send(
                    Request::builder()
                        .method(method)
                        .uri(&path)
                        .header("host", HOST)
                        .body(Body::empty())
                        .expect("a request"),
                )
                .await;
            let routed =
                r.status != StatusCode::METHOD_NOT_ALLOWED && r.status != StatusCode::NOT_FOUND;
            assert_eq!(
                routed,
                route.methods.contains(&method),
                "{method} {path}: {} {}",
                r.status,
                r.text
            );
        }
    }
}

fn cases() -> u32 {
    std::env::var("WEB_HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

#[test]
fn generated_hostile_forms_and_queries_get_an_error_page_or_a_redirect_never_a_partial_write() {
    let rt = runtime();
    let world = rt.block_on(world());
    let started = std::time::Instant::now();
    let tally = std::cell::RefCell::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 100,
        ..Config::default()
    });
    let result = runner.run(&any_case(&world), |case| {
        let sent = world.render(&case);
        rt.block_on(send_and_check(&world, &sent, &mut tally.borrow_mut()))
            .map(drop)
            .map_err(TestCaseError::fail)
    });
    let tally = tally.into_inner();
    report("generated", &tally, started);
    if let Err(e) = result {
        panic!("{e}");
    }
    let missed: Vec<&str> = ROUTES
        .iter()
        .map(|r| r.path)
        .filter(|p| !tally.by_route.contains_key(p))
        .collect();
    assert!(
        missed.is_empty(),
        "routes never sent to (raise WEB_HOSTILE_CASES): {missed:?}"
    );
}

/// What a request of the fixed corpus must answer, beyond what every answer must be.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// Only the invariants.
    Any,
    Status(u16),
    /// 303 to the sign-in page.
    SignIn,
    /// 303 back to the queue, decided, having appended this many events.
    Done(usize),
    /// 303 back to the queue, not decided.
    Refused,
    /// 303 to exactly this place.
    To(String),
    /// 200, showing a decision's message or not.
    Page {
        message: bool,
    },
}

struct Corpus<'w> {
    world: &'w World,
    cases: Vec<(Case, Expect)>,
}

impl Corpus<'_> {
    fn post(&mut self, path: &str, ident: Ident, pairs: Vec<(Piece, Piece)>, expect: Expect) {
        self.push(
            Case {
                route: route_index(path),
                method: "POST",
                ident,
                id: None,
                query: Vec::new(),
                origin: Origin::Same,
                host: true,
                content_type: ContentType::Form,
                body: BodyPlan::Form(pairs),
            },
            expect,
        );
    }

    fn get(
        &mut self,
        path: &str,
        ident: Ident,
        id: Option<Piece>,
        query: Vec<(Piece, Piece)>,
        expect: Expect,
    ) {
        self.push(
            Case {
                route: route_index(path),
                method: "GET",
                ident,
                id,
                query,
                origin: Origin::Absent,
                host: true,
                content_type: ContentType::Absent,
                body: BodyPlan::Bytes(Vec::new()),
            },
            expect,
        );
    }

    fn push(&mut self, case: Case, expect: Expect) {
        self.cases.push((case, expect));
    }

    /// The index of the `n`th item of `kind` in `territory`.
    fn item(&self, kind: &str, territory: Option<&str>, n: usize) -> usize {
        self.world
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.kind == kind && i.territory.as_deref() == territory)
            .nth(n)
            .unwrap_or_else(|| panic!("no {kind} #{n} in {territory:?}"))
            .0
    }

    fn partner_in(&self, territory: &str) -> usize {
        self.world
            .partners
            .iter()
            .position(|p| p.territory == territory)
            .expect("a partner in the territory")
    }
}

/// The fields of the queue's form for item `i`.
fn decide(csrf: Piece, item: usize, decision: &str, reason: Option<Piece>) -> Vec<(Piece, Piece)> {
    let mut pairs = vec![
        (text("csrf"), csrf),
        (text("kind"), Piece::Kind(item)),
        (text("subject_id"), Piece::Subject(item)),
        (text("decision"), text(decision)),
    ];
    if let Some(r) = reason {
        pairs.push((text("reason"), r));
    }
    pairs
}

/// Whether the console takes `s` as a reason (text.rs: trimmed, 1–4,000 characters, no control
/// characters but line breaks and tabs; a textarea's CRLF, or a lone CR, is a line break).
fn reason_ok(s: &str) -> bool {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let t = s.trim();
    !t.is_empty()
        && t.chars().count() <= 4000
        && !t.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

fn corpus(world: &World) -> Vec<(Case, Expect)> {
    let mut c = Corpus {
        world,
        cases: Vec::new(),
    };
    let se = world.person("Manager", Some("Southeast"));
    let nw = world.person("Manager", Some("Pacific Northwest"));
    let ma = world.person("Manager", Some("Mid-Atlantic"));
    let cxo = world.person("CxO", None);
    let pam = world.person("PAM", Some("Southeast"));
    let (finance, auditor, admin) = (
        world.person("Finance", None),
        world.person("Auditor", None),
        world.person("Admin", None),
    );
    let own = || Piece::Csrf(Csrf::Own);
    const DECIDE: &str = "/console/queue/decide";

    // Refusals first, all of them aimed at one RAP proposal the Southeast Manager may approve,
    // which must still be waiting at the end.
    let target = c.item("RapProposal", Some("Southeast"), 1);
    let base = decide(own(), target, "approve", None);
    for csrf in [
        Csrf::OfPerson(nw),
        Csrf::OfPerson(cxo),
        Csrf::OfSecondSession,
        Csrf::Upper,
        Csrf::Extended,
        Csrf::Truncated,
        Csrf::Zeros,
    ] {
        c.post(
            DECIDE,
            Ident::Person(se),
            decide(Piece::Csrf(csrf), target, "approve", None),
            Expect::Status(403),
        );
    }
    for value in ["", " ", "%00"] {
        c.post(
            DECIDE,
            Ident::Person(se),
            decide(text(value), target, "approve", None),
            Expect::Status(403),
        );
    }
    c.post(
        DECIDE,
        Ident::Second,
        decide(Piece::Csrf(Csrf::OfPerson(se)), target, "approve", None),
        Expect::Status(403),
    );
    for raw in RAW {
        c.post(
            DECIDE,
            Ident::Person(se),
            decide(Piece::Raw(raw.to_vec()), target, "approve", None),
            Expect::Any,
        );
    }
    // Another site, or an Origin that cannot be read, or two of them.
    for origin in [
        Origin::Values(vec![b"https://evil.example".to_vec()]),
        Origin::Values(vec![b"null".to_vec()]),
        Origin::Values(vec![b"http://127.0.0.1:8080.evil.example".to_vec()]),
        Origin::Values(vec![b"http://127.0.0.1:8081".to_vec()]),
        Origin::Values(vec![b"http://\xC3\xA9vil.example".to_vec()]),
        Origin::Values(vec![b"http://127.0.0.1:8080\xC3\xA9".to_vec()]),
        Origin::Values(vec![b"".to_vec()]),
        Origin::Values(vec![SITE.into(), b"https://evil.example".to_vec()]),
        Origin::Values(vec![b"https://evil.example".to_vec(), SITE.into()]),
    ] {
        let mut case = Case {
            route: route_index(DECIDE),
            method: "POST",
            ident: Ident::Person(se),
            id: None,
            query: Vec::new(),
            origin,
            host: true,
            content_type: ContentType::Form,
            body: BodyPlan::Form(base.clone()),
        };
        c.push(case.clone(), Expect::Status(403));
        case.host = false;
        c.push(case, Expect::Status(403));
    }
    let mut no_host = Case {
        route: route_index(DECIDE),
        method: "POST",
        ident: Ident::Person(se),
        id: None,
        query: Vec::new(),
        origin: Origin::Same,
        host: false,
        content_type: ContentType::Form,
        body: BodyPlan::Form(base.clone()),
    };
    c.push(no_host.clone(), Expect::Status(403));
    // Not a form, or not all of it.
    for (content_type, body, status) in [
        (ContentType::Json, BodyPlan::Json(base.clone()), 415),
        (
            ContentType::Multipart,
            BodyPlan::Multipart(base.clone()),
            415,
        ),
        (ContentType::TextPlain, BodyPlan::Form(base.clone()), 415),
        (ContentType::Absent, BodyPlan::Form(base.clone()), 415),
        (
            ContentType::Raw(b"application/x-www-form-urlencoded\xC3\xA9".to_vec()),
            BodyPlan::Form(base.clone()),
            415,
        ),
        (
            ContentType::Form,
            BodyPlan::Padded(base.clone(), BODY_LIMIT + 1),
            413,
        ),
        (
            ContentType::Form,
            BodyPlan::Padded(base.clone(), 3 * BODY_LIMIT),
            413,
        ),
        (ContentType::Form, BodyPlan::Bytes(Vec::new()), 422),
        (
            ContentType::Form,
            BodyPlan::Bytes(b"\xFF\xFE\x00".to_vec()),
            422,
        ),
        (ContentType::Form, BodyPlan::Bytes(b"%".to_vec()), 422),
    ] {
        no_host.host = true;
        no_host.content_type = content_type;
        no_host.body = body;
        c.push(no_host.clone(), Expect::Status(status));
    }
    // A reason as long as the body limit allows: read, and refused for its length.
    no_host.content_type = ContentType::Form;
    no_host.body = BodyPlan::Padded(decide(own(), target, "reject", None), BODY_LIMIT);
    c.push(no_host.clone(), Expect::Refused);
    // Fields missing or given twice.
    for field in 0..4 {
        let mut missing = base.clone();
        missing.remove(field);
        c.post(DECIDE, Ident::Person(se), missing, Expect::Status(422));
        let mut twice = base.clone();
        twice.push(base[field].clone());
        c.post(DECIDE, Ident::Person(se), twice, Expect::Status(422));
    }
    let mut twice = decide(own(), target, "reject", Some(text("first")));
    twice.push((text("reason"), text("second")));
    c.post(DECIDE, Ident::Person(se), twice, Expect::Status(422));
    c.post(
        DECIDE,
        Ident::Person(se),
        decide(own(), target, "reject", None),
        Expect::Refused,
    );
    // Kinds, subjects and decisions that are not this item's.
    for kind in TEXTS.iter().filter(|k| !KINDS.contains(k)).chain(&[
        "rapproposal",
        " RapProposal",
        "RAP_PROPOSAL",
    ]) {
        let mut pairs = base.clone();
        pairs[1].1 = text(kind);
        c.post(DECIDE, Ident::Person(se), pairs, Expect::Any);
    }
    for kind in KINDS.iter().filter(|k| **k != "RapProposal") {
        let mut pairs = base.clone();
        pairs[1].1 = text(kind);
        c.post(DECIDE, Ident::Person(se), pairs, Expect::Refused);
    }
    let subjects: Vec<Piece> = TEXTS
        .iter()
        .map(|t| text(t))
        .chain(RAW.iter().map(|r| Piece::Raw(r.to_vec())))
        .chain([
            text(&Uuid::nil().to_string()),
            text(&Uuid::new_v4().to_string()),
            text(&world.items[target].subject_id.to_uppercase()),
            text(&format!(" {}", world.items[target].subject_id)),
            Piece::PartnerId(c.partner_in("Southeast")),
            Piece::StaffId(se),
            text("Farmer"),
            text(&"f".repeat(100_000)),
        ])
        .collect();
    for subject in subjects {
        let mut pairs = base.clone();
        pairs[2].1 = subject;
        c.post(DECIDE, Ident::Person(se), pairs, Expect::Refused);
    }
    for decision in [
        "Approve",
        "REJECT",
        "approve ",
        "delete",
        "approve\u{0}",
        "1",
        "",
    ] {
        c.post(
            DECIDE,
            Ident::Person(se),
            decide(own(), target, decision, None),
            Expect::Status(422),
        );
    }
    // Reasons that are no reason.
    for reason in TEXTS.iter().filter(|r| !reason_ok(r)) {
        c.post(
            DECIDE,
            Ident::Person(se),
            decide(own(), target, "reject", Some(text(reason))),
            Expect::Refused,
        );
    }
    c.post(
        DECIDE,
        Ident::Person(se),
        decide(own(), target, "reject", Some(text(&"x".repeat(4001)))),
        Expect::Refused,
    );
    c.post(
        DECIDE,
        Ident::Person(se),
        decide(own(), target, "reject", Some(text(&"😀".repeat(4001)))),
        Expect::Refused,
    );
    // People who may not decide it, and no session at all.
    for who in [pam, finance, auditor, admin] {
        c.post(
            DECIDE,
            Ident::Person(who),
            decide(own(), target, "approve", None),
            Expect::Status(403),
        );
    }
    for who in [nw, ma] {
        c.post(
            DECIDE,
            Ident::Person(who),
            decide(own(), target, "approve", None),
            Expect::Refused,
        );
    }
    for ident in [
        Ident::Out,
        Ident::Revoked,
        Ident::ForgedFirst(se),
        Ident::Forged(b"cl_session=clt_forged".to_vec()),
        Ident::Forged(b"cl_session=".to_vec()),
        Ident::Forged(b"cl_session=\xFF\xFE".to_vec()),
    ] {
        c.post(
            DECIDE,
            ident,
            decide(own(), target, "approve", None),
            Expect::SignIn,
        );
    }
    // Unknown fields are not read: they neither decide nor refuse.
    for name in [
        "effective_at",
        "on_behalf_of",
        "step",
        "comment",
        "CSRF",
        "csrf[]",
        "",
    ] {
        let mut pairs = base.clone();
        pairs[0].1 = Piece::Csrf(Csrf::Zeros);
        pairs.push((text(name), Piece::Csrf(Csrf::Own)));
        c.post(DECIDE, Ident::Person(se), pairs, Expect::Status(403));
    }
    // A form token in the query string is no form token.
    c.push(
        Case {
            route: route_index(DECIDE),
            method: "POST",
            ident: Ident::Person(se),
            id: None,
            query: vec![(text("csrf"), own())],
            origin: Origin::Same,
            host: true,
            content_type: ContentType::Form,
            body: BodyPlan::Form(base[1..].to_vec()),
        },
        Expect::Status(422),
    );

    // Signing out: the session's form token, from this site.
    for csrf in [
        Csrf::OfPerson(cxo),
        Csrf::OfSecondSession,
        Csrf::Zeros,
        Csrf::Upper,
    ] {
        c.post(
            "/sign-out",
            Ident::Person(se),
            vec![(text("csrf"), Piece::Csrf(csrf))],
            Expect::Status(403),
        );
    }
    c.post("/sign-out", Ident::Person(se), vec![], Expect::Status(422));
    c.post(
        "/sign-out",
        Ident::Person(se),
        vec![(text("csrf"), own()), (text("csrf"), own())],
        Expect::Status(422),
    );
    c.post(
        "/sign-out",
        Ident::Out,
        vec![(text("csrf"), own())],
        Expect::SignIn,
    );
    let mut out = Case {
        route: route_index("/sign-out"),
        method: "POST",
        ident: Ident::Person(se),
        id: None,
        query: Vec::new(),
        origin: Origin::Values(vec![b"https://evil.example".to_vec()]),
        host: true,
        content_type: ContentType::Form,
        body: BodyPlan::Form(vec![(text("csrf"), own())]),
    };
    c.push(out.clone(), Expect::Status(403));
    out.origin = Origin::Same;
    c.push(out, Expect::To("/sign-in".into()));

    // Signing in: only a valid token, from this site, and only ever on to a page of this site.
    for next in NEXTS {
        // Followed, percent-encoded where it is not ASCII (a Location is a URI), or home.
        let to = if local(next) && !next.is_empty() {
            ascii(next)
        } else {
            "/".to_owned()
        };
        c.post(
            "/sign-in",
            Ident::Out,
            vec![
                (text("token"), Piece::Token(se)),
                (text("next"), text(next)),
            ],
            Expect::To(to),
        );
        c.get(
            "/sign-in",
            Ident::Out,
            None,
            vec![(text("next"), text(next))],
            Expect::Status(200),
        );
    }
    for token in TEXTS
        .iter()
        .map(|t| text(t))
        .chain(RAW.iter().map(|r| Piece::Raw(r.to_vec())))
    {
        c.post(
            "/sign-in",
            Ident::Out,
            vec![(text("token"), token)],
            Expect::Any,
        );
    }
    c.post(
        "/sign-in",
        Ident::Out,
        vec![(text("token"), text("clt_unknown"))],
        Expect::Status(401),
    );
    c.post(
        "/sign-in",
        Ident::Out,
        vec![(text("token"), text(&world.revoked))],
        Expect::Status(401),
    );
    c.post(
        "/sign-in",
        Ident::Out,
        vec![(text("token"), text(&"c".repeat(BODY_LIMIT - 6)))],
        Expect::Status(401),
    );
    c.post(
        "/sign-in",
        Ident::Out,
        vec![
            (text("token"), Piece::Token(se)),
            (text("token"), Piece::Token(cxo)),
        ],
        Expect::Status(422),
    );
    c.post(
        "/sign-in",
        Ident::Out,
        vec![(text("next"), text("/"))],
        Expect::Status(422),
    );
    let token = world.people[se].token.clone();
    for padded in [
        format!(" {token} "),
        format!("\t{token}\n"),
        format!("\u{a0}{token}"),
    ] {
        c.post(
            "/sign-in",
            Ident::Out,
            vec![(text("token"), text(&padded))],
            Expect::To("/".into()),
        );
    }
    c.post(
        "/sign-in",
        Ident::Out,
        vec![(text("token"), text(&format!("{token}\u{0}")))],
        Expect::Status(401),
    );
    for origin in [
        Origin::Values(vec![b"https://evil.example".to_vec()]),
        Origin::Values(vec![b"http://\xC3\xA9vil.example".to_vec()]),
        Origin::Values(vec![SITE.into(), b"https://evil.example".to_vec()]),
    ] {
        c.push(
            Case {
                route: route_index("/sign-in"),
                method: "POST",
                ident: Ident::Out,
                id: None,
                query: Vec::new(),
                origin,
                host: true,
                content_type: ContentType::Form,
                body: BodyPlan::Form(vec![(text("token"), Piece::Token(se))]),
            },
            Expect::Status(403),
        );
    }
    for (content_type, body) in [
        (
            ContentType::Json,
            BodyPlan::Json(vec![(text("token"), Piece::Token(se))]),
        ),
        (
            ContentType::Multipart,
            BodyPlan::Multipart(vec![(text("token"), Piece::Token(se))]),
        ),
        (
            ContentType::Form,
            BodyPlan::Padded(vec![(text("token"), Piece::Token(se))], BODY_LIMIT + 1),
        ),
    ] {
        c.push(
            Case {
                route: route_index("/sign-in"),
                method: "POST",
                ident: Ident::Out,
                id: None,
                query: Vec::new(),
                origin: Origin::Same,
                host: true,
                content_type,
                body,
            },
            Expect::Any,
        );
    }

    // Every page as every person, signed out, with a revoked token and a forged cookie.
    let idents: Vec<Ident> = (0..world.people.len())
        .map(Ident::Person)
        .chain([
            Ident::Second,
            Ident::Out,
            Ident::Revoked,
            Ident::ForgedFirst(cxo),
            Ident::RealFirst(cxo),
        ])
        .collect();
    let southeast_partner = c.partner_in("Southeast");
    for route in ROUTES.iter().filter(|r| r.methods.contains(&"GET")) {
        for ident in &idents {
            let person = world.session_of(ident);
            let expect = match (route.access, &person) {
                (Access::Anyone, _) => Expect::Status(200),
                (_, None) => Expect::SignIn,
                _ if route.path == "/" => Expect::Any,
                (Access::Roles(roles), Some(p)) if !roles.contains(&p.role.as_str()) => {
                    Expect::Status(403)
                }
                (_, Some(p))
                    if route.path.contains("{id}")
                        && p.territory.as_deref().is_some_and(|t| t != "Southeast") =>
                {
                    Expect::Status(404)
                }
                _ => Expect::Status(200),
            };
            let id = route
                .path
                .contains("{id}")
                .then_some(Piece::PartnerId(southeast_partner));
            c.get(route.path, ident.clone(), id, vec![], expect);
        }
    }
    // Every query parameter of every page, and every id, made hostile.
    for route in ROUTES.iter().filter(|r| r.methods.contains(&"GET")) {
        let who = match route.access {
            Access::Roles(roles) if !roles.contains(&"Manager") => Ident::Person(cxo),
            _ => Ident::Person(se),
        };
        let id = route
            .path
            .contains("{id}")
            .then_some(Piece::PartnerId(southeast_partner));
        let mut values: Vec<(&str, Piece)> = Vec::new();
        for name in route.reads.iter().filter(|n| **n != "token") {
            let specific: Vec<&str> = match *name {
                "as_of" => MOMENTS.to_vec(),
                "axis" => vec!["effective", "recorded", "Recorded", "both", ""],
                "pam" => vec!["all", "", " all", "me"],
                "next" => NEXTS.to_vec(),
                _ => vec![],
            };
            for v in specific.into_iter().chain(TEXTS.iter().copied()) {
                values.push((name, text(v)));
            }
            for r in RAW {
                values.push((name, Piece::Raw(r.to_vec())));
            }
            if *name == "pam" {
                for p in 0..world.people.len() {
                    values.push((name, Piece::StaffId(p)));
                }
            }
        }
        for (name, value) in values {
            c.get(
                route.path,
                who.clone(),
                id.clone(),
                vec![(text(name), value)],
                Expect::Any,
            );
        }
        let repeated = route
            .reads
            .iter()
            .find(|n| **n != "token")
            .copied()
            .unwrap_or("x");
        c.get(
            route.path,
            who.clone(),
            id.clone(),
            vec![
                (text(repeated), text("a")),
                (text(repeated), text("b")),
                (Piece::Raw(b"%FF".to_vec()), Piece::Raw(b"%".to_vec())),
            ],
            Expect::Any,
        );
        if route.path.contains("{id}") {
            let other = c.partner_in("Mid-Atlantic");
            c.get(
                route.path,
                Ident::Person(se),
                Some(Piece::PartnerId(other)),
                vec![],
                Expect::Status(404),
            );
            c.get(
                route.path,
                Ident::Person(ma),
                Some(Piece::PartnerId(other)),
                vec![],
                Expect::Status(200),
            );
            for bad in TEXTS.iter().map(|t| text(t)).chain(RAW.iter().map(|r| Piece::Raw(r.to_vec())).filter(|p| {
                matches!(p, Piece::Raw(b) if b.iter().all(|c| c.is_ascii_graphic() && !b"#?/".contains(c)))
            })) {
                c.get(route.path, Ident::Person(se), Some(bad), vec![], Expect::Any);
            }
            c.get(
                route.path,
                Ident::Person(se),
                Some(text(&Uuid::new_v4().to_string())),
                vec![],
                Expect::Status(404),
            );
            c.get(
                route.path,
                Ident::Person(se),
                Some(Piece::Subject(target)),
                vec![],
                Expect::Status(404),
            );
        }
    }
    // A method a route does not have.
    for route in ROUTES {
        let other = if route.posts() { "GET" } else { "POST" };
        if !route.methods.contains(&other) {
            c.push(
                Case {
                    route: route_index(route.path),
                    method: other,
                    ident: Ident::Person(se),
                    id: route
                        .path
                        .contains("{id}")
                        .then_some(Piece::PartnerId(southeast_partner)),
                    query: Vec::new(),
                    origin: Origin::Same,
                    host: true,
                    content_type: ContentType::Form,
                    body: BodyPlan::Form(vec![(text("csrf"), own())]),
                },
                Expect::Status(405),
            );
        }
    }

    // The target is still waiting: every one of those was refused.
    c.post(
        DECIDE,
        Ident::Person(nw),
        decide(own(), target, "approve", None),
        Expect::Refused,
    );
    let waiting = c.cases.len();
    let _ = waiting;

    // Decisions people make through the same forms, hostile only in ways that change nothing.
    // The Southeast fund request's two activities and the request, in one click, through a
    // proxy, the form token percent-encoded, unknown fields beside.
    let fund = c.item("FundRequest", Some("Southeast"), 0);
    let mut pairs = decide(Piece::Csrf(Csrf::EncodedAll), fund, "approve", None);
    pairs.push((text("effective_at"), text("2020-01-01T00:00:00Z")));
    pairs.push((text("on_behalf_of"), Piece::StaffId(cxo)));
    pairs.push((text("amount"), text("-1")));
    c.push(
        Case {
            route: route_index(DECIDE),
            method: "POST",
            ident: Ident::Person(se),
            id: None,
            query: Vec::new(),
            origin: Origin::SameHttps,
            host: true,
            content_type: ContentType::FormCharset,
            body: BodyPlan::Form(pairs),
        },
        Expect::Done(3),
    );
    c.post(
        DECIDE,
        Ident::Person(se),
        decide(own(), fund, "approve", None),
        Expect::Refused,
    );
    // The target, from the Southeast Manager's other session, then the CxO's step.
    c.post(
        DECIDE,
        Ident::Second,
        decide(own(), target, "approve", None),
        Expect::Done(1),
    );
    // Its Manager step is signed: it now waits for the CxO, not for them.
    c.post(
        DECIDE,
        Ident::Person(se),
        decide(own(), target, "approve", None),
        Expect::Status(403),
    );
    c.post(
        DECIDE,
        Ident::Person(cxo),
        decide(
            own(),
            target,
            "reject",
            Some(Piece::Plus(
                "Two issues:\r\n- the venue\r\n- the date 👩‍👩‍👧‍👦".into(),
            )),
        ),
        Expect::Done(1),
    );
    c.post(
        DECIDE,
        Ident::Person(cxo),
        decide(own(), target, "approve", None),
        Expect::Refused,
    );
    // A rejection typed in a textarea: CRLF line breaks, right-to-left text, combining marks.
    let rap = c.item("RapProposal", Some("Southeast"), 2);
    c.post(
        DECIDE,
        Ident::RealFirst(se),
        decide(
            own(),
            rap,
            "reject",
            Some(text(
                "Pas dans le plan\r\n\u{202E}sdrawkcab Z\u{351}\u{34a}algo e\u{301}",
            )),
        ),
        Expect::Done(1),
    );
    // An exemption of the Pacific Northwest, then the CxO's step, rejected at the length limit.
    let exemption = c.item("MdfExemption", Some("Pacific Northwest"), 0);
    c.post(
        DECIDE,
        Ident::Person(se),
        decide(own(), exemption, "approve", None),
        Expect::Refused,
    );
    c.post(
        DECIDE,
        Ident::Person(nw),
        decide(own(), exemption, "approve", None),
        Expect::Done(1),
    );
    c.post(
        DECIDE,
        Ident::Person(cxo),
        decide(own(), exemption, "reject", Some(text(&"é".repeat(4000)))),
        Expect::Done(1),
    );
    // A cohort revision: never by its drafter, by another Manager.
    let farmer = world
        .items
        .iter()
        .position(|i| i.kind == "CohortStrategyVersion" && i.subject_id == "Farmer")
        .expect("the Farmer revision");
    c.post(
        DECIDE,
        Ident::Person(se),
        decide(own(), farmer, "approve", None),
        Expect::Status(403),
    );
    c.post(
        DECIDE,
        Ident::Person(nw),
        decide(own(), farmer, "approve", Some(text("\u{0}"))),
        Expect::Done(1),
    );
    // The Pacific Northwest fund request, rejected with emoji and a byte order mark.
    let fund = c.item("FundRequest", Some("Pacific Northwest"), 0);
    c.post(
        DECIDE,
        Ident::Person(nw),
        decide(
            own(),
            fund,
            "reject",
            Some(text("\u{FEFF}🏳️‍🌈 not this quarter")),
        ),
        Expect::Done(1),
    );
    // A decision's message the service did not give this session is not shown: written by hand
    // (or tossed in by a sibling site), or given to another session.
    let hexed = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    for forged in [
        format!(
            "d{}",
            hexed("Approved RAP proposal “Bridgeline Co. · Q1 2027”.")
        ),
        format!("r{}", hexed("Not decided: <b>nothing</b>")),
        format!("d{}.{}", hexed("Approved"), "0".repeat(32)),
        "d".to_owned(),
        "x41".to_owned(),
        "d4".to_owned(),
    ] {
        c.get(
            "/console/queue",
            Ident::WithFlash(se, Some(forged.into_bytes())),
            None,
            vec![],
            Expect::Page { message: false },
        );
    }
    // The last message was the Pacific Northwest Manager's.
    c.get(
        "/console/queue",
        Ident::WithFlash(se, None),
        None,
        vec![],
        Expect::Page { message: false },
    );
    c.get(
        "/console/queue",
        Ident::WithFlash(nw, None),
        None,
        vec![],
        Expect::Page { message: true },
    );
    c.cases
}

async fn fixed_corpus(world: &World) -> (Tally, Vec<String>) {
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    let debug = std::env::var("WEB_HOSTILE_DEBUG").ok();
    for (case, expect) in corpus(world) {
        let sent = world.render(&case);
        let before = world.app.head().await;
        let r = match send_and_check(world, &sent, &mut tally).await {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{e}\nexpected {expect:?}"));
                continue;
            }
        };
        let after = world.app.head().await;
        let location = header(&r, "location").to_owned();
        if debug.as_deref().is_some_and(|part| sent.uri.contains(part)) {
            eprintln!(
                "{} -> {} {location} {:?}",
                sent.describe(),
                r.status,
                flash(&r)
            );
        }
        let met = match &expect {
            Expect::Any => true,
            Expect::Status(s) => r.status.as_u16() == *s,
            Expect::SignIn => r.status == 303 && location.starts_with("/sign-in"),
            Expect::To(to) => r.status == 303 && location == *to,
            Expect::Page { message } => {
                r.status == 200 && r.text.contains("class=\"flash") == *message
            }
            Expect::Refused => r.status == 303 && matches!(flash(&r), Some((false, _))),
            Expect::Done(n) => {
                r.status == 303
                    && matches!(flash(&r), Some((true, _)))
                    && usize::try_from(after - before).ok() == Some(*n)
            }
        };
        if !met {
            failures.push(format!(
                "expected {expect:?}\nrequest: {}\nanswer: {} location={location:?} flash={:?} \
                 appended={}\n{}",
                sent.describe(),
                r.status,
                flash(&r),
                after - before,
                r.text
                    .split("role=\"alert\">")
                    .nth(1)
                    .unwrap_or(&r.text)
                    .chars()
                    .take(400)
                    .collect::<String>()
            ));
            continue;
        }
        // The queue shows what happened, once.
        if let Some((_, message)) =
            flash(&r).filter(|_| matches!(expect, Expect::Done(_) | Expect::Refused))
        {
            let cookies: Vec<String> = r
                .headers
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .map(|v| v.split(';').next().unwrap_or("").to_owned())
                .collect();
            let session = sent
                .header("cookie")
                .map(|c| String::from_utf8_lossy(c).into_owned());
            let cookie = session
                .into_iter()
                .chain(cookies)
                .collect::<Vec<_>>()
                .join("; ");
            let page = world
                .app
                .send(
                    Request::builder()
                        .uri("/console/queue")
                        .header("cookie", cookie)
                        .body(Body::empty())
                        .expect("a request"),
                )
                .await;
            let escaped = message
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            if page.status != 200 || !page.text.contains(&escaped) {
                failures.push(format!(
                    "the queue does not show {message:?} after\n{}\n{} {}",
                    sent.describe(),
                    page.status,
                    page.text.chars().take(300).collect::<String>()
                ));
            }
        }
    }
    (tally, failures)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fixed_corpus_of_hostile_forms_and_queries_is_refused_and_real_decisions_are_made_once() {
    let world = world().await;
    let started = std::time::Instant::now();
    let (tally, failures) = fixed_corpus(&world).await;
    report("fixed corpus", &tally, started);
    // One failure of each kind, with how many there were.
    let mut kinds: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for f in &failures {
        kinds
            .entry(f.lines().next().unwrap_or(""))
            .or_insert((0, f))
            .0 += 1;
    }
    let shown: Vec<String> = kinds.values().map(|(n, f)| format!("({n}×) {f}")).collect();
    assert!(
        failures.is_empty(),
        "{} of {} requests failed; one of each kind:\n\n{}",
        failures.len(),
        tally.sent,
        shown.join("\n\n")
    );
}
