//! The `.dt` namespace: fields, formatting and parsing, timestamps, rounding, Duration parts.

use std::fmt::Write;

use chrono::format::{Item, StrftimeItems};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike};
use towpath_core::Value;

use super::super::column::Fallible;
use super::{func, opt_str_arg, str_arg, timezone, wrong_type, Func};

const NS: i64 = 1_000_000_000;

/// The `.dt` entries of the function table.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(match name {
        "dt.year" => func(|a| field(a, |d| d.year() as i64), 1),
        "dt.month" => func(|a| field(a, |d| d.month() as i64), 1),
        "dt.day" => func(|a| field(a, |d| d.day() as i64), 1),
        "dt.hour" => func(|a| field(a, |d| d.hour() as i64), 1),
        "dt.minute" => func(|a| field(a, |d| d.minute() as i64), 1),
        "dt.second" => func(|a| field(a, |d| d.second() as i64), 1),
        "dt.millisecond" => func(|a| field(a, |d| d.nanosecond() as i64 / 1_000_000), 1),
        "dt.microsecond" => func(|a| field(a, |d| d.nanosecond() as i64 / 1_000), 1),
        "dt.nanosecond" => func(|a| field(a, |d| d.nanosecond() as i64), 1),
        "dt.weekday" => func(
            |a| field(a, |d| d.weekday().num_days_from_monday() as i64),
            1,
        ),
        "dt.strftime" => func(strftime, 2),
        "dt.strptime" => func(strptime, 3),
        "dt.timestamp" => func(timestamp, 2),
        "dt.to_utc" => func(timezone::to_utc, 2),
        "dt.to_naive_in_timezone" => func(timezone::to_naive_in_timezone, 2),
        "dt.add_duration_in_timezone" => func(timezone::add_duration, 3),
        "dt.subtract_duration_in_timezone" => func(timezone::subtract_duration, 3),
        "dt.subtract_date_time_in_timezone" => func(timezone::subtract_date_time, 3),
        "dt.floor" => func(|a| round_to(a, false), 2),
        "dt.round" => func(|a| round_to(a, true), 2),
        "dt.from_timestamp" => func(|a| from_number(a).map(Value::DateTimeNaive), 2),
        "dt.utc_from_timestamp" => func(|a| from_number(a).map(Value::DateTimeUtc), 2),
        "dt.to_duration" => func(|a| from_number(a).map(Value::Duration), 2),
        "dt.weeks" => func(|a| part(a, 7 * 86_400 * NS), 1),
        "dt.days" => func(|a| part(a, 86_400 * NS), 1),
        "dt.hours" => func(|a| part(a, 3_600 * NS), 1),
        "dt.minutes" => func(|a| part(a, 60 * NS), 1),
        "dt.seconds" => func(|a| part(a, NS), 1),
        "dt.milliseconds" => func(|a| part(a, 1_000_000), 1),
        "dt.microseconds" => func(|a| part(a, 1_000), 1),
        "dt.nanoseconds" => func(|a| part(a, 1), 1),
        _ => return None,
    })
}

/// The naive (UTC for `DateTimeUtc`) date-time at `ns` nanoseconds since the epoch.
pub(super) fn naive_of(ns: i64) -> NaiveDateTime {
    DateTime::from_timestamp(ns.div_euclid(NS), ns.rem_euclid(NS) as u32)
        .expect("every i64 nanosecond count is a valid date-time")
        .naive_utc()
}

/// Nanoseconds since the epoch of a naive date-time, or an out-of-range error.
pub(super) fn ns_of(d: &NaiveDateTime) -> Result<i64, String> {
    d.and_utc()
        .timestamp_nanos_opt()
        .ok_or_else(|| format!("date-time {d} is out of range"))
}

/// Nanoseconds of a datetime argument and whether it is UTC.
fn datetime_arg(v: &Value) -> Result<(i64, bool), String> {
    match v {
        Value::DateTimeNaive(ns) => Ok((*ns, false)),
        Value::DateTimeUtc(ns) => Ok((*ns, true)),
        other => Err(wrong_type("a datetime", other)),
    }
}

fn field(a: &[&Value], f: fn(&NaiveDateTime) -> i64) -> Fallible {
    let (ns, _) = datetime_arg(a[0])?;
    Ok(Value::Int(f(&naive_of(ns))))
}

fn strftime(a: &[&Value]) -> Fallible {
    let (ns, utc) = datetime_arg(a[0])?;
    let fmt = str_arg(a[1])?;
    let items: Vec<Item> = StrftimeItems::new(fmt).collect();
    if items.iter().any(|i| matches!(i, Item::Error)) {
        return Err(format!("invalid strftime format {fmt:?}"));
    }
    let naive = naive_of(ns);
    let mut out = String::new();
    // Writing fails (instead of panicking) on directives the value cannot fill, like %z on a
    // naive date-time.
    let written = if utc {
        write!(out, "{}", naive.and_utc().format_with_items(items.iter()))
    } else {
        write!(out, "{}", naive.format_with_items(items.iter()))
    };
    written.map_err(|_| format!("format {fmt:?} does not apply to a {}", a[0].type_name()))?;
    Ok(Value::from(out))
}

/// `%f` after a dot reads any number of fraction digits (`.5` is half a second), as Pathway does.
fn parse_format(fmt: &str) -> String {
    fmt.replace(".%f", "%.f")
}

fn strptime(a: &[&Value]) -> Fallible {
    let (s, fmt) = (str_arg(a[0])?, str_arg(a[1])?);
    let with_zone = match a[2] {
        Value::Bool(b) => *b,
        _ => ["%z", "%:z", "%::z", "%#z", "%Z"]
            .iter()
            .any(|d| fmt.contains(d)),
    };
    let pfmt = parse_format(fmt);
    let fail =
        |e: chrono::ParseError| format!("parse error: cannot parse {s:?} with format {fmt:?}: {e}");
    if with_zone {
        let d = DateTime::parse_from_str(s, &pfmt).map_err(fail)?;
        return ns_of(&d.naive_utc()).map(Value::DateTimeUtc);
    }
    let naive = match NaiveDateTime::parse_from_str(s, &pfmt) {
        Ok(d) => d,
        // A format without a time of day gives midnight.
        Err(e) => match NaiveDate::parse_from_str(s, &pfmt) {
            Ok(date) => date.and_hms_opt(0, 0, 0).expect("midnight exists"),
            Err(_) => return Err(fail(e)),
        },
    };
    ns_of(&naive).map(Value::DateTimeNaive)
}

/// Nanoseconds in one `unit`.
fn unit_ns(unit: &str) -> Result<i64, String> {
    match unit {
        "s" => Ok(NS),
        "ms" => Ok(1_000_000),
        "us" => Ok(1_000),
        "ns" => Ok(1),
        other => Err(format!(
            "unknown time unit {other:?} (expected s, ms, us or ns)"
        )),
    }
}

fn timestamp(a: &[&Value]) -> Fallible {
    let (ns, _) = datetime_arg(a[0])?;
    match opt_str_arg(a[1])? {
        None => Ok(Value::Int(ns)),
        Some(unit) => Ok(Value::Float(ns as f64 / unit_ns(unit)? as f64)),
    }
}

/// Nanoseconds of a number of `unit`s (a float is truncated to whole nanoseconds).
fn from_number(a: &[&Value]) -> Result<i64, String> {
    let unit = unit_ns(str_arg(a[1])?)?;
    match a[0] {
        Value::Int(i) => i
            .checked_mul(unit)
            .ok_or_else(|| "timestamp out of range".to_string()),
        Value::Float(f) => {
            let ns = (f * unit as f64).trunc();
            if ns.is_finite() && ns >= i64::MIN as f64 && ns < i64::MAX as f64 {
                Ok(ns as i64)
            } else {
                Err("timestamp out of range".to_string())
            }
        }
        other => Err(wrong_type("int or float", other)),
    }
}

/// Whole `size`s in a Duration, truncated toward zero.
fn part(a: &[&Value], size: i64) -> Fallible {
    match a[0] {
        Value::Duration(d) => Ok(Value::Int(d / size)),
        other => Err(wrong_type("Duration", other)),
    }
}

/// `dt.floor` / `dt.round` to a multiple of a Duration, counted from the epoch.
fn round_to(a: &[&Value], nearest: bool) -> Fallible {
    let (ns, utc) = datetime_arg(a[0])?;
    let step = match a[1] {
        Value::Duration(d) => *d,
        Value::String(s) => parse_duration(s)?,
        other => return Err(wrong_type("Duration", other)),
    };
    if step <= 0 {
        return Err("rounding duration must be positive".to_string());
    }
    let base = if nearest {
        ns.checked_add(step / 2).ok_or("integer overflow")?
    } else {
        ns
    };
    let out = base.div_euclid(step) * step;
    Ok(if utc {
        Value::DateTimeUtc(out)
    } else {
        Value::DateTimeNaive(out)
    })
}

/// A duration written like pandas offsets: `1h`, `15min`, `30s`, `1d`, `100ms`, `1h30min`.
pub(super) fn parse_duration(text: &str) -> Result<i64, String> {
    let bad = || format!("cannot parse duration {text:?}");
    let mut rest = text.trim();
    let mut total: i64 = 0;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = if num_end == 0 {
            1.0
        } else {
            rest[..num_end].parse().map_err(|_| bad())?
        };
        rest = &rest[num_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let size = match rest[..unit_end].trim() {
            "w" | "W" | "week" | "weeks" => 7 * 86_400 * NS,
            "d" | "D" | "day" | "days" => 86_400 * NS,
            "h" | "H" | "hour" | "hours" => 3_600 * NS,
            "m" | "T" | "min" | "minute" | "minutes" => 60 * NS,
            "s" | "S" | "sec" | "second" | "seconds" => NS,
            "ms" | "L" | "milli" | "millis" => 1_000_000,
            "us" | "U" | "micro" | "micros" => 1_000,
            "ns" | "N" | "nano" | "nanos" => 1,
            _ => return Err(bad()),
        };
        total = total
            .checked_add((number * size as f64) as i64)
            .ok_or_else(bad)?;
        rest = &rest[unit_end..];
    }
    Ok(total)
}
