//! The web console over plain HTTP (no browser): signing in, the form token that guards every
//! change, and pages that show each role only what it may see. Each test runs the router
//! in-process over its own copy of the demo program.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use channel_ledger_projections::views::CSV_HEADER;
use channel_ledger_tests::demo::DemoLedger;
use channel_ledger_tests::http::{TestApp, TestResponse};

async fn app() -> (TestApp, DemoLedger) {
    let demo = DemoLedger::copy();
    let app = TestApp::over(demo.ledger().await).await;
    (app, demo)
}

fn header<'a>(r: &'a TestResponse, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> TestResponse {
    let mut b = Request::builder().method(Method::GET).uri(path);
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    app.send(b.body(Body::empty()).unwrap()).await
}

async fn form(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
    origin: Option<&str>,
    fields: &[(&str, &str)],
) -> TestResponse {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace(' ', "+")))
        .collect();
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    if let Some(o) = origin {
        b = b.header("origin", o);
    }
    app.send(b.body(Body::from(body.join("&"))).unwrap()).await
}

/// Signs in through the form; returns the session cookie as a browser would send it back.
async fn sign_in(app: &TestApp, token: &str) -> String {
    let r = form(app, "/sign-in", None, None, &[("token", token)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    let set = header(&r, "set-cookie");
    set.split(';').next().unwrap().to_owned()
}

/// The form token in a page's forms.
fn csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form token") + 19;
    html[at..at + 64].to_owned()
}

/// The fields of the queue's Approve form for RAP `rap`.
fn decide<'a>(csrf: &'a str, rap: &'a str) -> [(&'static str, &'a str); 4] {
    [
        ("csrf", csrf),
        ("kind", "RapProposal"),
        ("subject_id", rap),
        ("decision", "approve"),
    ]
}

/// The id of the first item of `partner` in the caller's API console queue.
async fn queued(app: &TestApp, token: &str, partner: &str) -> String {
    let console = app.get("/api/v1/console", Some(token)).await;
    console.body["queue"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["partner_name"] == partner)
        .map(|i| i["subject_id"].as_str().unwrap().to_owned())
        .unwrap_or_else(|| panic!("{partner} is not queued"))
}

#[tokio::test]
async fn a_decision_without_the_session_form_token_changes_nothing() {
    let (app, demo) = app().await;
    let manager = &demo.token("Manager", Some("Southeast")).token;
    let cookie = sign_in(&app, manager).await;
    let rap = queued(&app, manager, "Bridgeline Co.").await;
    let token = csrf(&page(&app, "/console/queue", Some(&cookie)).await.text);
    let head = app.head().await;
    let wrong = "0".repeat(64);
    let r = form(
        &app,
        "/console/queue/decide",
        Some(&cookie),
        None,
        &decide(&wrong, &rap),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    let right = decide(&token, &rap);
    let r = form(
        &app,
        "/console/queue/decide",
        Some(&cookie),
        Some("https://evil.example"),
        &right,
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    let r = form(&app, "/console/queue/decide", None, None, &right).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(header(&r, "location").starts_with("/sign-in"));

    let r = form(&app, "/sign-out", Some(&cookie), None, &[("csrf", "nope")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.head().await, head, "a refused form appended nothing");

    // The same form with the session's token and from the console itself is decided.
    let r = form(
        &app,
        "/console/queue/decide",
        Some(&cookie),
        Some("http://127.0.0.1:8080"),
        &right,
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text);
    assert_eq!(header(&r, "location"), "/console/queue");
    assert!(app.head().await > head);
}

#[tokio::test]
async fn a_bad_token_does_not_sign_in_and_pages_send_strangers_to_sign_in() {
    let (app, demo) = app().await;

    let r = form(
        &app,
        "/sign-in",
        None,
        None,
        &[("token", "clt_not-a-token")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.text.contains("That token is not valid"), "{}", r.text);
    assert!(r.headers.get("set-cookie").is_none());

    let r = page(&app, "/console", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(header(&r, "location"), "/sign-in?next=/console");
    let r = page(&app, "/", None).await;
    assert_eq!(header(&r, "location"), "/sign-in");
    let r = page(&app, "/portfolio", Some("cl_session=clt_revoked")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(header(&r, "set-cookie").contains("Max-Age=0"));

    // A good token starts a session the page's scripts cannot read, never sent cross-site.
    let cxo = &demo.token("CxO", None).token;
    let r = form(
        &app,
        "/sign-in",
        None,
        None,
        &[("token", cxo), ("next", "//evil.example/")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        header(&r, "location"),
        "/",
        "never off-site after signing in"
    );
    let cookie = header(&r, "set-cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback");
    let over_https = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/sign-in")
                .header("content-type", "application/x-www-form-urlencoded")
                .header("x-forwarded-proto", "https")
                .body(Body::from(format!("token={cxo}")))
                .unwrap(),
        )
        .await;
    assert!(header(&over_https, "set-cookie").contains("; Secure"));
}

#[tokio::test]
async fn each_role_sees_only_what_it_may_and_is_offered_only_what_it_may_do() {
    let (app, demo) = app().await;
    let session = |role: &'static str, territory: Option<&'static str>| {
        let token = demo.token(role, territory).token.clone();
        let app = &app;
        async move { sign_in(app, &token).await }
    };
    let southeast = session("Manager", Some("Southeast")).await;
    let northwest = session("Manager", Some("Pacific Northwest")).await;
    let auditor = session("Auditor", None).await;
    let finance = session("Finance", None).await;
    let admin = session("Admin", None).await;
    let sarah = sign_in(&app, &demo.person("Sarah K.").token).await;

    // The Southeast Manager is offered the Bridgeline decision; the Auditor sees it, undecidable;
    // another territory's Manager does not see it at all.
    let queue = page(&app, "/console/queue", Some(&southeast)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.text.contains("Bridgeline Co."));
    assert!(queue.text.contains("action=\"/console/queue/decide\""));
    let queue = page(&app, "/console/queue", Some(&auditor)).await;
    assert!(queue.text.contains("Bridgeline Co."));
    assert!(!queue.text.contains("action=\"/console/queue/decide\""));
    let queue = page(&app, "/console/queue", Some(&northwest)).await;
    assert!(!queue.text.contains("Bridgeline Co."));

    // A PAM has their portfolio, not the console; the navigation offers no more than that.
    let home = page(&app, "/", Some(&sarah)).await;
    assert_eq!(header(&home, "location"), "/portfolio");
    let mine = page(&app, "/portfolio", Some(&sarah)).await;
    assert!(mine.text.contains("My portfolio"));
    assert!(!mine.text.contains("href=\"/console\""));
    assert_eq!(
        page(&app, "/console", Some(&sarah)).await.status,
        StatusCode::FORBIDDEN
    );
    let cxo = &demo.token("CxO", None).token;
    let portfolio = app.get("/api/v1/portfolio", Some(cxo)).await;
    let cascade = portfolio.body["partners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Cascade Group")
        .unwrap()["partner_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = page(&app, &format!("/partners/{cascade}"), Some(&sarah)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.text.contains("Cascade Group"));
    let own = page(&app, &format!("/partners/{cascade}"), Some(&southeast)).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.text.contains("Cascade Group"));

    // Finance reconciles and downloads, but runs no console.
    assert_eq!(
        page(&app, "/finance", Some(&finance)).await.status,
        StatusCode::OK
    );
    let csv = page(&app, "/finance/reconciliation.csv", Some(&finance)).await;
    assert!(header(&csv, "content-type").starts_with("text/csv"));
    assert!(csv.text.starts_with(CSV_HEADER.trim_end()), "{}", csv.text);
    assert_eq!(
        page(&app, "/console", Some(&finance)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        page(&app, "/finance", Some(&southeast)).await.status,
        StatusCode::FORBIDDEN
    );

    // An Admin reads no program data.
    assert_eq!(
        page(&app, "/portfolio", Some(&admin)).await.status,
        StatusCode::FORBIDDEN
    );
    assert!(page(&app, "/", Some(&admin))
        .await
        .text
        .contains("reads no program data"));
}

#[tokio::test]
async fn the_partner_page_shows_the_latest_timeline_entries_and_links_to_older_ones() {
    let (app, demo) = app().await;
    let cxo = &demo.token("CxO", None).token;
    let session = sign_in(&app, cxo).await;
    let portfolio = app.get("/api/v1/portfolio", Some(cxo)).await;
    let partners = portfolio.body["partners"].as_array().unwrap();
    let ironclad = partners
        .iter()
        .find(|p| p["name"] == "Ironclad MSP")
        .unwrap();
    let id = ironclad["partner_id"].as_str().unwrap();
    let api = app
        .get(&format!("/api/v1/partners/{id}/timeline"), Some(cxo))
        .await;
    let sentences: Vec<&str> = api.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sentence"].as_str().unwrap())
        .collect();
    assert!(sentences.len() >= 3, "{sentences:?}");

    // Two entries a page: the newest first, then the link walks back to the oldest.
    let mut path = format!("/partners/{id}?limit=2");
    let mut seen = Vec::new();
    loop {
        let r = page(&app, &path, Some(&session)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        let shown: Vec<&str> = sentences
            .iter()
            .copied()
            .filter(|s| r.text.contains(&escaped(s)))
            .collect();
        assert!(!shown.is_empty() && shown.len() <= 2, "{path}: {shown:?}");
        seen.splice(0..0, shown);
        let Some(at) = r.text.find("Older entries") else {
            break;
        };
        let href = &r.text[..at];
        let href = &href[href.rfind("href=\"").unwrap() + 6..];
        path = href[..href.find('#').unwrap()].replace("&amp;", "&");
        assert!(path.contains("before="), "{path}");
    }
    assert_eq!(seen, sentences);
}

/// `text` as the console's HTML shows it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
