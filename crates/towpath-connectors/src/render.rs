//! Text forms of values as Pathway 0.33's CSV and JSON Lines sinks write them (observed):
//! - CSV cells: `None`, `True`/`False`, floats in Rust's `{:?}` form (`1.0`, `1e20`, `1.2345e-5`,
//!   `NaN`, `inf`), strings raw, bytes base64, Pointer `^…`, datetimes with 9 fractional digits
//!   (UTC ones end in `+0000`), Duration as integer nanoseconds, Json and tuples as compact JSON.
//! - JSON: floats in ryu's shortest form but with an explicit `+` in positive exponents
//!   (`1e+20`, `0.000012345`, `1e-7`), non-finite floats as `null`, tuples as arrays, bytes as
//!   base64 strings, datetimes and Pointers as strings, Json values embedded (their floats
//!   re-rendered the same way).

use std::io::{self, Write};

use base64::Engine as _;
use chrono::DateTime;
use serde::Serialize;
use serde_json::ser::Formatter;
use towpath_core::Value;

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
    let fmt = if utc { "%Y-%m-%dT%H:%M:%S%.9f%z" } else { "%Y-%m-%dT%H:%M:%S%.9f" };
    dt.format(fmt).to_string()
}

/// A float as Pathway's JSON writer prints it; `None` for NaN and infinities (written `null`).
pub fn json_float(f: f64) -> Option<String> {
    let text = serde_json::Number::from_f64(f)?.to_string();
    Some(match text.find('e') {
        Some(pos) if !text[pos + 1..].starts_with('-') => {
            format!("{}e+{}", &text[..pos], &text[pos + 1..])
        }
        _ => text,
    })
}

/// A serde_json formatter that writes floats the way Pathway does.
#[derive(Clone, Copy, Debug, Default)]
pub struct PathwayFormatter;

impl Formatter for PathwayFormatter {
    fn write_f64<W: ?Sized + Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        match json_float(value) {
            Some(text) => writer.write_all(text.as_bytes()),
            None => writer.write_all(b"null"),
        }
    }

    fn write_f32<W: ?Sized + Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, value as f64)
    }
}

/// Writes a JSON string literal (serde_json's escaping).
pub fn write_json_str(out: &mut Vec<u8>, s: &str) {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, PathwayFormatter);
    s.serialize(&mut ser).expect("writing to a Vec cannot fail");
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
        Value::Json(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => {
                let mut ser = serde_json::Serializer::with_formatter(&mut *out, PathwayFormatter);
                v.serialize(&mut ser).expect("writing to a Vec cannot fail");
            }
            // Not valid JSON (should not happen): keep the text as a string rather than lose it.
            Err(_) => write_json_str(out, text),
        },
        other => write_json_str(out, &scalar_text(other)),
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
        Value::Float(f) => serde_json::Number::from_f64(*f).map(J::Number).unwrap_or(J::Null),
        Value::String(s) => J::String(s.to_string()),
        Value::Tuple(items) => J::Array(items.iter().map(json_value).collect()),
        Value::Json(text) => serde_json::from_str(text).unwrap_or_else(|_| J::String(text.to_string())),
        other => J::String(scalar_text(other)),
    }
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
