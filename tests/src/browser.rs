//! Browser tests' harness: the real service on a copy of the demo program, served in-process on a
//! free port, and a headless Chromium driven over WebDriver by a `chromedriver` this harness
//! starts on a free port of its own.
//!
//! Chromium and its driver are Debian's `chromium` and `chromium-driver` (`scripts/test` installs
//! them when missing; `LEDGER_CHROMIUM` and `LEDGER_CHROMEDRIVER` point elsewhere). Without them a
//! browser test fails saying what to install, unless `LEDGER_SKIP_BROWSER=1` skips it.
//!
//! Every page a test visits is kept as a screenshot; when the test fails they are all written to
//! `target/browser-screenshots/<test>/`, numbered in the order visited.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use channel_ledger_server::config::Config;
use channel_ledger_server::Application;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::demo::DemoLedger;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const SKIP_VAR: &str = "LEDGER_SKIP_BROWSER";

/// The flags Chromium runs with: headless, and quiet (no network of its own, no updates).
const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,1000",
];

fn binary(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// A headless Chromium on the demo program, with the screenshots of the pages it has shown.
pub struct Page {
    pub demo: DemoLedger,
    client: Client,
    base: String,
    test: String,
    shots: Vec<(String, Vec<u8>)>,
    driver: std::process::Child,
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page")
            .field("base", &self.base)
            .field("test", &self.test)
            .finish_non_exhaustive()
    }
}

impl Page {
    /// Serves a fresh copy of the demo program and opens a browser on it; `None` (the test is
    /// skipped) only when Chromium is missing and `LEDGER_SKIP_BROWSER=1`.
    pub async fn open(test: &str) -> Option<Self> {
        let (chromium, chromedriver) = (
            binary("LEDGER_CHROMIUM", CHROMIUM),
            binary("LEDGER_CHROMEDRIVER", CHROMEDRIVER),
        );
        if !chromium.exists() || !chromedriver.exists() {
            if std::env::var(SKIP_VAR).is_ok_and(|v| v == "1") {
                eprintln!("skipping browser test {test}: {SKIP_VAR}=1 and no Chromium");
                return None;
            }
            panic!(
                "browser tests need Chromium and its WebDriver at {} and {}: \
                 `apt-get install chromium chromium-driver` (scripts/test does it), \
                 or set {SKIP_VAR}=1 to skip them",
                chromium.display(),
                chromedriver.display()
            );
        }
        let demo = DemoLedger::copy();
        let app = Application::build(Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: demo.url.clone(),
            ..Config::default()
        })
        .await
        .expect("start the service on the demo ledger");
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());
        let (driver, client) = start_browser(&chromium, &chromedriver).await;
        Some(Self {
            demo,
            client,
            base,
            test: test.to_owned(),
            shots: Vec::new(),
            driver,
        })
    }

    /// Keeps a screenshot of the page as it is now, named after its path.
    async fn shoot(&mut self) {
        let name = self
            .client
            .current_url()
            .await
            .map(|u| u.path().trim_matches('/').replace('/', "_"))
            .unwrap_or_default();
        if let Ok(png) = self.client.screenshot().await {
            self.shots.push((name, png));
        }
    }

    /// Opens `path` (e.g. `/console/queue`).
    pub async fn goto(&mut self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
        self.shoot().await;
    }

    /// Signs in with `token` through the sign-in form.
    pub async fn sign_in(&mut self, token: &str) {
        self.goto("/sign-in").await;
        self.find("#token")
            .await
            .send_keys(token)
            .await
            .expect("type the token");
        self.click("form[action='/sign-in'] button[type=submit]")
            .await;
    }

    /// Signs out with the header's button.
    pub async fn sign_out(&mut self) {
        self.click("form[action='/sign-out'] button").await;
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element `{css}` on the page: {e}"))
    }

    /// Whether an element matches `css` right now.
    pub async fn has(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("query the page")
            .is_empty()
    }

    /// Clicks the element and keeps a screenshot of what follows.
    pub async fn click(&mut self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{css}`: {e}"));
        self.shoot().await;
    }

    /// Clicks the link whose text is exactly `text`.
    pub async fn click_link(&mut self, text: &str) {
        self.client
            .find(Locator::LinkText(text))
            .await
            .unwrap_or_else(|e| panic!("no link `{text}`: {e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("click `{text}`: {e}"));
        self.shoot().await;
    }

    /// Sets a form field's value as a person picking it would (a date picker has no keys).
    pub async fn set_value(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        self.client
            .execute(
                "arguments[0].value = arguments[1]; \
                 arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
                vec![
                    serde_json::to_value(&field).expect("an element reference"),
                    json!(value),
                ],
            )
            .await
            .unwrap_or_else(|e| panic!("set `{css}`: {e}"));
    }

    /// The visible text of the first element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("read the text")
    }

    /// The visible text of the whole page.
    pub async fn body_text(&self) -> String {
        self.text("body").await
    }

    /// The path of the page shown.
    pub async fn path(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the current URL")
            .path()
            .to_owned()
    }

    /// Writes a screenshot of the page as it is now to `path`.
    pub async fn save_screenshot(&self, path: &std::path::Path) {
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Ends the browser session cleanly.
    pub async fn close(mut self) {
        let client = self.client.clone();
        client.close().await.ok();
        self.shots.clear();
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        if std::thread::panicking() {
            save_screenshots(&self.test, &self.shots);
        }
        // chromedriver leads its own process group: take Chromium down with it.
        let group = format!("-{}", self.driver.id());
        std::process::Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status()
            .ok();
        self.driver.wait().ok();
    }
}

fn screenshot_dir(test: &str) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"),
        PathBuf::from,
    );
    target.join("browser-screenshots").join(test)
}

fn save_screenshots(test: &str, shots: &[(String, Vec<u8>)]) {
    let dir = screenshot_dir(test);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    for (i, (name, png)) in shots.iter().enumerate() {
        let name = if name.is_empty() { "root" } else { name };
        std::fs::write(dir.join(format!("{:02}-{name}.png", i + 1)), png).ok();
    }
    eprintln!(
        "browser test {test} failed: {} screenshots in {}",
        shots.len(),
        dir.display()
    );
}

fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts chromedriver (leading a process group of its own) and a Chromium session through it.
async fn start_browser(
    chromium: &std::path::Path,
    chromedriver: &std::path::Path,
) -> (std::process::Child, Client) {
    use std::os::unix::process::CommandExt;
    let port = free_port();
    let driver = std::process::Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", chromedriver.display()));
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({ "binary": chromium, "args": CHROMIUM_FLAGS }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = String::new();
    for _ in 0..100 {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return (driver, client),
            Err(e) => {
                last_error = e.to_string();
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    panic!("chromedriver on port {port} did not start a Chromium session: {last_error}");
}
