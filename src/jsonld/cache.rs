//! Bounded, thread-safe maps shared by every expansion in the process.
//!
//! Each map is split into shards behind their own `Mutex`, so two threads rarely wait on each
//! other and an uncontended lookup is one lock plus one hash probe. A shard holds at most
//! `cap / SHARDS` entries; when it is full, the least recently used half is dropped (amortised
//! O(1) per insert), which bounds memory whatever documents arrive.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Mutex, PoisonError};

const SHARDS: usize = 16;

struct Shard<K, V> {
    map: HashMap<K, (V, u64)>,
    tick: u64,
}

/// A sharded map with least-recently-used eviction of half a shard when it is full.
pub(super) struct BoundedMap<K, V> {
    shards: Vec<Mutex<Shard<K, V>>>,
    hasher: RandomState,
    per_shard: usize,
}

impl<K: Hash + Eq, V: Clone> BoundedMap<K, V> {
    pub(super) fn new(cap: usize) -> Self {
        Self {
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        map: HashMap::new(),
                        tick: 0,
                    })
                })
                .collect(),
            hasher: RandomState::new(),
            per_shard: (cap / SHARDS).max(2),
        }
    }

    fn shard<Q: Hash + ?Sized>(&self, key: &Q) -> &Mutex<Shard<K, V>> {
        // `shards` is never empty, so the index is always in range.
        let h = self.hasher.hash_one(key) as usize;
        &self.shards[h % SHARDS]
    }

    pub(super) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        // A panic while holding the lock leaves the map consistent (no multi-step updates).
        let mut shard = self
            .shard(key)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        shard.tick += 1;
        let tick = shard.tick;
        let (v, used) = shard.map.get_mut(key)?;
        *used = tick;
        Some(v.clone())
    }

    /// Inserts `value` unless another thread got there first; returns the value now stored,
    /// so that every caller shares one copy.
    pub(super) fn insert(&self, key: K, value: V) -> V {
        let mut shard = self
            .shard(&key)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        shard.tick += 1;
        let tick = shard.tick;
        if let Some((existing, used)) = shard.map.get_mut(&key) {
            *used = tick;
            return existing.clone();
        }
        if shard.map.len() >= self.per_shard {
            let mut ticks: Vec<u64> = shard.map.values().map(|(_, t)| *t).collect();
            let mid = ticks.len() / 2;
            let (_, median, _) = ticks.select_nth_unstable(mid);
            let median = *median;
            shard.map.retain(|_, (_, t)| *t > median);
        }
        shard.map.insert(key, (value.clone(), tick));
        value
    }

    /// Number of entries (for tests).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).map.len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_bounded_and_keeps_recent_entries() {
        let m: BoundedMap<u32, u32> = BoundedMap::new(64);
        for i in 0..10_000 {
            m.insert(i, i);
            assert_eq!(m.get(&i), Some(i));
        }
        assert!(m.len() <= 64, "{}", m.len());
    }
}
