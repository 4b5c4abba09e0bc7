//! A fresh, migrated database per test: a temporary SQLite file, or a new database on the
//! PostgreSQL cluster named by `LEDGER_TEST_PG_URL`.

use channel_ledger_store::Ledger;
use sqlx::Connection;
use uuid::Uuid;

const PG_URL_VAR: &str = "LEDGER_TEST_PG_URL";
const SKIP_PG_VAR: &str = "LEDGER_SKIP_POSTGRES";

/// A ledger in a new SQLite file; keep the directory alive for as long as the ledger.
pub async fn sqlite_ledger() -> (Ledger, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("create a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("ledger.db").display());
    let ledger = Ledger::connect(&url).await.expect("open the SQLite ledger");
    (ledger, dir)
}

/// A ledger in a new PostgreSQL database, or `None` when PostgreSQL tests are switched off.
pub async fn postgres_ledger() -> Option<Ledger> {
    let url = postgres_database().await?;
    Some(connect(&url).await)
}

/// Two ledgers on one new PostgreSQL database, each with its own pool and in-process state, as
/// two servers would have; `None` when PostgreSQL tests are switched off.
pub async fn postgres_ledger_pair() -> Option<(Ledger, Ledger)> {
    let url = postgres_database().await?;
    Some((connect(&url).await, connect(&url).await))
}

async fn connect(url: &str) -> Ledger {
    Ledger::connect(url)
        .await
        .expect("open the PostgreSQL ledger")
}

/// Creates a new database on the test cluster and returns its URL.
async fn postgres_database() -> Option<String> {
    let admin_url = match std::env::var(PG_URL_VAR) {
        Ok(url) => url,
        Err(_) if std::env::var(SKIP_PG_VAR).is_ok_and(|v| v == "1") => {
            eprintln!("skipping a PostgreSQL test: {SKIP_PG_VAR}=1");
            return None;
        }
        Err(_) => panic!(
            "PostgreSQL tests need a cluster: run `scripts/test` (it starts a throwaway \
             PostgreSQL 15 from /usr/lib/postgresql/15/bin; install with `apt-get install \
             postgresql-15`), or set {SKIP_PG_VAR}=1"
        ),
    };
    let name = format!("t_{}", Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("connect to {PG_URL_VAR}: {e}"));
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create a test database");
    admin.close().await.ok();
    Some(with_database(&admin_url, &name))
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
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

/// Runs raw SQL against the ledger's database, bypassing the store: for proving what the
/// database itself allows.
pub async fn raw_execute(ledger: &Ledger, sql: &str) -> Result<u64, sqlx::Error> {
    if let Some(pool) = ledger.sqlite_pool() {
        return sqlx::query(sql)
            .execute(pool)
            .await
            .map(|r| r.rows_affected());
    }
    let pool = ledger
        .postgres_pool()
        .expect("a ledger is SQLite or PostgreSQL");
    sqlx::query(sql)
        .execute(pool)
        .await
        .map(|r| r.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_swapped_keeping_the_rest() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5433/postgres", "t_1"),
            "postgres://postgres@127.0.0.1:5433/t_1"
        );
        assert_eq!(
            with_database("postgres://u:p@h:1/postgres?host=/tmp/x", "t_1"),
            "postgres://u:p@h:1/t_1?host=/tmp/x"
        );
        assert_eq!(with_database("postgres://h", "t_1"), "postgres://h/t_1");
    }
}
