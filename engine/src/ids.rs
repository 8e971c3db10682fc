//! Maps and sets keyed by article number, the ranking's busiest tables.
//!
//! The standard library hashes with SipHash, which resists keys chosen to collide; article
//! numbers come from the index, not from the shopper, and SipHash was a tenth of a
//! search's time in the server's profile. [`IdHasher`] is one multiplication per key
//! (Firefox's and rustc's "Fx" hash). Nothing depends on the order of a table's entries:
//! every ranking sorts what it reads from one.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by article number.
pub type IdMap<V> = HashMap<u32, V, BuildHasherDefault<IdHasher>>;
/// A set of article numbers.
pub type IdSet = HashSet<u32, BuildHasherDefault<IdHasher>>;

/// The Fx hash: rotate, xor in the word, multiply by an odd constant.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl IdHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for IdHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(u64::from(b));
        }
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_ids_spread_over_the_table() {
        let set: IdSet = (0..100_000).collect();
        assert_eq!(set.len(), 100_000);
        assert!((0..100_000).all(|i| set.contains(&i)) && !set.contains(&100_000));
        // Consecutive keys differ in their hash's top bits (hashbrown's tags) too.
        let top = |i: u32| {
            let mut h = IdHasher::default();
            h.write_u32(i);
            h.finish() >> 57
        };
        let tags: HashSet<u64> = (0..1000).map(top).collect();
        assert!(tags.len() > 100, "{} tags", tags.len());
    }
}
