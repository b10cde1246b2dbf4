"""Static reads of csv, jsonlines, plaintext and fs files with a schema."""

from collections import Counter

import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


class Person(pw.Schema):
    name: str
    age: int
    score: float | None


def write(path, text):
    path.write_text(text)
    return path


def test_csv_read_with_schema(tmp_path):
    path = write(tmp_path / "people.csv", 'name,age,score\nann,3,1.5\nbob,4,2.5\n"smith, jr",5,\n')
    t = pw.io.csv.read(path, schema=Person, mode="static")
    assert t.typehints() == {"name": str, "age": int, "score": float | None}
    expected = T(
        """
        name      | age | score
        ann       | 3   | 1.5
        bob       | 4   | 2.5
        smith,_jr | 5   | None
        """
    ).select(pw.this.age, pw.this.score, name=pw.this.name.str.replace("_", " "))
    assert_table_equality_wo_index(t.select(pw.this.age, pw.this.score, pw.this.name), expected)


def test_csv_columns_are_matched_by_header_name(tmp_path):
    path = write(tmp_path / "people.csv", "score,age,name\n0.5,7,cy\n")
    t = pw.io.csv.read(path, schema=Person, mode="static")
    assert list(t.column_names()) == ["name", "age", "score"]
    expected = T(
        """
        name | age | score
        cy   | 7   | 0.5
        """,
        schema=Person,
    )
    assert_table_equality_wo_index(t, expected)


def test_csv_read_of_a_directory_reads_every_file(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder / "1.csv", "name,age,score\nann,1,\n")
    write(folder / "2.csv", "name,age,score\nbob,2,\ncy,3,0.5\n")
    t = pw.io.csv.read(folder, schema=Person, mode="static")
    result = t.reduce(n=pw.reducers.count(), total=pw.reducers.sum(pw.this.age))
    expected = T(
        """
        n | total
        3 | 6
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_jsonlines_read_with_nested_values(tmp_path):
    class Doc(pw.Schema):
        name: str
        age: int
        tags: list[int]
        meta: pw.Json | None

    path = write(
        tmp_path / "docs.jsonl",
        '{"name":"ann","age":3,"tags":[1,2],"meta":{"a":1}}\n'
        '{"name":"bob","age":4,"tags":[],"meta":null}\n',
    )
    t = pw.io.jsonlines.read(path, schema=Doc, mode="static")
    result = t.select(
        pw.this.name,
        n_tags=pw.apply_with_type(len, int, pw.this.tags),
        has_meta=pw.this.meta.is_not_none(),
    )
    expected = T(
        """
        name | n_tags | has_meta
        ann  | 2      | True
        bob  | 0      | False
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_jsonlines_missing_field_takes_the_default_value(tmp_path):
    class WithDefault(pw.Schema):
        name: str
        age: int = pw.column_definition(default_value=42)

    path = write(tmp_path / "d.jsonl", '{"name":"ann"}\n{"name":"bob","age":5}\n')
    t = pw.io.jsonlines.read(path, schema=WithDefault, mode="static")
    expected = T(
        """
        name | age
        ann  | 42
        bob  | 5
        """
    )
    assert_table_equality_wo_index(t, expected)


def test_plaintext_read_gives_one_row_per_line(tmp_path):
    path = write(tmp_path / "lines.txt", "hello world\nsecond line\n")
    t = pw.io.plaintext.read(path, mode="static")
    assert t.typehints() == {"data": str}
    result = t.select(words=pw.this.data.str.count(" ") + 1, n=pw.this.data.str.len())
    expected = T(
        """
        words | n
        2     | 11
        2     | 11
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_fs_read_csv_format(tmp_path):
    path = write(tmp_path / "p.csv", "name,age,score\nann,3,1.5\n")
    t = pw.io.fs.read(path, format="csv", schema=Person, mode="static")
    expected = T(
        """
        name | age | score
        ann  | 3   | 1.5
        """,
        schema=Person,
    )
    assert_table_equality_wo_index(t, expected)


def test_fs_read_json_format(tmp_path):
    path = write(tmp_path / "p.jsonl", '{"name":"ann","age":3,"score":null}\n')
    t = pw.io.fs.read(path, format="json", schema=Person, mode="static")
    expected = T(
        """
        name | age | score
        ann  | 3   | None
        """,
        schema=Person,
    )
    assert_table_equality_wo_index(t, expected)


def test_fs_read_binary_gives_the_whole_file(tmp_path):
    path = tmp_path / "blob.bin"
    path.write_bytes(b"ab\ncd\n")
    t = pw.io.fs.read(path, format="binary", mode="static")
    frame = pw.debug.table_to_pandas(t, include_id=False)
    assert list(frame["data"]) == [b"ab\ncd\n"]


def test_fs_read_plaintext_with_metadata(tmp_path):
    path = write(tmp_path / "m.txt", "x\n")
    t = pw.io.fs.read(path, format="plaintext", mode="static", with_metadata=True)
    result = t.select(pw.this.data, file=pw.unwrap(pw.this._metadata["path"].as_str()))
    frame = pw.debug.table_to_pandas(result, include_id=False)
    assert list(frame["data"]) == ["x"]
    assert frame["file"][0].endswith("m.txt")


def test_primary_key_ids_agree_across_sources(tmp_path):
    class Keyed(pw.Schema):
        k: str = pw.column_definition(primary_key=True)
        v: int

    csv = pw.io.csv.read(write(tmp_path / "k.csv", "k,v\na,1\nb,2\n"), schema=Keyed, mode="static")
    jsonl = pw.io.jsonlines.read(
        write(tmp_path / "k.jsonl", '{"k":"b","v":20}\n{"k":"a","v":10}\n'),
        schema=Keyed,
        mode="static",
    )
    by_id = csv.join(jsonl, csv.id == jsonl.id).select(csv.k, csv.v, w=jsonl.v)
    expected = T(
        """
        k | v | w
        a | 1 | 10
        b | 2 | 20
        """
    )
    assert_table_equality_wo_index(by_id, expected)


def test_primary_key_ids_match_pointer_from_the_key(tmp_path):
    class Keyed(pw.Schema):
        k: str = pw.column_definition(primary_key=True)
        v: int

    table = pw.io.csv.read(
        write(tmp_path / "k.csv", "k,v\na,1\nb,2\n"), schema=Keyed, mode="static"
    )
    probe = T(
        """
        k
        b
        """
    )
    # a join, not ix: the file's rows arrive after the probe's, and ix needs them at once
    pointers = probe.select(p=table.pointer_from(pw.this.k))
    result = pointers.join(table, pointers.p == table.id).select(table.v)
    expected = T(
        """
        v
        2
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_csv_values_parsed_by_schema_type(tmp_path):
    class Typed(pw.Schema):
        name: str
        flag: bool
        x: float
        o: int | None

    path = write(tmp_path / "t.csv", "name,flag,x,o\nann,true,3,\nbob,False,2.5,1\ncy,1,-1,\n")
    t = pw.io.csv.read(path, schema=Typed, mode="static")
    expected = T(
        """
        name | flag  | x    | o
        ann  | True  | 3.0  | None
        bob  | False | 2.5  | 1
        cy   | True  | -1.0 | None
        """,
        schema=Typed,
    )
    assert_table_equality_wo_index(t, expected)


def test_jsonlines_int_for_a_float_field_and_unicode_text(tmp_path):
    class Doc(pw.Schema):
        x: float
        s: str

    path = tmp_path / "u.jsonl"
    path.write_text('{"x": 3, "s": "za\\u017c\\u00f3\\u0142\\u0107"}\n', encoding="utf-8")
    t = pw.io.jsonlines.read(path, schema=Doc, mode="static")
    result = t.select(pw.this.x, n=pw.this.s.str.len(), up=pw.this.s.str.upper())
    expected = T(
        """
        x   | n | up
        3.0 | 6 | ZAŻÓŁĆ
        """,
        schema=pw.schema_from_types(x=float, n=int, up=str),
    )
    assert_table_equality_wo_index(result, expected)


def test_static_directory_read_commits_whole_files(tmp_path, threads):
    class Word(pw.Schema):
        w: str

    folder = tmp_path / "words"
    folder.mkdir()
    write(folder / "1.csv", "w\na\nb\n")
    write(folder / "2.csv", "w\na\n")
    counts = pw.io.csv.read(folder, schema=Word, mode="static")
    counts = counts.groupby(pw.this.w).reduce(pw.this.w, n=pw.reducers.count())
    out = tmp_path / "counts.csv"
    pw.io.csv.write(counts, out)
    pw.run()
    header, *lines = out.read_text().splitlines()
    assert header == '"w","n","time","diff"'
    rows = [line.replace('"', "").split(",") for line in lines]
    times = sorted({int(time) for *_, time, _ in rows})
    # Replay the updates: after every commit the counts are those of whole files.
    live: Counter = Counter()
    states = []
    for t in times:
        for w, n, tm, d in rows:
            if int(tm) == t:
                live[(w, int(n))] += int(d)
        states.append({w: n for (w, n), c in live.items() if c > 0})
    first_file, second_file, both = {"a": 1, "b": 1}, {"a": 1}, {"a": 2, "b": 1}
    assert states[-1] == both
    assert all(s in (first_file, second_file, both) for s in states)
    if threads == 1:
        # one worker reads the files one after another, one commit each (Pathway does too)
        assert states == [first_file, both]


def test_live_source_times_are_even_epoch_milliseconds(tmp_path):
    path = write(tmp_path / "p.csv", "name,age,score\nann,3,\n")
    times = []
    pw.io.subscribe(
        pw.io.csv.read(path, schema=Person, mode="static"),
        on_change=lambda key, row, time, is_addition: times.append(time),
    )
    pw.run()
    assert len(times) == 1
    assert times[0] % 2 == 0
    assert times[0] > 1_600_000_000_000  # milliseconds since the epoch, after 2020
