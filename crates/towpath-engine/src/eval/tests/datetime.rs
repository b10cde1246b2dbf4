//! The `.dt` functions.

use towpath_core::Value;

use super::*;

const SEC: i64 = 1_000_000_000;
/// 2024-01-02T03:04:05.123456789 (a Tuesday).
const T: i64 = 1_704_164_645_123_456_789;

fn naive(ns: i64) -> Expr {
    Expr::Const(Value::DateTimeNaive(ns))
}
fn utc(ns: i64) -> Expr {
    Expr::Const(Value::DateTimeUtc(ns))
}
fn f(name: &str, args: Vec<Expr>) -> Value {
    ok(&call(name, args))
}

#[test]
fn fields() {
    let cases = [
        ("dt.year", 2024, 1969),
        ("dt.month", 1, 12),
        ("dt.day", 2, 31),
        ("dt.hour", 3, 23),
        ("dt.minute", 4, 59),
        ("dt.second", 5, 59),
        ("dt.millisecond", 123, 500),
        ("dt.microsecond", 123_456, 500_000),
        ("dt.nanosecond", 123_456_789, 500_000_000),
        ("dt.weekday", 1, 2),
    ];
    for (name, a, b) in cases {
        assert_eq!(f(name, vec![naive(T)]), Value::Int(a), "{name}");
        assert_eq!(f(name, vec![utc(-SEC / 2)]), Value::Int(b), "{name}");
    }
}

#[test]
fn strftime_and_strptime() {
    let fmt = c("%Y/%m/%d %H:%M:%S.%f %a %b %j %%");
    assert_eq!(
        f("dt.strftime", vec![naive(T), fmt]),
        s("2024/01/02 03:04:05.123456789 Tue Jan 002 %")
    );
    assert_eq!(
        f("dt.strftime", vec![utc(T), c("%H:%M %z %Z")]),
        s("03:04 +0000 UTC")
    );
    fails(
        &call("dt.strftime", vec![naive(T), c("%z")]),
        "does not apply",
    );
    let parsed = f(
        "dt.strptime",
        vec![
            c("2024-01-02T03:04:05.123456789"),
            c("%Y-%m-%dT%H:%M:%S.%f"),
        ],
    );
    assert_eq!(parsed, Value::DateTimeNaive(T));
    let half = f(
        "dt.strptime",
        vec![c("1969-12-31T23:59:59.5"), c("%Y-%m-%dT%H:%M:%S.%f")],
    );
    assert_eq!(half, Value::DateTimeNaive(-SEC / 2));
    let zoned = f(
        "dt.strptime",
        vec![c("2024-01-02 03:04:05-0230"), c("%Y-%m-%d %H:%M:%S%z")],
    );
    assert_eq!(zoned, Value::DateTimeUtc(1_704_173_645 * SEC));
    assert_eq!(
        f("dt.strptime", vec![c("2024-01-02"), c("%Y-%m-%d")]),
        Value::DateTimeNaive(1_704_153_600 * SEC)
    );
    fails(
        &call("dt.strptime", vec![c("2024-01-02"), c("%H:%M")]),
        "cannot parse",
    );
}

#[test]
fn timestamps() {
    assert_eq!(f("dt.timestamp", vec![naive(T)]), Value::Int(T));
    assert_eq!(
        f("dt.timestamp", vec![naive(-SEC / 2), c("s")]),
        Value::Float(-0.5)
    );
    assert_eq!(
        f("dt.timestamp", vec![utc(-SEC / 2), c("ms")]),
        Value::Float(-500.0)
    );
    fails(
        &call("dt.timestamp", vec![naive(T), c("h")]),
        "unknown time unit",
    );
    assert_eq!(
        f("dt.from_timestamp", vec![c(-1i64), c("s")]),
        Value::DateTimeNaive(-SEC)
    );
    assert_eq!(
        f("dt.utc_from_timestamp", vec![c(-1i64), c("ms")]),
        Value::DateTimeUtc(-1_000_000)
    );
    assert_eq!(
        f("dt.from_timestamp", vec![c(1.5), c("s")]),
        Value::DateTimeNaive(SEC + SEC / 2)
    );
    assert_eq!(
        f("dt.to_duration", vec![c(-1i64), c("ms")]),
        dur(-1_000_000)
    );
    fails(
        &call("dt.from_timestamp", vec![c(i64::MAX), c("s")]),
        "out of range",
    );
}

#[test]
fn time_zones() {
    // 2024-01-02 03:04:05 in Warsaw (UTC+1) is 02:04:05 UTC; New York is UTC-5 in winter.
    let local = 1_704_164_645 * SEC;
    assert_eq!(
        f("dt.to_utc", vec![naive(local), c("Europe/Warsaw")]),
        Value::DateTimeUtc(local - 3600 * SEC)
    );
    assert_eq!(
        f(
            "dt.to_naive_in_timezone",
            vec![utc(local), c("America/New_York")]
        ),
        Value::DateTimeNaive(local - 5 * 3600 * SEC)
    );
    assert_eq!(
        f("dt.to_utc", vec![naive(local), c("UTC")]),
        Value::DateTimeUtc(local)
    );
    fails(
        &call("dt.to_utc", vec![naive(local), c("Mars/Base")]),
        "unknown time zone",
    );
    fails(
        &call("dt.to_utc", vec![utc(local), c("UTC")]),
        "expected DateTimeNaive",
    );
    // Across the spring change in Warsaw (2024-03-31 02:00 -> 03:00): 01:30 + 1h is 03:30 local.
    let before = 1_711_848_600 * SEC; // 2024-03-31T01:30:00 as a naive value
    let hour = Expr::Const(dur(3600 * SEC));
    let shifted = f(
        "dt.add_duration_in_timezone",
        vec![naive(before), hour.clone(), c("Europe/Warsaw")],
    );
    assert_eq!(shifted, Value::DateTimeNaive(before + 2 * 3600 * SEC));
    let back = f(
        "dt.subtract_duration_in_timezone",
        vec![Expr::Const(shifted), hour, c("Europe/Warsaw")],
    );
    assert_eq!(back, Value::DateTimeNaive(before));
    let elapsed = f(
        "dt.subtract_date_time_in_timezone",
        vec![
            naive(before + 2 * 3600 * SEC),
            naive(before),
            c("Europe/Warsaw"),
        ],
    );
    assert_eq!(elapsed, dur(3600 * SEC));
}

#[test]
fn ambiguous_and_skipped_local_times() {
    // Observed in Pathway for Europe/Warsaw: 2024-10-27T02:30 (ambiguous) is 01:30 UTC (the
    // later instant); 2024-03-31T02:30 (skipped) is 01:00 UTC (the moment of the change).
    let ambiguous = 1_729_996_200 * SEC;
    assert_eq!(
        f("dt.to_utc", vec![naive(ambiguous), c("Europe/Warsaw")]),
        Value::DateTimeUtc(1_729_992_600 * SEC)
    );
    let skipped = 1_711_852_200 * SEC;
    assert_eq!(
        f("dt.to_utc", vec![naive(skipped), c("Europe/Warsaw")]),
        Value::DateTimeUtc(1_711_846_800 * SEC)
    );
    let elapsed = f(
        "dt.subtract_date_time_in_timezone",
        vec![
            naive(ambiguous),
            naive(ambiguous - 3 * 3600 * SEC),
            c("Europe/Warsaw"),
        ],
    );
    assert_eq!(elapsed, dur(4 * 3600 * SEC));
}

#[test]
fn floor_and_round() {
    let hour = || Expr::Const(dur(3600 * SEC));
    assert_eq!(
        f("dt.floor", vec![naive(T), hour()]),
        Value::DateTimeNaive(1_704_164_400 * SEC)
    );
    assert_eq!(
        f("dt.floor", vec![naive(-SEC / 2), c("1h")]),
        Value::DateTimeNaive(-3600 * SEC)
    );
    assert_eq!(
        f("dt.round", vec![naive(-SEC / 2), c("1s")]),
        Value::DateTimeNaive(0)
    );
    assert_eq!(
        f("dt.round", vec![utc(T), Expr::Const(dur(SEC))]),
        Value::DateTimeUtc(1_704_164_645 * SEC)
    );
    assert_eq!(
        f("dt.floor", vec![utc(T), c("1d")]),
        Value::DateTimeUtc(1_704_153_600 * SEC)
    );
    assert_eq!(
        f("dt.floor", vec![naive(T), c("2h30min")]),
        Value::DateTimeNaive(1_704_159_000 * SEC)
    );
    fails(
        &call("dt.floor", vec![naive(T), c("soon")]),
        "cannot parse duration",
    );
    fails(
        &call("dt.floor", vec![naive(T), Expr::Const(dur(0))]),
        "positive",
    );
}

#[test]
fn duration_parts_truncate_toward_zero() {
    let d = || Expr::Const(dur(-3_599_500_000_000));
    assert_eq!(f("dt.minutes", vec![d()]), Value::Int(-59));
    assert_eq!(f("dt.seconds", vec![d()]), Value::Int(-3599));
    assert_eq!(f("dt.milliseconds", vec![d()]), Value::Int(-3_599_500));
    assert_eq!(f("dt.hours", vec![d()]), Value::Int(0));
    let long = || Expr::Const(dur(19_724 * 86_400 * SEC + 11_045 * SEC));
    assert_eq!(f("dt.days", vec![long()]), Value::Int(19_724));
    assert_eq!(f("dt.weeks", vec![long()]), Value::Int(2817));
    assert_eq!(
        f("dt.microseconds", vec![Expr::Const(dur(1_500))]),
        Value::Int(1)
    );
    assert_eq!(
        f("dt.nanoseconds", vec![Expr::Const(dur(1_500))]),
        Value::Int(1_500)
    );
    fails(&call("dt.days", vec![naive(T)]), "expected Duration");
}
