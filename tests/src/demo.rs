//! The demo program as a test fixture: written once per test binary into a template SQLite file
//! (a few seconds through the real command path), then copied into a fresh file per test.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use channel_ledger_server::cli::demo::{write_program, DemoToken};
use channel_ledger_server::state::system_clock;
use channel_ledger_server::AppState;
use channel_ledger_store::Ledger;

const SEED: u64 = 2026;

struct Template {
    /// Keeps the template's directory for the life of the test binary.
    _dir: tempfile::TempDir,
    path: PathBuf,
    tokens: Vec<DemoToken>,
}

static TEMPLATE: OnceLock<Template> = OnceLock::new();

/// A copy of the demo program in its own SQLite file.
#[derive(Debug)]
pub struct DemoLedger {
    pub url: String,
    pub tokens: Vec<DemoToken>,
    _dir: tempfile::TempDir,
}

impl DemoLedger {
    /// A fresh copy of the demo program (written on first use in this test binary).
    pub fn copy() -> Self {
        let template = TEMPLATE.get_or_init(write_template);
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("ledger.db");
        std::fs::copy(&template.path, &path).expect("copy the demo ledger");
        Self {
            url: sqlite_url(&path),
            tokens: template.tokens.clone(),
            _dir: dir,
        }
    }

    /// The token of the first person of `role` (in `territory`, when given).
    pub fn token(&self, role: &str, territory: Option<&str>) -> &DemoToken {
        self.tokens
            .iter()
            .find(|t| {
                t.role == role && (territory.is_none() || t.territory.as_deref() == territory)
            })
            .unwrap_or_else(|| panic!("the demo program has no {role} {territory:?}"))
    }

    /// The token of the person called `name`.
    pub fn person(&self, name: &str) -> &DemoToken {
        self.tokens
            .iter()
            .find(|t| t.name == name)
            .unwrap_or_else(|| panic!("the demo program has no {name}"))
    }

    pub async fn ledger(&self) -> Ledger {
        Ledger::connect(&self.url)
            .await
            .expect("open the demo ledger")
    }
}

fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// Writes the program on a runtime of its own (the caller's may be single-threaded) and
/// compacts it into one self-contained file.
fn write_template() -> Template {
    std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the demo program");
        runtime.block_on(async {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let scratch = dir.path().join("scratch.db");
            let ledger = Ledger::connect(&sqlite_url(&scratch))
                .await
                .expect("open the template ledger");
            let state = AppState::new(ledger.clone(), system_clock())
                .await
                .expect("the template's state");
            let tokens = write_program(&state, SEED)
                .await
                .expect("write the demo program");
            let path = dir.path().join("template.db");
            let pool = ledger.sqlite_pool().expect("an SQLite ledger");
            sqlx::query("VACUUM INTO ?")
                .bind(path.display().to_string())
                .execute(pool)
                .await
                .expect("compact the template");
            Template {
                _dir: dir,
                path,
                tokens,
            }
        })
    })
    .join()
    .expect("the demo program's thread")
}
