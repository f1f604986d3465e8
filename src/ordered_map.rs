//! Insertion-ordered maps keyed by a small fixed hash (FNV-1a) rather than
//! the standard library's randomly keyed SipHash.
//!
//! The keys are registry names from the user's own configuration, not
//! chosen by an attacker, so a keyed hash buys nothing here; SipHash and
//! its random keys are a kilobyte of wasm that every render would compile.

use std::hash::{BuildHasherDefault, Hasher};

/// An [`indexmap::IndexMap`] with the FNV-1a hash.
pub(crate) type OrderedMap<K, V> = indexmap::IndexMap<K, V, BuildHasherDefault<Fnv1a>>;

/// An [`indexmap::IndexSet`] with the FNV-1a hash.
pub(crate) type OrderedSet<K> = indexmap::IndexSet<K, BuildHasherDefault<Fnv1a>>;

/// 64-bit FNV-1a.
pub(crate) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_of_known_inputs() {
        let hash = |bytes: &[u8]| {
            let mut hasher = Fnv1a::default();
            hasher.write(bytes);
            hasher.finish()
        };
        // Reference values of the FNV specification (draft-eastlake-fnv).
        assert_eq!(hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn keeps_insertion_order() {
        let mut map = OrderedMap::default();
        for key in ["b", "a", "c"] {
            map.insert(key, ());
        }
        assert_eq!(map.keys().copied().collect::<Vec<_>>(), ["b", "a", "c"]);
    }
}
