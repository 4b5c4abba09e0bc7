//! In-process HTTP helpers for the API tests: a router over a fresh ledger, requests sent with
//! `tower::ServiceExt::oneshot`, and shortcuts to set up staff and partners through the API.

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use channel_ledger_domain::text::Name;
use channel_ledger_server::cli::bootstrap::first_admin;
use channel_ledger_server::Clock;
use channel_ledger_server::{app, AppState};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use tower::ServiceExt;

/// The API over a fresh ledger, with its projector running as in `serve`.
pub struct TestApp {
    pub ledger: Ledger,
    pub router: Router,
    /// The state the router serves: its projector, clock and ledger.
    pub state: AppState,
    /// "Now" for the app: the wall clock unless pinned with [`TestApp::set_now`].
    now: Arc<Mutex<Option<DateTime<Utc>>>>,
    _dir: Option<tempfile::TempDir>,
}

impl std::fmt::Debug for TestApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestApp").finish_non_exhaustive()
    }
}

/// Someone with a token.
#[derive(Debug, Clone)]
pub struct Staffer {
    pub id: String,
    pub token: String,
}

/// A response, body already read.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl TestResponse {
    pub fn content_type(&self) -> &str {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem+json answer with `status` and returns its `field`, if any.
    pub fn problem(&self, status: u16) -> Option<String> {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.text
        );
        assert_eq!(
            self.content_type(),
            "application/problem+json",
            "{}",
            self.text
        );
        assert_eq!(self.body["status"], status);
        assert!(self.body["type"]
            .as_str()
            .unwrap()
            .starts_with("https://channel-ledger.dev/problems/"));
        self.body["field"].as_str().map(str::to_owned)
    }

    /// The problem's code: the last segment of its `type`.
    pub fn code(&self) -> String {
        self.body["type"]
            .as_str()
            .unwrap_or("")
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_owned()
    }
}

impl TestApp {
    /// The API over `ledger`; its projector catches up and then runs until the test's runtime
    /// ends.
    pub async fn over(ledger: Ledger) -> Self {
        let now: Arc<Mutex<Option<DateTime<Utc>>>> = Arc::default();
        let state = AppState::new(ledger.clone(), clock(&now)).await.unwrap();
        state.projector.catch_up().await.unwrap();
        state.spawn_projector(std::future::pending());
        let router = app::router(state.clone());
        Self {
            ledger,
            router,
            state,
            now,
            _dir: None,
        }
    }

    /// Pins the app's clock at `t` (or back to the wall clock with `None`), e.g. to build a
    /// history in the past that back-dated decisions can stand on.
    pub fn set_now(&self, t: Option<DateTime<Utc>>) {
        *self.now.lock().unwrap() = t;
    }

    pub async fn sqlite() -> Self {
        let (ledger, dir) = crate::sqlite_ledger().await;
        let mut app = Self::over(ledger).await;
        app._dir = Some(dir);
        app
    }

    pub async fn postgres() -> Option<Self> {
        Some(Self::over(crate::postgres_ledger().await?).await)
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            text,
            body,
        }
    }

    /// A request builder with the token (if any) set.
    pub fn request(
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> axum::http::request::Builder {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        b
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.send(
            Self::request(Method::GET, path, token)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> TestResponse {
        self.send(
            Self::request(Method::POST, path, token)
                .header("content-type", "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// The first Admin, exactly as `channel-ledger bootstrap` makes them.
    pub async fn bootstrap(&self) -> Staffer {
        let (id, issued) = first_admin(&self.state, Name::parse("Ada Admin").unwrap())
            .await
            .unwrap();
        Staffer {
            id: id.to_string(),
            token: issued.token,
        }
    }

    /// Registers a member of staff through the API and issues them a token.
    pub async fn hire(
        &self,
        admin: &Staffer,
        name: &str,
        role: &str,
        territory: Option<&str>,
    ) -> Staffer {
        let mut body = json!({"name": name, "role": role});
        if let Some(t) = territory {
            body["territory"] = json!(t);
        }
        let joined = self.post("/api/v1/staff", Some(&admin.token), &body).await;
        assert_eq!(joined.status, StatusCode::CREATED, "{}", joined.text);
        let id = joined.body["id"].as_str().unwrap().to_owned();
        let token = self
            .post(
                &format!("/api/v1/staff/{id}/tokens"),
                Some(&admin.token),
                &json!({}),
            )
            .await;
        assert_eq!(token.status, StatusCode::CREATED, "{}", token.text);
        Staffer {
            id,
            token: token.body["token"].as_str().unwrap().to_owned(),
        }
    }

    /// Registers a partner in `territory` as `by`; returns its id.
    pub async fn register_partner(&self, by: &Staffer, territory: &str) -> String {
        let r = self
            .post(
                "/api/v1/partners",
                Some(&by.token),
                &partner_body(territory),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
        r.body["id"].as_str().unwrap().to_owned()
    }

    pub async fn head(&self) -> i64 {
        self.ledger.head_position().await.unwrap()
    }
}

fn clock(now: &Arc<Mutex<Option<DateTime<Utc>>>>) -> Clock {
    let now = now.clone();
    Arc::new(move || now.lock().unwrap().unwrap_or_else(Utc::now))
}

/// A valid partner registration body.
pub fn partner_body(territory: &str) -> Value {
    json!({
        "name": "Ironclad MSP",
        "partner_type": "MSP",
        "territory": territory,
        "headquarters": "Atlanta, GA",
        "size": "51-200",
        "specialization": "Managed security",
    })
}

/// An Admin, a Southeast PAM and Manager, a Northwest PAM, a CxO, Finance and an Auditor.
#[derive(Debug, Clone)]
pub struct Cast {
    pub admin: Staffer,
    pub pam: Staffer,
    pub manager: Staffer,
    pub other_pam: Staffer,
    pub cxo: Staffer,
    pub finance: Staffer,
    pub auditor: Staffer,
}

pub const SOUTHEAST: &str = "Southeast";
pub const NORTHWEST: &str = "Pacific Northwest";

impl TestApp {
    pub async fn cast(&self) -> Cast {
        let admin = self.bootstrap().await;
        Cast {
            pam: self.hire(&admin, "Sarah K.", "PAM", Some(SOUTHEAST)).await,
            manager: self
                .hire(&admin, "Priya M.", "Manager", Some(SOUTHEAST))
                .await,
            other_pam: self.hire(&admin, "Marcus T.", "PAM", Some(NORTHWEST)).await,
            cxo: self.hire(&admin, "Dana C.", "CxO", None).await,
            finance: self.hire(&admin, "Femi F.", "Finance", None).await,
            auditor: self.hire(&admin, "Ari A.", "Auditor", None).await,
            admin,
        }
    }
}
