//! Row ids (`Pointer`s): 128-bit hashes, printed as `^` + Crockford base32.

use std::fmt;
use std::hash::Hasher;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use crate::value::Value;

/// A 128-bit row id.
#[derive(Copy, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key(pub u128);

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl Key {
    /// The id derived from a sequence of values (primary keys, `pointer_from`, group keys).
    pub fn for_values(values: &[Value]) -> Key {
        // One-shot xxh3 over an encoding in a reused buffer: several times faster than the
        // streaming hasher for the small inputs ids are made of.
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        BUFFER.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                for v in values {
                    v.encode_into(&mut buf);
                }
                Key(xxh3_128(&buf))
            }
            Err(_) => {
                let mut buf = Vec::new();
                for v in values {
                    v.encode_into(&mut buf);
                }
                Key(xxh3_128(&buf))
            }
        })
    }

    /// The id derived from one value.
    pub fn for_value(value: &Value) -> Key {
        Key::for_values(std::slice::from_ref(value))
    }

    /// A key derived from this one and a salt (flatten positions, concat_reindex inputs...).
    pub fn salted(self, salt: u64) -> Key {
        let mut hasher = Xxh3::new();
        hasher.update(&self.0.to_le_bytes());
        hasher.update(&salt.to_le_bytes());
        hasher.update(b"salt");
        Key(hasher.digest128())
    }

    /// The shard (0..peers) that owns this key.
    pub fn shard(self, peers: usize) -> usize {
        ((self.0 as u64) % peers as u64) as usize
    }

    /// Crockford base32 digits of the id, most significant first, 26 characters.
    pub fn base32(self) -> String {
        let mut out = [0u8; 26];
        let mut v = self.0;
        for slot in out.iter_mut().rev() {
            *slot = CROCKFORD[(v & 31) as usize];
            v >>= 5;
        }
        String::from_utf8(out.to_vec()).expect("ascii")
    }

    /// Parses the output of `base32` (with or without the leading `^`).
    pub fn parse(text: &str) -> Option<Key> {
        let text = text.strip_prefix('^').unwrap_or(text);
        if text.is_empty() || text.len() > 26 {
            return None;
        }
        let mut v: u128 = 0;
        for c in text.bytes() {
            let digit = CROCKFORD.iter().position(|&d| d == c.to_ascii_uppercase())?;
            v = v.checked_mul(32)?.checked_add(digit as u128)?;
        }
        Some(Key(v))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "^{}", self.base32())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "^{}", self.base32())
    }
}

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
pub type IdBuildHasher = std::hash::BuildHasherDefault<IdHasher>;

/// `BuildHasher` for hash maps keyed by values or rows inside operators: a fast fixed-seed hash
/// (foldhash), several times quicker than the standard SipHash on short rows. Fixed, so that a
/// map's iteration order is the same in every run.
pub type ValueBuildHasher = foldhash::fast::FixedState;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trips() {
        for k in [Key(0), Key(1), Key(u128::MAX), Key::for_value(&Value::Int(7))] {
            assert_eq!(Key::parse(&k.to_string()), Some(k));
            assert_eq!(k.base32().len(), 26);
        }
    }

    #[test]
    fn hashing_is_deterministic_and_type_aware() {
        let a = Key::for_values(&[Value::Int(1), Value::from("x")]);
        assert_eq!(a, Key::for_values(&[Value::Int(1), Value::from("x")]));
        assert_ne!(Key::for_value(&Value::Int(1)), Key::for_value(&Value::Float(1.0)));
        assert_ne!(Key::for_value(&Value::from("1")), Key::for_value(&Value::Int(1)));
    }
}
