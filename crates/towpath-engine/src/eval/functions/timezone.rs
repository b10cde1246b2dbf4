//! Time-zone conversions (`to_utc`, `to_naive_in_timezone`, `*_in_timezone`) on top of the IANA
//! database compiled in by `chrono-tz`.

use chrono::{NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use towpath_core::Value;

use super::super::column::Fallible;
use super::datetime::{naive_of, ns_of};
use super::{str_arg, wrong_type};

fn zone(v: &Value) -> Result<Tz, String> {
    let name = str_arg(v)?;
    name.parse::<Tz>()
        .map_err(|_| format!("unknown time zone {name:?}"))
}

/// Offset (seconds east of UTC) in force at the UTC instant `utc`.
fn offset_at(tz: Tz, utc: &NaiveDateTime) -> i64 {
    tz.offset_from_utc_datetime(utc).fix().local_minus_utc() as i64
}

/// Nanoseconds since the epoch (UTC) of local time `ns` in `tz`. As observed in Pathway, an
/// ambiguous time (clocks going back) takes the later instant, and a time in a gap (clocks
/// going forward) maps to the instant of the change.
pub(super) fn local_to_utc(ns: i64, tz: Tz) -> Result<i64, String> {
    let local = naive_of(ns);
    let utc: NaiveDateTime = match tz.offset_from_local_datetime(&local).latest() {
        Some(o) => local - chrono::Duration::seconds(o.fix().local_minus_utc() as i64),
        None => gap_transition(tz, &local)?,
    };
    ns_of(&utc)
}

/// The UTC instant at which the clocks jumped over local time `local`: the offset before the
/// gap puts it after the change, the offset after puts it before, so bisect between the two.
fn gap_transition(tz: Tz, local: &NaiveDateTime) -> Result<NaiveDateTime, String> {
    let day = chrono::Duration::days(1);
    let before = offset_at(tz, &(*local - day));
    let after = offset_at(tz, &(*local + day));
    let (mut lo, mut hi) = (
        *local - chrono::Duration::seconds(after),
        *local - chrono::Duration::seconds(before),
    );
    if lo >= hi {
        return Err(format!(
            "cannot resolve local time {local} in {}",
            tz.name()
        ));
    }
    // Invariant: the offset at `lo` is the old one, at `hi` the new one.
    while hi - lo > chrono::Duration::nanoseconds(1) {
        let mid = lo + (hi - lo) / 2;
        if offset_at(tz, &mid) == before {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(hi)
}

/// Local wall-clock nanoseconds in `tz` of the UTC instant `ns`.
pub(super) fn utc_to_local(ns: i64, tz: Tz) -> Result<i64, String> {
    let utc = Utc.from_utc_datetime(&naive_of(ns));
    ns_of(&utc.with_timezone(&tz).naive_local())
}

/// `dt.to_utc(naive, from_timezone)`.
pub(super) fn to_utc(a: &[&Value]) -> Fallible {
    match a[0] {
        Value::DateTimeNaive(ns) => local_to_utc(*ns, zone(a[1])?).map(Value::DateTimeUtc),
        other => Err(wrong_type("DateTimeNaive", other)),
    }
}

/// `dt.to_naive_in_timezone(utc, timezone)`.
pub(super) fn to_naive_in_timezone(a: &[&Value]) -> Fallible {
    match a[0] {
        Value::DateTimeUtc(ns) => utc_to_local(*ns, zone(a[1])?).map(Value::DateTimeNaive),
        other => Err(wrong_type("DateTimeUtc", other)),
    }
}

fn duration(v: &Value) -> Result<i64, String> {
    match v {
        Value::Duration(d) => Ok(*d),
        other => Err(wrong_type("Duration", other)),
    }
}

/// Adds `sign * duration` to a datetime; a naive one is read as local time in the zone, so the
/// result lands on the right wall-clock time across daylight-saving changes.
fn shift(a: &[&Value], sign: i64) -> Fallible {
    let d = duration(a[1])?
        .checked_mul(sign)
        .ok_or("integer overflow")?;
    let tz = zone(a[2])?;
    match a[0] {
        Value::DateTimeNaive(ns) => {
            let utc = local_to_utc(*ns, tz)?
                .checked_add(d)
                .ok_or("integer overflow")?;
            utc_to_local(utc, tz).map(Value::DateTimeNaive)
        }
        Value::DateTimeUtc(ns) => ns
            .checked_add(d)
            .map(Value::DateTimeUtc)
            .ok_or_else(|| "integer overflow".into()),
        other => Err(wrong_type("a datetime", other)),
    }
}

/// `dt.add_duration_in_timezone(d, duration, timezone)`.
pub(super) fn add_duration(a: &[&Value]) -> Fallible {
    shift(a, 1)
}

/// `dt.subtract_duration_in_timezone(d, duration, timezone)`.
pub(super) fn subtract_duration(a: &[&Value]) -> Fallible {
    shift(a, -1)
}

/// `dt.subtract_date_time_in_timezone(d, other, timezone)`: the real time elapsed.
pub(super) fn subtract_date_time(a: &[&Value]) -> Fallible {
    let tz = zone(a[2])?;
    let (x, y) = match (a[0], a[1]) {
        (Value::DateTimeNaive(x), Value::DateTimeNaive(y)) => {
            (local_to_utc(*x, tz)?, local_to_utc(*y, tz)?)
        }
        (Value::DateTimeUtc(x), Value::DateTimeUtc(y)) => (*x, *y),
        (x, y) => {
            return Err(format!(
                "cannot subtract {} from {}",
                y.type_name(),
                x.type_name()
            ))
        }
    };
    x.checked_sub(y)
        .map(Value::Duration)
        .ok_or_else(|| "integer overflow".into())
}
