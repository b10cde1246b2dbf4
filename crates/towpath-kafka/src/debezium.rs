//! Debezium change events (`pw.io.debezium.read`): the JSON value of a message is the envelope
//! `{"schema": ..., "payload": {"before", "after", "op", ...}}` (or the bare payload, when the
//! connector runs with `value.converter.schemas.enable=false`); `op` is `c` (create), `r`
//! (snapshot read), `u` (update) or `d` (delete). A tombstone (no value, which Debezium sends
//! after a delete for log compaction) changes nothing.
//!
//! Rows are keyed by the schema's primary key (all columns without one), so an update replaces
//! the row with its key whatever `before` holds, and a delete removes it. Differences from
//! Pathway 0.33 (observed): it rejects bare payloads, reports tombstones as errors, and applies
//! `u` as "retract `before`, insert `after`", which with `before: null` (PostgreSQL's default
//! replica identity) keeps the old row next to the new one. MongoDB's `before`/`after` strings of
//! JSON are parsed.

use std::sync::Arc;

use serde_json::Value as J;
use towpath_connectors::format::{missing_value, Layout};
use towpath_connectors::parse::{dtype_name, from_json};
use towpath_core::{Key, Value};

/// What one change event does.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// Nothing (a tombstone).
    None,
    /// Insert or replace the row with `after`'s key; `replaces` is `before`'s key when it
    /// differs (a primary-key change).
    Upsert { values: Vec<Value>, replaces: Option<Vec<Value>> },
    /// Delete the row with this key.
    Delete(Vec<Value>),
}

/// Parses Debezium envelopes into [`Change`]s for one schema.
pub struct Debezium {
    layout: Arc<Layout>,
}

impl Debezium {
    pub fn new(layout: Arc<Layout>) -> Self {
        Self { layout }
    }

    /// The key values of a row (its primary-key columns, or all of them).
    pub fn key_of(&self, values: &[Value]) -> Vec<Value> {
        if self.layout.primary_key.is_empty() {
            values.to_vec()
        } else {
            self.layout.primary_key.iter().map(|&i| values[i].clone()).collect()
        }
    }

    /// The row id for key values.
    pub fn id(key: &[Value]) -> Key {
        Key::for_values(key)
    }

    /// The change of one message (`key`: the Kafka message key, used when a delete has no
    /// `before`). Problems go to `errors`; an event that cannot be applied changes nothing.
    pub fn parse(&self, key: Option<&[u8]>, payload: Option<&[u8]>, errors: &mut Vec<String>) -> Change {
        let Some(payload) = payload.filter(|p| !p.is_empty()) else {
            return Change::None;
        };
        let event: J = match serde_json::from_slice(payload) {
            Ok(v) => v,
            Err(e) => {
                errors.push(format!("received message is not JSON ({e}): {}", String::from_utf8_lossy(payload)));
                return Change::None;
            }
        };
        let Some(event) = unwrap_envelope(&event) else {
            errors.push(format!("received message is not a Debezium change event (no payload.op): {event}"));
            return Change::None;
        };
        let op = event.get("op").and_then(J::as_str).unwrap_or_default();
        match op {
            "c" | "r" | "u" => {
                let Some(after) = row_object(event.get("after")) else {
                    errors.push(format!("Debezium event with op {op:?} has no \"after\" row: {event}"));
                    return Change::None;
                };
                let values = self.values(&after, errors);
                let replaces = row_object(event.get("before"))
                    .map(|b| self.key_values(&b, &mut Vec::new()))
                    .filter(|k| !k.contains(&Value::Error) && *k != self.key_of(&values));
                Change::Upsert { values, replaces }
            }
            "d" => {
                let before = row_object(event.get("before")).or_else(|| {
                    // No `before` (replica identity NOTHING): the message key names the row.
                    let key: J = serde_json::from_slice(key?).ok()?;
                    row_object(unwrap_envelope(&key).or(Some(&key)))
                });
                match before {
                    Some(before) => {
                        let key = self.key_values(&before, errors);
                        if key.contains(&Value::Error) {
                            Change::None
                        } else {
                            Change::Delete(key)
                        }
                    }
                    None => {
                        errors.push(format!("Debezium delete event names no row (no \"before\", no key): {event}"));
                        Change::None
                    }
                }
            }
            other => {
                errors.push(format!("unknown Debezium operation {other:?}: {event}"));
                Change::None
            }
        }
    }

    /// The schema's columns from a row object.
    fn values(&self, row: &serde_json::Map<String, J>, errors: &mut Vec<String>) -> Vec<Value> {
        self.layout.fields.iter().map(|c| field(c, row, errors)).collect()
    }

    /// The key columns from a row object (a delete's `before` may hold only those).
    fn key_values(&self, row: &serde_json::Map<String, J>, errors: &mut Vec<String>) -> Vec<Value> {
        if self.layout.primary_key.is_empty() {
            return self.values(row, errors);
        }
        self.layout.primary_key.iter().map(|&i| field(&self.layout.fields[i], row, errors)).collect()
    }
}

fn field(c: &towpath_core::ColumnSchema, row: &serde_json::Map<String, J>, errors: &mut Vec<String>) -> Value {
    match row.get(&c.name) {
        None => missing_value(c, errors, || format!("field {:?} is absent in the Debezium row {}", c.name, J::Object(row.clone()))),
        Some(v) => from_json(v, &c.dtype).unwrap_or_else(|| {
            errors.push(format!("failed to parse value {v} at field {:?} according to the type {} in schema", c.name, dtype_name(&c.dtype)));
            Value::Error
        }),
    }
}

/// The payload of a schema-wrapped event, or the event itself when it is bare.
fn unwrap_envelope(event: &J) -> Option<&J> {
    match event.get("payload") {
        Some(p) if p.is_object() => Some(p),
        _ if event.get("op").is_some() => Some(event),
        _ => None,
    }
}

/// A row object: an object, or (MongoDB) a string holding one; `None` for null or absent.
fn row_object(v: Option<&J>) -> Option<serde_json::Map<String, J>> {
    match v? {
        J::Object(m) => Some(m.clone()),
        J::String(s) => match serde_json::from_str(s).ok()? {
            J::Object(m) => Some(m),
            _ => None,
        },
        _ => None,
    }
}
