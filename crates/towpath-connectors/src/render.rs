//! Text forms of values as Pathway 0.33's CSV and JSON Lines sinks write them (observed):
//! - CSV cells: `None`, `True`/`False`, floats in Rust's `{:?}` form (`1.0`, `1e20`, `1.2345e-5`,
//!   `NaN`, `inf`), strings raw, bytes base64, Pointer `^…`, datetimes with 9 fractional digits
//!   (UTC ones end in `+0000`), Duration as integer nanoseconds, Json and tuples as compact JSON.
//! - JSON: floats as serde_json spells them (`1e+20`, `0.000012345`, `1e-7`), non-finite floats
//!   as `null`, tuples as arrays, bytes as base64 strings, datetimes and Pointers as strings, Json
//!   values embedded in their stored key order (their numbers re-spelled the same way).

use base64::Engine as _;
use chrono::DateTime;
use towpath_core::{Row, Time, Value};

/// The text Pathway's CSV sink writes for a value (before CSV quoting).
pub fn csv_cell(value: &Value) -> String {
    match value {
        Value::None => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::String(s) => s.to_string(),
        Value::Tuple(_) | Value::Json(_) => json_text(value),
        Value::Error => "Error".into(),
        other => scalar_text(other),
    }
}

/// Text shared by both sinks for bytes, pointers, datetimes and durations.
fn scalar_text(value: &Value) -> String {
    match value {
        Value::Bytes(b) => base64::engine::general_purpose::STANDARD.encode(b),
        Value::Pointer(k) => k.to_string(),
        Value::DateTimeNaive(ns) => datetime_text(*ns, false),
        Value::DateTimeUtc(ns) => datetime_text(*ns, true),
        Value::Duration(ns) => ns.to_string(),
        other => csv_cell(other),
    }
}

/// `2024-01-02T03:04:05.123456789`, with `+0000` appended for UTC.
pub fn datetime_text(nanos: i64, utc: bool) -> String {
    let dt = DateTime::from_timestamp_nanos(nanos);
    let fmt = if utc {
        "%Y-%m-%dT%H:%M:%S%.9f%z"
    } else {
        "%Y-%m-%dT%H:%M:%S%.9f"
    };
    dt.format(fmt).to_string()
}

/// A float as Pathway's JSON writer prints it; `None` for NaN and infinities (written `null`).
pub fn json_float(f: f64) -> Option<String> {
    // serde_json's own spelling is Pathway's (it is what Pathway uses).
    Some(serde_json::Number::from_f64(f)?.to_string())
}

/// Writes a JSON string literal (serde_json's escaping).
pub fn write_json_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

/// Appends the JSON form of a value to `out`.
pub fn write_json(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::None | Value::Error => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Int(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Value::Duration(ns) => out.extend_from_slice(ns.to_string().as_bytes()),
        Value::Float(f) => match json_float(*f) {
            Some(text) => out.extend_from_slice(text.as_bytes()),
            None => out.extend_from_slice(b"null"),
        },
        Value::String(s) => write_json_str(out, s),
        Value::Tuple(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(out, item);
            }
            out.push(b']');
        }
        Value::Json(text) => write_json_text(out, text),
        other => write_json_str(out, &scalar_text(other)),
    }
}

/// Copies JSON text, keeping its key order but re-spelling every non-integer number the way
/// Pathway prints floats (`1e20` → `1e+20`, `1.2345e-05` → `0.000012345`).
pub fn write_json_text(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'"' {
            // Copy the string literal, escapes included.
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
            out.extend_from_slice(&bytes[start..i]);
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i < bytes.len()
                && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
            {
                i += 1;
            }
            let token = &text[start..i];
            let float = token.contains(['.', 'e', 'E']);
            match token
                .parse::<f64>()
                .ok()
                .filter(|_| float)
                .and_then(json_float)
            {
                Some(respelled) => out.extend_from_slice(respelled.as_bytes()),
                None => out.extend_from_slice(token.as_bytes()),
            }
        } else {
            if !b.is_ascii_whitespace() {
                out.push(b);
            }
            i += 1;
        }
    }
}

/// The JSON text of a value (compact, Pathway's float style).
pub fn json_text(value: &Value) -> String {
    let mut out = Vec::new();
    write_json(&mut out, value);
    String::from_utf8(out).expect("JSON output is UTF-8")
}

/// The JSON form of a value as a `serde_json::Value` (floats lose Pathway's `e+` spelling when
/// printed by serde_json; use [`write_json`] for byte-exact output).
pub fn json_value(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::None | Value::Error => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) | Value::Duration(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        Value::String(s) => J::String(s.to_string()),
        Value::Tuple(items) => J::Array(items.iter().map(json_value).collect()),
        Value::Json(text) => {
            serde_json::from_str(text).unwrap_or_else(|_| J::String(text.to_string()))
        }
        other => J::String(scalar_text(other)),
    }
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;

/// Pathway's JSON form of one update, `{"col": value, ..., "diff": d, "time": t}`, shared by the
/// JSON Lines and Kafka sinks. The column names are rendered once.
#[derive(Clone, Debug)]
pub struct JsonUpdate {
    /// The column names as JSON string literals followed by `:`.
    keys: Vec<Vec<u8>>,
}

impl JsonUpdate {
    pub fn new(columns: &[String]) -> Self {
        let keys = columns
            .iter()
            .map(|name| {
                let mut key = Vec::new();
                write_json_str(&mut key, name);
                key.push(b':');
                key
            })
            .collect();
        Self { keys }
    }

    /// Appends the object for `row` at `time` with `diff` to `out` (no line end).
    pub fn write(&self, out: &mut Vec<u8>, row: &Row, time: Time, diff: isize) {
        out.push(b'{');
        for (key, value) in self.keys.iter().zip(row.iter()) {
            out.extend_from_slice(key);
            write_json(out, value);
            out.push(b',');
        }
        out.extend_from_slice(format!("\"diff\":{diff},\"time\":{time}}}").as_bytes());
    }
}
