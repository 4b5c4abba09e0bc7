//! Which database a ledger lives in, decided by the URL's scheme.

use std::fmt;

use crate::StoreError;

/// The database behind a [`crate::Ledger`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// An embedded SQLite file in WAL mode: the default, for one team and for trying it out.
    Sqlite,
    /// PostgreSQL, for production.
    Postgres,
}

impl Backend {
    /// The backend a database URL names: `sqlite:path`, `sqlite://path`, `postgres://…` or
    /// `postgresql://…`.
    pub fn from_url(url: &str) -> Result<Self, StoreError> {
        let scheme = url.split_once(':').map_or("", |(scheme, _)| scheme);
        match scheme {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            // Only the scheme goes into the error: the rest may hold a password.
            _ => Err(StoreError::UnsupportedUrl(scheme.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_picks_the_backend() {
        assert_eq!(
            Backend::from_url("sqlite://channel-ledger.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("sqlite:data/ledger.db").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgres://u@h/db").unwrap(),
            Backend::Postgres
        );
        assert_eq!(
            Backend::from_url("postgresql://u@h/db").unwrap(),
            Backend::Postgres
        );
    }

    #[test]
    fn an_unknown_scheme_is_refused_without_echoing_the_url() {
        let err = Backend::from_url("mysql://root:secret@h/db").unwrap_err();
        assert!(matches!(&err, StoreError::UnsupportedUrl(s) if s == "mysql"));
        assert!(!err.to_string().contains("secret"));
    }
}
