//! `to_string`: a value as text, the way Pathway's `.to_string()` prints it.

use std::fmt::Write;

use towpath_core::Value;

const NS_PER_SECOND: i64 = 1_000_000_000;

/// Text of a value: floats in shortest round-trip form (`1.0`, `2.5e20`), `True`/`False`,
/// `None`, tuples `(1, "a")`, datetimes ISO with nanoseconds, Durations as `1d 3h 5s 7ns`.
pub(crate) fn to_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => {
            let mut out = String::new();
            write_value(&mut out, other);
            out
        }
    }
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::None => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => write!(out, "{i}").expect("write to String"),
        Value::Float(f) => write!(out, "{f:?}").expect("write to String"),
        Value::Pointer(k) => write!(out, "{k}").expect("write to String"),
        Value::String(s) => out.push_str(s),
        Value::Bytes(b) => write_bytes(out, b),
        Value::Tuple(items) => {
            out.push('(');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match item {
                    Value::String(s) => write!(out, "{:?}", &**s).expect("write to String"),
                    other => write_value(out, other),
                }
            }
            out.push(')');
        }
        Value::DateTimeNaive(ns) => out.push_str(&datetime_iso(*ns)),
        Value::DateTimeUtc(ns) => {
            out.push_str(&datetime_iso(*ns));
            out.push_str("+0000");
        }
        Value::Duration(ns) => write_duration(out, *ns),
        Value::Json(text) => out.push_str(text),
        Value::Error => out.push_str("Error"),
    }
}

/// Python's `repr` of bytes: `b'..'` with escapes.
fn write_bytes(out: &mut String, b: &[u8]) {
    out.push_str("b'");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\'' => out.push_str("\\'"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(c as char),
            _ => write!(out, "\\x{c:02x}").expect("write to String"),
        }
    }
    out.push('\'');
}

/// `2024-01-02T03:04:05.000000000` for nanoseconds since the epoch.
pub(crate) fn datetime_iso(ns: i64) -> String {
    let secs = ns.div_euclid(NS_PER_SECOND);
    let sub = ns.rem_euclid(NS_PER_SECOND) as u32;
    match chrono::DateTime::from_timestamp(secs, sub) {
        Some(dt) => dt.naive_utc().format("%Y-%m-%dT%H:%M:%S%.9f").to_string(),
        None => format!("{ns}ns"),
    }
}

/// Pathway's Duration text: nonzero parts among days, hours, minutes, seconds and nanoseconds,
/// each carrying the sign (`-1d -3s`); zero is the empty string.
fn write_duration(out: &mut String, ns: i64) {
    const PARTS: [(i64, &str); 4] = [
        (86_400 * NS_PER_SECOND, "d"),
        (3_600 * NS_PER_SECOND, "h"),
        (60 * NS_PER_SECOND, "m"),
        (NS_PER_SECOND, "s"),
    ];
    let mut rest = ns;
    let mut first = true;
    let mut part = |out: &mut String, n: i64, unit: &str| {
        if n != 0 {
            if !first {
                out.push(' ');
            }
            first = false;
            write!(out, "{n}{unit}").expect("write to String");
        }
    };
    for (size, unit) in PARTS {
        part(out, rest / size, unit);
        rest %= size;
    }
    part(out, rest, "ns");
}
