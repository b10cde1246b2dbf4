//! The one dynamic value type that flows through the dataflow.

use std::cmp::Ordering;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::key::Key;

/// A row's column values, cheap to clone.
pub type Row = Arc<[Value]>;

/// A cell value. Ordering is total: first by variant (in declaration order), then by content;
/// floats compare with `total_cmp` (so NaN is ordered and equal to itself).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub enum Value {
    /// Python `None`.
    #[default]
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Pointer(Key),
    String(Arc<str>),
    Bytes(Arc<[u8]>),
    /// Tuples and lists.
    Tuple(Arc<[Value]>),
    /// Nanoseconds since the epoch, no time zone.
    DateTimeNaive(i64),
    /// Nanoseconds since the epoch, UTC.
    DateTimeUtc(i64),
    /// Nanoseconds.
    Duration(i64),
    /// Compact JSON text, canonical (keys sorted) when built with `Value::json`.
    Json(Arc<str>),
    /// A cell whose computation failed; the reason is in the error log.
    Error,
}

impl Value {
    fn rank(&self) -> u8 {
        match self {
            Value::None => 0,
            Value::Bool(_) => 1,
            Value::Int(_) => 2,
            Value::Float(_) => 3,
            Value::Pointer(_) => 4,
            Value::String(_) => 5,
            Value::Bytes(_) => 6,
            Value::Tuple(_) => 7,
            Value::DateTimeNaive(_) => 8,
            Value::DateTimeUtc(_) => 9,
            Value::Duration(_) => 10,
            Value::Json(_) => 11,
            Value::Error => 12,
        }
    }

    /// A JSON value, stored in canonical compact form.
    pub fn json(v: &serde_json::Value) -> Value {
        Value::Json(Arc::from(v.to_string()))
    }

    /// Parses the stored JSON text (only meaningful for `Value::Json`).
    pub fn as_json(&self) -> Option<serde_json::Value> {
        match self {
            Value::Json(s) => serde_json::from_str(s).ok(),
            _ => None,
        }
    }

    /// True for `Value::None`.
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// True for `Value::Error`.
    pub fn is_error(&self) -> bool {
        matches!(self, Value::Error)
    }

    /// A short name of the value's type, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Pointer(_) => "Pointer",
            Value::String(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::Tuple(_) => "tuple",
            Value::DateTimeNaive(_) => "DateTimeNaive",
            Value::DateTimeUtc(_) => "DateTimeUtc",
            Value::Duration(_) => "Duration",
            Value::Json(_) => "Json",
            Value::Error => "Error",
        }
    }

    /// Appends a type-tagged, self-delimiting encoding of the value (what ids are hashed from).
    pub fn encode_into(&self, buf: &mut Vec<u8>) {
        buf.push(self.rank());
        match self {
            Value::None | Value::Error => {}
            Value::Bool(b) => buf.push(*b as u8),
            Value::Int(i) => buf.extend_from_slice(&i.to_le_bytes()),
            Value::Float(f) => buf.extend_from_slice(&normalized_bits(*f).to_le_bytes()),
            Value::Pointer(k) => buf.extend_from_slice(&k.0.to_le_bytes()),
            Value::String(s) | Value::Json(s) => {
                buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
                buf.extend_from_slice(s.as_bytes());
            }
            Value::Bytes(b) => {
                buf.extend_from_slice(&(b.len() as u64).to_le_bytes());
                buf.extend_from_slice(b);
            }
            Value::Tuple(items) => {
                buf.extend_from_slice(&(items.len() as u64).to_le_bytes());
                for item in items.iter() {
                    item.encode_into(buf);
                }
            }
            Value::DateTimeNaive(n) | Value::DateTimeUtc(n) | Value::Duration(n) => {
                buf.extend_from_slice(&n.to_le_bytes())
            }
        }
    }
}

fn normalized_bits(f: f64) -> u64 {
    if f == 0.0 {
        0
    } else if f.is_nan() {
        f64::NAN.to_bits()
    } else {
        f.to_bits()
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        // Equality is hot (hash maps, consolidation): compare shared strings by pointer first.
        match (self, other) {
            (Value::String(a), Value::String(b)) | (Value::Json(a), Value::Json(b)) => {
                Arc::ptr_eq(a, b) || a == b
            }
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Tuple(a), Value::Tuple(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => self.cmp(other) == Ordering::Equal,
        }
    }
}

impl Eq for Value {}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Value {
    fn cmp(&self, other: &Self) -> Ordering {
        use Value::*;
        match (self, other) {
            (None, None) | (Error, Error) => Ordering::Equal,
            (Bool(a), Bool(b)) => a.cmp(b),
            (Int(a), Int(b)) => a.cmp(b),
            (Float(a), Float(b)) => {
                if a == b {
                    Ordering::Equal
                } else {
                    a.total_cmp(b)
                }
            }
            (Pointer(a), Pointer(b)) => a.cmp(b),
            (String(a), String(b)) | (Json(a), Json(b)) => a.cmp(b),
            (Bytes(a), Bytes(b)) => a.cmp(b),
            (Tuple(a), Tuple(b)) => a.cmp(b),
            (DateTimeNaive(a), DateTimeNaive(b))
            | (DateTimeUtc(a), DateTimeUtc(b))
            | (Duration(a), Duration(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u8(self.rank());
        match self {
            Value::None | Value::Error => {}
            Value::Bool(b) => b.hash(state),
            Value::Int(i) => i.hash(state),
            Value::Float(f) => normalized_bits(*f).hash(state),
            Value::Pointer(k) => k.hash(state),
            Value::String(s) | Value::Json(s) => s.hash(state),
            Value::Bytes(b) => b.hash(state),
            Value::Tuple(t) => t.hash(state),
            Value::DateTimeNaive(n) | Value::DateTimeUtc(n) | Value::Duration(n) => n.hash(state),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(Arc::from(s))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(Arc::from(s))
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Key> for Value {
    fn from(k: Key) -> Self {
        Value::Pointer(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering_is_total_and_by_variant_first() {
        let mut v = [Value::from("a"), Value::Int(3), Value::None, Value::Float(f64::NAN), Value::Int(-1)];
        v.sort();
        assert_eq!(v[0], Value::None);
        assert_eq!(v[1], Value::Int(-1));
        assert_eq!(v[2], Value::Int(3));
        assert_eq!(Value::Float(0.0), Value::Float(-0.0));
        assert_eq!(Value::Float(f64::NAN), Value::Float(f64::NAN));
    }

    #[test]
    fn serde_json_shape_is_externally_tagged() {
        let v = Value::Tuple(Arc::from(vec![Value::Int(1), Value::None, Value::from("x")]));
        let text = serde_json::to_string(&v).unwrap();
        assert_eq!(text, r#"{"Tuple":[{"Int":1},"None",{"String":"x"}]}"#);
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
    }
}
