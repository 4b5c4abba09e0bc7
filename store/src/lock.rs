//! Mutual exclusion by key across every writer of one database, for invariants that span
//! aggregates.
//!
//! Optimistic concurrency protects one stream. A decision that reads facts from *sibling*
//! streams (a fund request checking what the partner's other requests already hold against its
//! allocation) can pass twice when two such decisions run at once. Callers hold
//! [`Ledger::lock`] on a key naming the invariant around reading the facts and appending the
//! decision (docs/adr/0003-facts-in-commands.md).
//!
//! - SQLite: one process owns the file, so an in-process mutex per key is enough.
//! - PostgreSQL: a session-level advisory lock on a dedicated pooled connection, after the same
//!   in-process mutex (so tasks of this process queue without each holding a connection). The
//!   connection is closed, never returned to the pool, unless the lock was released on it: a
//!   guard dropped by a panic or a cancelled request ends the session, and PostgreSQL frees its
//!   locks with it.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex as StdMutex, PoisonError};
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::Postgres;
use tokio::sync::{Mutex, OwnedMutexGuard, OwnedSemaphorePermit, Semaphore};

use crate::ledger::Db;
use crate::{Ledger, StoreError};

/// How long [`Ledger::lock`] waits for a key before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// The first key of PostgreSQL's two-key advisory lock space (the second is the hash of the
/// key). Two-key locks never meet single-key ones such as the sequencer's
/// (`pg_advisory_xact_lock(7814701316393234019)`). "CLKL" in ASCII.
const PG_LOCK_SPACE: i32 = 0x434c_4b4c;

/// The keys held or awaited in this process, shared by the clones of a [`Ledger`].
#[derive(Debug)]
pub(crate) struct Locks {
    /// A mutex per key, present only while someone holds or awaits it.
    keys: StdMutex<HashMap<String, Arc<Mutex<()>>>>,
    /// PostgreSQL: at most half the pool holds lock connections, so a holder always finds a
    /// connection for the work it locked for.
    pg_sessions: Option<Arc<Semaphore>>,
}

impl Locks {
    pub(crate) fn new(pg_pool_size: Option<u32>) -> Arc<Self> {
        Arc::new(Self {
            keys: StdMutex::default(),
            pg_sessions: pg_pool_size
                .map(|size| Arc::new(Semaphore::new((size as usize / 2).max(1)))),
        })
    }

    /// The key's in-process mutex; the map entry goes when its last user does.
    async fn local(self: &Arc<Self>, key: &str) -> LocalGuard {
        let entry = {
            let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
            KeyEntry {
                locks: Arc::clone(self),
                key: key.to_owned(),
                mutex: Some(Arc::clone(keys.entry(key.to_owned()).or_default())),
            }
        };
        let mutex = Arc::clone(entry.mutex.as_ref().expect("set above"));
        LocalGuard {
            _held: mutex.lock_owned().await,
            _entry: entry,
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// A use of a key's map entry: dropping the last one removes the entry, also when the wait for
/// the mutex was cancelled.
struct KeyEntry {
    locks: Arc<Locks>,
    key: String,
    mutex: Option<Arc<Mutex<()>>>,
}

impl Drop for KeyEntry {
    fn drop(&mut self) {
        // Users clone the mutex only under the map's lock, so the count read here is exact.
        let mut keys = self
            .locks
            .keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        drop(self.mutex.take());
        if keys
            .get(&self.key)
            .is_some_and(|m| Arc::strong_count(m) == 1)
        {
            keys.remove(&self.key);
        }
    }
}

/// Fields drop in order: the mutex is unlocked before the entry is given up.
struct LocalGuard {
    _held: OwnedMutexGuard<()>,
    _entry: KeyEntry,
}

/// The connection that holds a PostgreSQL advisory lock. Dropped while it still holds the
/// connection, it closes it: the session ends and PostgreSQL releases the lock.
struct PgSession(Option<PoolConnection<Postgres>>);

impl Drop for PgSession {
    fn drop(&mut self) {
        if let Some(conn) = self.0.as_mut() {
            conn.close_on_drop();
        }
    }
}

/// A held key. Give it back with [`KeyLock::release`]; dropping it also frees the key (on
/// PostgreSQL by closing its connection, so prefer `release` on the normal path).
#[must_use = "the key is free again as soon as the guard is dropped"]
pub struct KeyLock {
    key: String,
    // Fields drop in order: the session first, then the pool slot, then this process's mutex.
    session: Option<PgSession>,
    _slot: Option<OwnedSemaphorePermit>,
    _local: LocalGuard,
}

impl fmt::Debug for KeyLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyLock")
            .field("key", &self.key)
            .field("postgres", &self.session.is_some())
            .finish_non_exhaustive()
    }
}

impl KeyLock {
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Frees the key. On PostgreSQL the lock is released and the connection returns to the pool;
    /// if that fails the connection is closed instead, which frees the lock all the same, so
    /// there is nothing for the caller to handle.
    #[tracing::instrument(skip_all, fields(lock.key = %self.key))]
    pub async fn release(mut self) {
        let Some(mut session) = self.session.take() else {
            return;
        };
        let Some(conn) = session.0.as_mut() else {
            return;
        };
        let unlocked = sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1, hashtext($2))")
            .bind(PG_LOCK_SPACE)
            .bind(&self.key)
            .fetch_one(&mut **conn)
            .await;
        match unlocked {
            // Back to the pool: the session holds no lock any more.
            Ok(true) => drop(session.0.take()),
            Ok(false) => tracing::warn!("the advisory lock was not held; closing its connection"),
            Err(error) => {
                tracing::warn!(%error, "advisory unlock failed; closing its connection");
            }
        }
    }
}

impl Ledger {
    /// Waits (up to [`LOCK_WAIT`]) until no other writer of this database holds `key`, and holds
    /// it until the guard is released or dropped. Keys are free-form; name the invariant they
    /// protect, e.g. `mdf-commitments:<partner>:<quarter>`.
    #[tracing::instrument(skip(self), fields(db.backend = %self.backend()), err)]
    pub async fn lock(&self, key: &str) -> Result<KeyLock, StoreError> {
        tokio::time::timeout(LOCK_WAIT, self.acquire(key))
            .await
            .map_err(|_| StoreError::LockTimeout {
                key: key.to_owned(),
                waited: LOCK_WAIT,
            })?
    }

    async fn acquire(&self, key: &str) -> Result<KeyLock, StoreError> {
        let local = self.locks.local(key).await;
        let (Db::Postgres(pool), Some(slots)) = (&self.db, &self.locks.pg_sessions) else {
            return Ok(KeyLock {
                key: key.to_owned(),
                session: None,
                _slot: None,
                _local: local,
            });
        };
        let slot = Arc::clone(slots)
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        // Guarded before the query: if this future is cancelled while the lock is being granted,
        // the connection is closed rather than pooled with the lock still held.
        let mut session = PgSession(Some(pool.acquire().await?));
        let conn = session.0.as_mut().expect("set above");
        sqlx::query("SELECT pg_advisory_lock($1, hashtext($2))")
            .bind(PG_LOCK_SPACE)
            .bind(key)
            .execute(&mut **conn)
            .await?;
        Ok(KeyLock {
            key: key.to_owned(),
            session: Some(session),
            _slot: Some(slot),
            _local: local,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_key_leaves_the_map_when_its_last_user_is_done() {
        let locks = Locks::new(None);
        let held = locks.local("k").await;
        assert_eq!(locks.len(), 1);
        // A wait given up (a cancelled request) must not leave its entry behind.
        let waited = tokio::time::timeout(Duration::from_millis(20), locks.local("k")).await;
        assert!(waited.is_err());
        let other = locks.local("other").await;
        assert_eq!(locks.len(), 2);
        drop(held);
        drop(other);
        assert_eq!(locks.len(), 0);
        let again = tokio::time::timeout(Duration::from_secs(1), locks.local("k")).await;
        assert!(again.is_ok(), "the key is free again");
        drop(again);
        assert_eq!(locks.len(), 0);
    }
}
