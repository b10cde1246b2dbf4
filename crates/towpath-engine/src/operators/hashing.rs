//! Hashing for maps keyed by row or group ids.

use std::hash::{BuildHasherDefault, Hasher};

/// Passes an id's low 64 bits through: ids are 128-bit hashes, uniformly distributed already,
/// so hashing them again (SipHash by default) would be wasted work on a per-row path.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// `BuildHasher` for `IdHasher`.
pub type IdBuildHasher = BuildHasherDefault<IdHasher>;
