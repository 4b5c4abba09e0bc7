//! PostgreSQL for the binary's tests: a fresh database on the shared test cluster that
//! `scripts/test` starts (`LEDGER_TEST_PG_URL`), or a whole cluster of a test's own, for the
//! tests that stop, restart or reconfigure the server under the service.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sqlx::Connection;

const PG_URL_VAR: &str = "LEDGER_TEST_PG_URL";
const SKIP_PG_VAR: &str = "LEDGER_SKIP_POSTGRES";
const PG_BIN_VAR: &str = "LEDGER_PG_BIN";

fn skipping() -> bool {
    if std::env::var(SKIP_PG_VAR).is_ok_and(|v| v == "1") {
        eprintln!("skipping a PostgreSQL test: {SKIP_PG_VAR}=1");
        return true;
    }
    false
}

/// A new database on the shared test cluster; `None` when PostgreSQL tests are switched off.
pub fn shared_database() -> Option<String> {
    let admin_url = match std::env::var(PG_URL_VAR) {
        Ok(url) => url,
        Err(_) if skipping() => return None,
        Err(_) => panic!(
            "PostgreSQL tests need a cluster: run `scripts/test` (it starts a throwaway \
             PostgreSQL 15 from /usr/lib/postgresql/15/bin; install with `apt-get install \
             postgresql-15`), or set {SKIP_PG_VAR}=1"
        ),
    };
    Some(create_database(&admin_url))
}

/// Creates a database named at random on the server `admin_url` points to; its URL.
pub fn create_database(admin_url: &str) -> String {
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    execute(admin_url, &format!("CREATE DATABASE {name}"));
    with_database(admin_url, &name)
}

/// Runs one statement on its own connection.
pub fn execute(url: &str, sql: &str) {
    block_on(async {
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("connect to PostgreSQL: {e}"));
        sqlx::raw_sql(sql)
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.ok();
    });
}

/// The first column of the first row of `sql`, as text.
pub fn query_text(url: &str, sql: &str) -> Option<String> {
    block_on(async {
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .unwrap_or_else(|e| panic!("connect to PostgreSQL: {e}"));
        let value: Option<String> = sqlx::query_scalar(sql)
            .fetch_optional(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.ok();
        value
    })
}

pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// The directory holding `initdb` and `pg_ctl`: `LEDGER_PG_BIN`, the newest
/// `/usr/lib/postgresql/*/bin`, or wherever `pg_ctl` is on the PATH.
fn pg_bin() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var(PG_BIN_VAR) {
        return Some(PathBuf::from(dir));
    }
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| bin.join("pg_ctl").is_file())
        .collect();
    dirs.sort();
    if let Some((_, bin)) = dirs.pop() {
        return Some(bin);
    }
    std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .find(|dir| dir.join("pg_ctl").is_file() && dir.join("initdb").is_file())
    })
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A PostgreSQL cluster of the test's own, in a temporary directory: initialised, started,
/// stopped and restarted at will, and removed when dropped. As root (initdb refuses root), its
/// server runs as the `postgres` user, as `scripts/pg-cluster.sh` does.
pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    as_postgres: bool,
}

impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("dir", &self.dir.path())
            .field("port", &self.port)
            .finish()
    }
}

impl Cluster {
    /// Initialises and starts a cluster; `None` when PostgreSQL tests are switched off.
    pub fn start() -> Option<Self> {
        if skipping() {
            return None;
        }
        let Some(bin) = pg_bin().filter(|b| b.join("initdb").is_file()) else {
            panic!(
                "this test starts a PostgreSQL cluster of its own and found no server binaries \
                 (looked in {PG_BIN_VAR}, /usr/lib/postgresql/*/bin and PATH): install them with \
                 `apt-get install postgresql-15`, or set {SKIP_PG_VAR}=1"
            )
        };
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("channel-ledger-pgfault.")
            .tempdir()
            .unwrap();
        if as_postgres {
            assert!(
                Command::new("chown")
                    .args(["postgres:", &dir.path().display().to_string()])
                    .status()
                    .unwrap()
                    .success(),
                "running as root needs a `postgres` user to own the test cluster"
            );
        }
        let cluster = Self {
            bin,
            dir,
            port: super::free_port(),
            as_postgres,
        };
        let data = cluster.data();
        let initdb = cluster
            .command("initdb")
            .args(["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8"])
            .args(["--locale=C", "--no-sync"])
            .output()
            .unwrap();
        assert!(
            initdb.status.success(),
            "initdb failed: {}",
            String::from_utf8_lossy(&initdb.stderr)
        );
        cluster.start_server();
        Some(cluster)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program).display().to_string();
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", &program]);
            c
        } else {
            Command::new(program)
        };
        command.stdin(Stdio::null());
        command
    }

    /// The admin URL of the `postgres` database.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server and waits until it accepts connections.
    pub fn start_server(&self) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c max_connections=100 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("server.log").display().to_string();
        let started = self
            .command("pg_ctl")
            .args([
                "-D",
                &self.data(),
                "-l",
                &log,
                "-w",
                "-t",
                "30",
                "start",
                "-o",
                &options,
            ])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(started.success(), "pg_ctl start failed: {}", self.log());
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.accepts_connections() {
            assert!(
                Instant::now() < deadline,
                "PostgreSQL did not start: {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server: `fast` (clients are disconnected, a clean shutdown) or `immediate`
    /// (as if the power went: crash recovery on the next start).
    pub fn stop_server(&self, mode: &str) {
        let stopped = self
            .command("pg_ctl")
            .args(["-D", &self.data(), "-m", mode, "-w", "-t", "30", "stop"])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(stopped.success(), "pg_ctl stop failed: {}", self.log());
    }

    pub fn accepts_connections(&self) -> bool {
        self.command("pg_isready")
            .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
            .status()
            .is_ok_and(|s| s.success())
    }

    /// The server's log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if self.dir.path().join("data/postmaster.pid").exists() {
            let _ = self
                .command("pg_ctl")
                .args(["-D", &self.data(), "-m", "immediate", "-w", "stop"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }
}
