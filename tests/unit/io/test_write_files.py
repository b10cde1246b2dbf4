"""csv and jsonlines writers: exact file content with time and diff columns."""

import json

import towpath as pw
from towpath.testing import T


def updates():
    return T(
        """
          | name | n  | f    | b     | o    | __time__ | __diff__
        1 | ann  | 1  | 1.5  | True  | None | 2        | 1
        2 | bob  | 2  | -0.5 | False | 7    | 2        | 1
        1 | ann  | 1  | 1.5  | True  | None | 4        | -1
        1 | ann  | 10 | 2.25 | True  | 3    | 4        | 1
        """
    )


def written_lines(path):
    """Header (if any) and the data lines, the latter sorted within each time."""
    return path.read_text().splitlines()


def check_times_non_decreasing(times):
    assert times == sorted(times), "updates must be written in time order"


def test_csv_write_quotes_every_value_and_adds_time_and_diff(tmp_path):
    out = tmp_path / "out.csv"
    pw.io.csv.write(updates(), out)
    pw.run()
    header, *rows = written_lines(out)
    assert header == '"name","n","f","b","o","time","diff"'
    assert sorted(rows) == sorted(
        [
            '"ann","1","1.5","True","None","2","1"',
            '"bob","2","-0.5","False","7","2","1"',
            '"ann","1","1.5","True","None","4","-1"',
            '"ann","10","2.25","True","3","4","1"',
        ]
    )
    check_times_non_decreasing([int(r.split(",")[-2].strip('"')) for r in rows])


def test_csv_write_doubles_inner_quotes_and_keeps_commas(tmp_path):
    t = T(
        """
        a
        1
        """
    ).select(s=pw.apply_with_type(lambda a: 'say "hi", ok', str, pw.this.a))
    out = tmp_path / "q.csv"
    pw.io.csv.write(t, out)
    pw.run()
    assert out.read_text() == '"s","time","diff"\n"say ""hi"", ok","0","1"\n'


def test_csv_write_of_datetimes_durations_tuples_and_json(tmp_path):
    t = T(
        """
        n
        1
        """
    ).select(
        d=pw.this.n.dt.from_timestamp("s"),
        u=pw.this.n.dt.utc_from_timestamp("s"),
        du=pw.this.n.dt.to_duration("ms"),
        tp=pw.make_tuple(pw.this.n, "x"),
        j=pw.apply_with_type(lambda n: pw.Json({"n": n, "l": [1]}), pw.Json, pw.this.n),
    )
    out = tmp_path / "types.csv"
    pw.io.csv.write(t, out)
    pw.run()
    assert out.read_text() == (
        '"d","u","du","tp","j","time","diff"\n'
        '"1970-01-01T00:00:01.000000000","1970-01-01T00:00:01.000000000+0000","1000000",'
        '"[1,""x""]","{""n"":1,""l"":[1]}","0","1"\n'
    )


def test_jsonlines_write_has_diff_and_time_last(tmp_path):
    out = tmp_path / "out.jsonl"
    pw.io.jsonlines.write(updates(), out)
    pw.run()
    lines = written_lines(out)
    assert sorted(lines) == sorted(
        [
            '{"name":"ann","n":1,"f":1.5,"b":true,"o":null,"diff":1,"time":2}',
            '{"name":"bob","n":2,"f":-0.5,"b":false,"o":7,"diff":1,"time":2}',
            '{"name":"ann","n":1,"f":1.5,"b":true,"o":null,"diff":-1,"time":4}',
            '{"name":"ann","n":10,"f":2.25,"b":true,"o":3,"diff":1,"time":4}',
        ]
    )
    check_times_non_decreasing([json.loads(line)["time"] for line in lines])


def test_jsonlines_write_of_datetimes_durations_tuples_and_json(tmp_path):
    t = T(
        """
        n
        2
        """
    ).select(
        d=pw.this.n.dt.from_timestamp("s"),
        u=pw.this.n.dt.utc_from_timestamp("s"),
        du=pw.this.n.dt.to_duration("s"),
        tp=pw.make_tuple(pw.this.n, "x"),
        j=pw.apply_with_type(lambda n: pw.Json({"n": n}), pw.Json, pw.this.n),
    )
    out = tmp_path / "types.jsonl"
    pw.io.jsonlines.write(t, out)
    pw.run()
    assert out.read_text() == (
        '{"d":"1970-01-01T00:00:02.000000000","u":"1970-01-01T00:00:02.000000000+0000",'
        '"du":2000000000,"tp":[2,"x"],"j":{"n":2},"diff":1,"time":0}\n'
    )


def test_write_of_a_grouped_result_shows_each_change(tmp_path):
    t = T(
        """
        word | __time__
        a    | 2
        b    | 2
        a    | 4
        """
    )
    counts = t.groupby(pw.this.word).reduce(pw.this.word, n=pw.reducers.count())
    out = tmp_path / "counts.csv"
    pw.io.csv.write(counts, out)
    pw.run()
    header, *rows = written_lines(out)
    assert header == '"word","n","time","diff"'
    assert sorted(rows) == sorted(
        [
            '"a","1","2","1"',
            '"b","1","2","1"',
            '"a","1","4","-1"',
            '"a","2","4","1"',
        ]
    )


def test_two_writers_in_one_run(tmp_path):
    t = T(
        """
        v
        1
        """
    )
    pw.io.csv.write(t, tmp_path / "a.csv")
    pw.io.jsonlines.write(t.select(w=pw.this.v + 1), tmp_path / "b.jsonl")
    pw.run()
    assert (tmp_path / "a.csv").read_text() == '"v","time","diff"\n"1","0","1"\n'
    assert (tmp_path / "b.jsonl").read_text() == '{"w":2,"diff":1,"time":0}\n'


def test_unicode_quotes_and_newlines_in_written_strings(tmp_path):
    t = T(
        """
        a
        1
        """
    ).select(s=pw.apply_with_type(lambda a: 'zażółć\nnew "line"', str, pw.this.a))
    pw.io.csv.write(t, tmp_path / "u.csv")
    pw.io.jsonlines.write(t, tmp_path / "u.jsonl")
    pw.run()
    assert (tmp_path / "u.csv").read_text(encoding="utf-8") == (
        '"s","time","diff"\n"zażółć\nnew ""line""","0","1"\n'
    )
    assert (tmp_path / "u.jsonl").read_text(encoding="utf-8") == (
        '{"s":"zażółć\\nnew \\"line\\"","diff":1,"time":0}\n'
    )


def test_writing_an_empty_table_writes_no_rows(tmp_path):
    t = T(
        """
        a | b
        1 | 2
        """
    ).filter(pw.this.a > 5)
    pw.io.csv.write(t, tmp_path / "e.csv")
    pw.io.jsonlines.write(t, tmp_path / "e.jsonl")
    pw.run()
    # Pathway writes nothing at all (not even the CSV header) when no row ever arrives
    assert (tmp_path / "e.csv").read_text() in ("", '"a","b","time","diff"\n')
    assert (tmp_path / "e.jsonl").read_text() == ""


def test_bytes_floats_and_negative_durations_in_writers(tmp_path):
    t = T(
        """
        a | b
        1 | 3
        """
    ).select(
        raw=pw.apply_with_type(lambda a: b"\x00ab", bytes, pw.this.a),
        f=pw.this.a * 1e20,
        g=pw.this.a / pw.this.b,
        du=(-pw.this.a).dt.to_duration("s"),
    )
    pw.io.csv.write(t, tmp_path / "b.csv")
    pw.io.jsonlines.write(t, tmp_path / "b.jsonl")
    pw.run()
    # bytes as base64; the CSV writer prints 1e20 the Rust way, the JSON writer as 1e+20
    assert (tmp_path / "b.csv").read_text() == (
        '"raw","f","g","du","time","diff"\n"AGFi","1e20","0.3333333333333333","-1000000000","0","1"\n'
    )
    assert (tmp_path / "b.jsonl").read_text() == (
        '{"raw":"AGFi","f":1e+20,"g":0.3333333333333333,"du":-1000000000,"diff":1,"time":0}\n'
    )
