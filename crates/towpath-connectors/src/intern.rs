//! A small cache of recently read short strings, so repeated values (words, categories) share
//! one allocation instead of costing a malloc and a free per row — allocation was a third of the
//! cost of reading a short JSON line. Direct-mapped and bounded: a miss just replaces the slot,
//! so unique values cost one hash and nothing accumulates. The values produced are the same
//! with or without it.

use std::sync::Arc;

use towpath_core::Value;

const SLOTS: usize = 4096;
/// Longer strings are rarely repeated and their copy dominates anyway.
const MAX_LEN: usize = 64;

/// A per-reader string cache.
pub struct StrCache {
    slots: Vec<Option<Arc<str>>>,
}

impl Default for StrCache {
    fn default() -> Self {
        Self::new()
    }
}

impl StrCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self {
            slots: vec![None; SLOTS],
        }
    }

    /// A cache that never shares (for one-off conversions: no allocation of its own).
    pub fn disabled() -> Self {
        Self { slots: Vec::new() }
    }

    /// `Value::String(text)`, sharing the allocation with an identical recent string.
    pub fn string(&mut self, text: &str) -> Value {
        if text.len() > MAX_LEN || self.slots.is_empty() {
            return Value::from(text);
        }
        let slot = &mut self.slots[(xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as usize) % SLOTS];
        match slot {
            Some(s) if **s == *text => Value::String(s.clone()),
            _ => {
                let s: Arc<str> = Arc::from(text);
                *slot = Some(s.clone());
                Value::String(s)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_strings_share_and_values_are_unchanged() {
        let mut cache = StrCache::new();
        let (a, b) = (cache.string("word"), cache.string("word"));
        assert_eq!(a, Value::from("word"));
        match (&a, &b) {
            (Value::String(x), Value::String(y)) => assert!(Arc::ptr_eq(x, y)),
            _ => unreachable!(),
        }
        let long = "x".repeat(MAX_LEN + 1);
        assert_eq!(cache.string(&long), Value::from(long.as_str()));
        for i in 0..10 * SLOTS {
            let t = i.to_string();
            assert_eq!(cache.string(&t), Value::from(t.as_str()));
        }
    }
}
