//! Text and JSON → typed `Value`s, with the spellings Pathway 0.33 accepts (observed):
//! - CSV cells: ints and floats as Rust's `str::parse` reads them (`+5`, `nan`, `inf`, `.5`; no
//!   spaces), bools case-insensitively from `true/1/yes/on/t/y` and `false/0/no/off/f/n`,
//!   DateTimeNaive as `%Y-%m-%dT%H:%M:%S%.f`, DateTimeUtc as `%Y-%m-%dT%H:%M:%S%.f%z` (an offset is
//!   required, `Z` is not accepted), Duration as integer nanoseconds, bytes as padded base64,
//!   Pointer as `^` + base32, Json/tuples/lists as JSON text. For an optional non-string column,
//!   an empty cell or `None` is None; an optional string keeps `""` and `"None"` as text.
//! - JSON values are typed strictly: an int column takes only JSON integers (not `5.0`, not `"5"`),
//!   a float column takes any number, bool only `true`/`false`, strings only strings; dates and
//!   bytes come from strings as above, Duration from integers, tuples from arrays of the exact
//!   length, `null` only where the type is optional (or Json).

use std::sync::Arc;

use base64::Engine as _;
use chrono::{DateTime, NaiveDateTime};
use towpath_core::{DType, Key, Value};

/// The format Pathway reads and writes naive datetimes in.
pub const NAIVE_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f";
/// The format Pathway reads UTC datetimes in (an explicit offset is required).
pub const UTC_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.f%z";

/// The Python-style name of a dtype, for error messages (`int`, `tuple[int, str]`, `str | None`).
pub fn dtype_name(dtype: &DType) -> String {
    match dtype {
        DType::Any => "Any".into(),
        DType::None => "None".into(),
        DType::Bool => "bool".into(),
        DType::Int => "int".into(),
        DType::Float => "float".into(),
        DType::String => "str".into(),
        DType::Bytes => "bytes".into(),
        DType::Pointer => "Pointer".into(),
        DType::DateTimeNaive => "DateTimeNaive".into(),
        DType::DateTimeUtc => "DateTimeUtc".into(),
        DType::Duration => "Duration".into(),
        DType::Json => "Json".into(),
        DType::Tuple(items) => {
            let inner: Vec<String> = items.iter().map(dtype_name).collect();
            format!("tuple[{}]", inner.join(", "))
        }
        DType::List(item) => format!("list[{}]", dtype_name(item)),
        DType::Optional(inner) => format!("{} | None", dtype_name(inner)),
    }
}

/// Parses one CSV cell (already unquoted) into `dtype`; `Err` carries the reason.
pub fn parse_text(text: &str, dtype: &DType) -> Result<Value, String> {
    match dtype {
        DType::Optional(inner) => {
            // Pathway keeps empty and "None" cells as text in string columns (observed).
            let textual = matches!(**inner, DType::String | DType::Any);
            if !textual && (text.is_empty() || text == "None") {
                return Ok(Value::None);
            }
            parse_text(text, inner)
        }
        DType::None => match text {
            "" | "None" => Ok(Value::None),
            _ => Err("expected an empty cell or None".into()),
        },
        DType::Any | DType::String => Ok(Value::from(text)),
        DType::Int => text
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|e| e.to_string()),
        DType::Float => text
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|e| e.to_string()),
        DType::Bool => parse_bool(text)
            .map(Value::Bool)
            .ok_or_else(|| "provided string was not parsable as a boolean value".into()),
        DType::Bytes => parse_base64(text),
        DType::Pointer => parse_pointer(text),
        DType::DateTimeNaive => parse_naive(text),
        DType::DateTimeUtc => parse_utc(text),
        DType::Duration => text
            .parse::<i64>()
            .map(Value::Duration)
            .map_err(|e| e.to_string()),
        DType::Json => serde_json::from_str::<serde_json::Value>(text)
            .map(|v| Value::json(&v))
            .map_err(|e| e.to_string()),
        DType::Tuple(_) | DType::List(_) => {
            let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
            from_json(&v, dtype).ok_or_else(|| format!("{v} does not fit the type"))
        }
    }
}

/// Pathway's boolean spellings (case-insensitive).
pub fn parse_bool(text: &str) -> Option<bool> {
    const TRUE: [&str; 6] = ["true", "1", "yes", "on", "t", "y"];
    const FALSE: [&str; 6] = ["false", "0", "no", "off", "f", "n"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Some(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
        Some(false)
    } else {
        None
    }
}

fn parse_base64(text: &str) -> Result<Value, String> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map(|b| Value::Bytes(Arc::from(b)))
        .map_err(|e| e.to_string())
}

fn parse_pointer(text: &str) -> Result<Value, String> {
    // Pathway requires the leading `^` (observed: bare base32 is rejected).
    text.strip_prefix('^')
        .and_then(Key::parse)
        .map(Value::Pointer)
        .ok_or_else(|| "expected ^ followed by a base32 id".into())
}

/// Parses a naive datetime in Pathway's format into nanoseconds since the epoch.
pub fn parse_naive(text: &str) -> Result<Value, String> {
    let dt = NaiveDateTime::parse_from_str(text, NAIVE_FORMAT)
        .map_err(|e| format!("cannot parse date {text:?} using format {NAIVE_FORMAT:?}: {e}"))?;
    dt.and_utc()
        .timestamp_nanos_opt()
        .map(Value::DateTimeNaive)
        .ok_or_else(|| "datetime out of range".into())
}

/// Parses a datetime with an offset into UTC nanoseconds since the epoch.
pub fn parse_utc(text: &str) -> Result<Value, String> {
    let dt = DateTime::parse_from_str(text, UTC_FORMAT)
        .map_err(|e| format!("cannot parse date {text:?} using format {UTC_FORMAT:?}: {e}"))?;
    dt.timestamp_nanos_opt()
        .map(Value::DateTimeUtc)
        .ok_or_else(|| "datetime out of range".into())
}

/// Converts a parsed JSON value into `dtype`; `None` when it does not fit.
pub fn from_json(v: &serde_json::Value, dtype: &DType) -> Option<Value> {
    use serde_json::Value as J;
    if v.is_null() {
        return match dtype {
            DType::Json => Some(Value::json(v)),
            d if d.is_optional() => Some(Value::None),
            _ => None,
        };
    }
    match dtype {
        DType::Optional(inner) => from_json(v, inner),
        DType::None => None,
        DType::Any => Some(natural(v)),
        DType::Json => Some(Value::json(v)),
        DType::Int => v.as_i64().map(Value::Int),
        DType::Float => v.as_f64().map(Value::Float),
        DType::Bool => v.as_bool().map(Value::Bool),
        DType::String => v.as_str().map(Value::from),
        DType::Duration => v.as_i64().map(Value::Duration),
        DType::Bytes => parse_base64(v.as_str()?).ok(),
        DType::Pointer => parse_pointer(v.as_str()?).ok(),
        DType::DateTimeNaive => parse_naive(v.as_str()?).ok(),
        DType::DateTimeUtc => parse_utc(v.as_str()?).ok(),
        DType::Tuple(types) => match v {
            J::Array(items) if items.len() == types.len() => {
                let values: Option<Vec<Value>> = items
                    .iter()
                    .zip(types)
                    .map(|(item, t)| from_json(item, t))
                    .collect();
                Some(Value::Tuple(Arc::from(values?)))
            }
            _ => None,
        },
        DType::List(item_type) => {
            let values: Option<Vec<Value>> = v
                .as_array()?
                .iter()
                .map(|item| from_json(item, item_type))
                .collect();
            Some(Value::Tuple(Arc::from(values?)))
        }
    }
}

/// The value a JSON value has without a declared type: objects stay Json, arrays become tuples.
fn natural(v: &serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::None,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => n
            .as_i64()
            .map(Value::Int)
            .unwrap_or_else(|| Value::Float(n.as_f64().unwrap_or(f64::NAN))),
        J::String(s) => Value::from(s.as_str()),
        J::Array(items) => Value::Tuple(items.iter().map(natural).collect()),
        J::Object(_) => Value::json(v),
    }
}

/// Converts the raw JSON text of one field into `dtype`; fast paths for the common scalar types
/// avoid building a `serde_json::Value`. `None` when the value does not fit.
pub fn from_raw_json(raw: &str, dtype: &DType) -> Option<Value> {
    let inner = dtype.strip_optional();
    if raw == "null" {
        return from_json(&serde_json::Value::Null, dtype);
    }
    match inner {
        // A JSON integer is exactly what `i64::from_str` accepts among valid JSON numbers.
        DType::Int => raw.parse::<i64>().ok().map(Value::Int),
        DType::Float => match raw.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => raw.parse::<f64>().ok().map(Value::Float),
            _ => None,
        },
        DType::Bool => match raw {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        DType::String if raw.len() >= 2 && raw.starts_with('"') => {
            let body = &raw[1..raw.len() - 1];
            if !body.as_bytes().contains(&b'\\') {
                Some(Value::from(body))
            } else {
                serde_json::from_str::<String>(raw).ok().map(Value::from)
            }
        }
        _ => from_json(&serde_json::from_str(raw).ok()?, inner),
    }
}

#[cfg(test)]
#[path = "parse_tests.rs"]
mod tests;
