//! Hashing for the stages: one fast, deterministic hasher for the look-up
//! tables of short keys (words, names, packed words), shared by the text
//! cleaner, the extractor and the index's stem cache; and FNV-1a for the
//! hashes that are stored (document ids, passage fingerprints, template
//! lines), which must stay the same across runs, versions and compilers.
//!
//! Input: bytes or integers. Output: 64-bit hashes. Cannot fail.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A hash map keyed by short strings, with [`WordHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;
/// A hash set of short strings, with [`WordHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<WordHasher>>;

/// A fast, deterministic hasher for look-ups of words and names: eight
/// bytes per multiply (the multiply-rotate scheme of Firefox's and rustc's
/// "Fx" hash). Not resistant to chosen collisions, which is fine
/// for tables built from compiled-in word lists and one article's names.
/// SipHash, the default, spent about 7% of `lede extract` on the
/// extractor's look-ups alone.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordHasher(u64);

const WORD_HASH_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(WORD_HASH_SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length keeps "ab" and "ab\0" apart.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply mixes upwards; hash tables take their bucket from the
        // low bits, so bring the well-mixed high bits down.
        self.0.rotate_left(26)
    }
}

/// The FNV-1a offset basis: the hash of nothing.
pub const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a: `hash` with one more byte.
pub fn fnv1a_byte(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
}

/// FNV-1a: `hash` with `bytes` added.
pub fn fnv1a_from(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &b| fnv1a_byte(hash, b))
}
