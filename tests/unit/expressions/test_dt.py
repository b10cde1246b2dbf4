"""The `.dt` namespace: parsing, parts, formatting, rounding, durations, time zones."""

import datetime

import pandas as pd
import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index

FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def naive():
    t = T(
        """
        s
        2024-03-05T13:45:30.123456789
        2023-12-31T23:59:59.000000001
        """,
        schema=pw.schema_from_types(s=str),
    )
    return t.select(d=pw.this.s.dt.strptime(FORMAT))


def printed(table, capsys):
    pw.debug.compute_and_print(table, include_id=False)
    return capsys.readouterr().out


def test_strptime_gives_datetime_naive(capsys):
    t = naive()
    assert t.typehints() == {"d": pw.DateTimeNaive}
    assert printed(t, capsys) == (
        "d\n2023-12-31 23:59:59.000000001\n2024-03-05 13:45:30.123456789\n"
    )


def test_date_and_time_parts():
    d = pw.this.d
    result = naive().select(
        y=d.dt.year(),
        mo=d.dt.month(),
        da=d.dt.day(),
        h=d.dt.hour(),
        mi=d.dt.minute(),
        se=d.dt.second(),
        ms=d.dt.millisecond(),
        us=d.dt.microsecond(),
        ns=d.dt.nanosecond(),
        wd=d.dt.weekday(),
    )
    expected = T(
        """
        y    | mo | da | h  | mi | se | ms  | us     | ns        | wd
        2023 | 12 | 31 | 23 | 59 | 59 | 0   | 0      | 1         | 6
        2024 | 3  | 5  | 13 | 45 | 30 | 123 | 123456 | 123456789 | 1
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_strftime():
    result = naive().select(a=pw.this.d.dt.strftime("%Y/%m/%d %H:%M"))
    expected = T(
        """
        a
        2023/12/31_23:59
        2024/03/05_13:45
        """
    ).select(a=pw.this.a.str.replace("_", " "))
    assert_table_equality_wo_index(result, expected)


def test_floor_and_round_to_a_duration(capsys):
    d = pw.this.d
    result = naive().select(
        fl=d.dt.floor(pw.Duration(hours=1)), ro=d.dt.round(pw.Duration(minutes=1))
    )
    assert printed(result, capsys) == (
        "fl                  | ro\n"
        "2023-12-31 23:00:00 | 2024-01-01 00:00:00\n"
        "2024-03-05 13:00:00 | 2024-03-05 13:46:00\n"
    )


def test_adding_and_subtracting_durations():
    result = naive().select(
        a=pw.this.d + pw.Duration(hours=1, seconds=30), b=pw.this.d - pw.Duration(days=1)
    )
    frame = pw.debug.table_to_pandas(result).sort_values("a")
    assert list(frame["a"]) == [
        pd.Timestamp("2024-01-01 01:00:29.000000001"),
        pd.Timestamp("2024-03-05 14:46:00.123456789"),
    ]
    assert list(frame["b"]) == [
        pd.Timestamp("2023-12-30 23:59:59.000000001"),
        pd.Timestamp("2024-03-04 13:45:30.123456789"),
    ]


def test_difference_of_datetimes_is_a_duration_with_parts():
    d = pw.this.d
    since_midnight = naive().select(du=d - d.dt.floor(pw.Duration(days=1)))
    assert since_midnight.typehints() == {"du": pw.Duration}
    du = pw.this.du
    result = since_midnight.select(
        h=du.dt.hours(),
        m=du.dt.minutes(),
        s=du.dt.seconds(),
        ms=du.dt.milliseconds(),
        days=du.dt.days(),
    )
    expected = T(
        """
        h  | m    | s     | ms       | days
        13 | 825  | 49530 | 49530123 | 0
        23 | 1439 | 86399 | 86399000 | 0
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_duration_arithmetic(capsys):
    t = T(
        """
        minutes
        90
        30
        """
    ).select(du=pw.this.minutes.dt.to_duration("m"))
    du = pw.this.du
    result = t.select(
        twice=du * 2,
        hours=du // pw.Duration(hours=1),
        ratio=du / pw.Duration(hours=1),
        longer=du + pw.Duration(minutes=1),
        big=du > pw.Duration(hours=1),
    )
    assert printed(result, capsys) == (
        "twice           | hours | ratio | longer          | big\n"
        "0 days 01:00:00 | 0     | 0.5   | 0 days 00:31:00 | False\n"
        "0 days 03:00:00 | 1     | 1.5   | 0 days 01:31:00 | True\n"
    )


def test_parse_with_timezone_gives_utc(capsys):
    t = T(
        """
        s
        2024-03-05T13:45:30+0100
        """,
        schema=pw.schema_from_types(s=str),
    )
    result = t.select(u=pw.this.s.dt.strptime("%Y-%m-%dT%H:%M:%S%z"))
    assert result.typehints() == {"u": pw.DateTimeUtc}
    assert printed(result, capsys) == "u\n2024-03-05 12:45:30+00:00\n"


def test_converting_between_naive_and_utc_in_a_timezone():
    t = T(
        """
        s
        2024-07-01T12:00:00.0
        2024-01-15T12:00:00.0
        """,
        schema=pw.schema_from_types(s=str),
    ).select(d=pw.this.s.dt.strptime(FORMAT))
    result = t.select(
        utc_hour=pw.this.d.dt.to_utc("Europe/Warsaw").dt.hour(),
        back=pw.this.d.dt.to_utc("Europe/Warsaw")
        .dt.to_naive_in_timezone("America/New_York")
        .dt.hour(),
    )
    # Warsaw is UTC+2 in July and UTC+1 in January; New York is UTC-4 / UTC-5.
    expected = T(
        """
        utc_hour | back
        10       | 6
        11       | 6
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_from_timestamp_naive_and_utc():
    t = T(
        """
        ts
        0
        1700000000
        """
    )
    result = t.select(
        a=pw.this.ts.dt.from_timestamp("s"),
        b=pw.this.ts.dt.utc_from_timestamp("s"),
        c=(pw.this.ts * 1000).dt.from_timestamp("ms"),
    )
    frame = pw.debug.table_to_pandas(result).sort_values("a")
    assert list(frame["a"]) == [pd.Timestamp("1970-01-01"), pd.Timestamp("2023-11-14 22:13:20")]
    assert list(frame["c"]) == list(frame["a"])
    assert list(frame["b"]) == [
        pd.Timestamp("1970-01-01", tz=datetime.UTC),
        pd.Timestamp("2023-11-14 22:13:20", tz=datetime.UTC),
    ]


def test_timestamp_in_seconds_is_float():
    result = naive().filter(pw.this.d.dt.year() == 2023).select(ts=pw.this.d.dt.timestamp(unit="s"))
    assert result.typehints() == {"ts": float}
    frame = pw.debug.table_to_pandas(result)
    assert list(frame["ts"]) == [1704067199.000000001]
