//! Bounded, thread-safe maps shared by every expansion in the process.
//!
//! Each map is split into shards behind their own `Mutex`, so two threads rarely wait on each
//! other and an uncontended lookup is one lock plus one hash probe. A shard holds at most
//! `cap / SHARDS` entries and `weight_cap / SHARDS` weight (the caller's measure of an entry's
//! memory: term definitions, bytes of text); when either is reached, the least recently used
//! half is dropped (amortised O(1) per insert). Counting weight, not only entries, is what bounds
//! memory whatever documents arrive: many contexts of thousands of terms each would otherwise
//! fit in an entry cap.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Mutex, PoisonError};

const SHARDS: usize = 16;

struct Shard<K, V> {
    /// Value, last use (tick), weight.
    map: HashMap<K, (V, u64, u64)>,
    tick: u64,
    weight: u64,
}

/// A sharded map with least-recently-used eviction of half a shard when it is full.
pub(super) struct BoundedMap<K, V> {
    shards: Vec<Mutex<Shard<K, V>>>,
    hasher: RandomState,
    per_shard: usize,
    weight_per_shard: u64,
}

impl<K: Hash + Eq, V: Clone> BoundedMap<K, V> {
    /// At most `cap` entries and `weight_cap` total weight.
    pub(super) fn new(cap: usize, weight_cap: u64) -> Self {
        Self {
            shards: (0..SHARDS)
                .map(|_| {
                    Mutex::new(Shard {
                        map: HashMap::new(),
                        tick: 0,
                        weight: 0,
                    })
                })
                .collect(),
            hasher: RandomState::new(),
            per_shard: (cap / SHARDS).max(2),
            weight_per_shard: (weight_cap / SHARDS as u64).max(1),
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
        let (v, used, _) = shard.map.get_mut(key)?;
        *used = tick;
        Some(v.clone())
    }

    /// Inserts `value` (of `weight`) unless another thread got there first; returns the value
    /// now stored, so that every caller shares one copy. A value heavier than a whole shard is
    /// returned without being stored.
    pub(super) fn insert(&self, key: K, value: V, weight: u64) -> V {
        if weight > self.weight_per_shard {
            return value;
        }
        let mut shard = self
            .shard(&key)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        shard.tick += 1;
        let tick = shard.tick;
        if let Some((existing, used, _)) = shard.map.get_mut(&key) {
            *used = tick;
            return existing.clone();
        }
        while !shard.map.is_empty()
            && (shard.map.len() >= self.per_shard || shard.weight + weight > self.weight_per_shard)
        {
            let mut ticks: Vec<u64> = shard.map.values().map(|(_, t, _)| *t).collect();
            let mid = ticks.len() / 2;
            let (_, median, _) = ticks.select_nth_unstable(mid);
            let median = *median;
            shard.map.retain(|_, (_, t, _)| *t > median);
            shard.weight = shard.map.values().map(|(_, _, w)| *w).sum();
        }
        shard.weight += weight;
        shard.map.insert(key, (value.clone(), tick, weight));
        value
    }

    /// Number of entries and their total weight (for tests).
    #[cfg(test)]
    pub(super) fn size(&self) -> (usize, u64) {
        self.shards.iter().fold((0, 0), |(n, w), s| {
            let s = s.lock().unwrap_or_else(PoisonError::into_inner);
            (n + s.map.len(), w + s.weight)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_bounded_and_keeps_recent_entries() {
        let m: BoundedMap<u32, u32> = BoundedMap::new(64, u64::MAX);
        for i in 0..10_000 {
            m.insert(i, i, 1);
            assert_eq!(m.get(&i), Some(i));
        }
        assert!(m.size().0 <= 64, "{:?}", m.size());
    }

    #[test]
    fn stays_within_its_weight() {
        let m: BoundedMap<u32, u32> = BoundedMap::new(1 << 20, 16 * 1000);
        for i in 0..10_000 {
            m.insert(i, i, 1 + u64::from(i % 900));
            assert!(m.size().1 <= 16 * 1000, "{:?}", m.size());
        }
        // The most recent entry is kept; one heavier than a shard is returned but not kept.
        assert_eq!(m.get(&9_999), Some(9_999));
        assert_eq!(m.insert(20_000, 1, 1_001), 1);
        assert_eq!(m.get(&20_000), None);
    }
}
