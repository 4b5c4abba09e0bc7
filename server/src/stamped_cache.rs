//! A small least-recently-used cache of values that stay valid while the log has not moved past
//! what they were built over.
//!
//! Each entry carries a [`Stamp`] taken *before* its value was loaded. A lookup brings the
//! current stamp; the entry answers while its stamp [`covers`](Stamp::covers) the current one,
//! and is loaded again otherwise. What a stamp measures is the caller's business: the partner
//! caches stamp with log positions of the partner's own streams and of its context.
//!
//! The lock is held only to look up and insert, never while loading: two requests missing the
//! same key at once both load it, and the later insert wins.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;

/// What a cached value was built over.
pub trait Stamp: Copy {
    /// Whether a value built at `self` still answers for the log at `now`.
    fn covers(self, now: Self) -> bool;
}

/// A log position: a value built after it holds everything up to it.
impl Stamp for i64 {
    fn covers(self, now: i64) -> bool {
        now <= self
    }
}

struct Entry<V, S> {
    value: V,
    stamp: S,
    used: u64,
}

struct Inner<V, S> {
    entries: HashMap<String, Entry<V, S>>,
    tick: u64,
}

/// Values by key, at most `capacity` of them.
pub struct StampedCache<V, S> {
    capacity: usize,
    inner: Mutex<Inner<V, S>>,
}

impl<V, S> std::fmt::Debug for StampedCache<V, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StampedCache")
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl<V: Clone, S: Stamp> StampedCache<V, S> {
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner {
                entries: HashMap::new(),
                tick: 0,
            }),
        }
    }

    /// The value for `key` valid at `stamp`: cached, or loaded by `load` and cached at `stamp`.
    /// The second of the pair says whether it was a hit.
    pub async fn get_or_load<E, F>(&self, key: &str, stamp: S, load: F) -> Result<(V, bool), E>
    where
        F: Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.lookup(key, stamp) {
            return Ok((value, true));
        }
        let value = load.await?;
        self.insert(key, stamp, value.clone());
        Ok((value, false))
    }

    /// The value for `key` if one is cached that is valid at `stamp`.
    pub fn lookup(&self, key: &str, stamp: S) -> Option<V> {
        let mut inner = self.lock();
        inner.tick += 1;
        let tick = inner.tick;
        let entry = inner
            .entries
            .get_mut(key)
            .filter(|e| e.stamp.covers(stamp))?;
        entry.used = tick;
        Some(entry.value.clone())
    }

    /// Caches `value` for `key` as built over `stamp`, evicting the least recently used entry
    /// when full.
    pub fn insert(&self, key: &str, stamp: S, value: V) {
        let mut inner = self.lock();
        inner.tick += 1;
        let used = inner.tick;
        if !inner.entries.contains_key(key) && inner.entries.len() >= self.capacity {
            let oldest = inner
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                inner.entries.remove(&k);
            }
        }
        inner
            .entries
            .insert(key.to_owned(), Entry { value, stamp, used });
    }

    /// How many values are cached.
    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The map stays consistent whatever a panicking holder was doing: lookups and inserts are
    /// single map operations.
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner<V, S>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(cache: &StampedCache<u32, i64>, key: &str, stamp: i64, value: u32) -> (u32, bool) {
        cache
            .get_or_load(key, stamp, async { Ok::<_, ()>(value) })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn an_entry_answers_until_the_log_moves_past_its_stamp() {
        let cache = StampedCache::new(4);
        assert_eq!(get(&cache, "a", 5, 1).await, (1, false));
        assert_eq!(get(&cache, "a", 5, 2).await, (1, true));
        assert_eq!(get(&cache, "a", 3, 2).await, (1, true));
        assert_eq!(get(&cache, "a", 6, 2).await, (2, false));
        assert_eq!(get(&cache, "a", 6, 3).await, (2, true));
    }

    #[tokio::test]
    async fn the_least_recently_used_entry_is_evicted_at_capacity() {
        let cache = StampedCache::new(2);
        get(&cache, "a", 1, 1).await;
        get(&cache, "b", 1, 2).await;
        get(&cache, "a", 1, 0).await;
        get(&cache, "c", 1, 3).await;
        assert_eq!(cache.len(), 2);
        assert_eq!(get(&cache, "a", 1, 9).await, (1, true));
        assert_eq!(get(&cache, "b", 1, 9).await, (9, false));
    }

    #[tokio::test]
    async fn a_failed_load_caches_nothing() {
        let cache: StampedCache<u32, i64> = StampedCache::new(2);
        let failed = cache
            .get_or_load("a", 1, async { Err::<u32, _>("no") })
            .await;
        assert_eq!(failed, Err("no"));
        assert!(cache.is_empty());
    }
}
