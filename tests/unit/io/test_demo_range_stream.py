"""pw.demo.range_stream: a live generator committed at increasing even epoch milliseconds."""

import time

import pytest
import towpath as pw


def test_range_stream_schema_is_one_float_value_column():
    t = pw.demo.range_stream(nb_rows=3, input_rate=1000)
    assert t.typehints() == {"value": float}


def test_range_stream_sum_is_final_sum_of_offset_range():
    t = pw.demo.range_stream(nb_rows=20, offset=5, input_rate=1000)
    total = t.reduce(total=pw.reducers.sum(pw.this.value))
    keys, columns = pw.debug.table_to_dicts(total)
    assert len(keys) == 1
    assert [columns["total"][k] for k in keys] == [float(sum(range(5, 25)))]
    assert isinstance(columns["total"][keys[0]], float)


def test_range_stream_commits_prefixes_at_several_increasing_even_times(capsys):
    t = pw.demo.range_stream(nb_rows=20, input_rate=200, autocommit_duration_ms=10)
    stats = t.reduce(s=pw.reducers.sum(pw.this.value), c=pw.reducers.count())
    started = time.time()
    pw.debug.compute_and_print_update_stream(stats, include_id=False)
    elapsed = time.time() - started
    # 20 rows at 200 rows/s: the last one is due 95 ms after the first.
    assert elapsed >= 0.095
    lines = capsys.readouterr().out.strip().splitlines()
    assert [c.strip() for c in lines[0].split("|")] == ["s", "c", "__time__", "__diff__"]
    inserted = []
    for line in lines[1:]:
        s, c, t_, diff = (cell.strip() for cell in line.split("|"))
        if diff == "1":
            inserted.append((int(t_), int(c), float(s)))
    times = [t_ for t_, _, _ in inserted]
    assert len(times) > 1, lines
    assert times == sorted(set(times))
    assert all(t_ % 2 == 0 and t_ > started * 1000 - 1000 for t_ in times)
    counts = [c for _, c, _ in inserted]
    assert counts == sorted(set(counts)) and counts[-1] == 20
    # Every commit holds a prefix of the stream: the sum matches the count.
    assert all(s == float(sum(range(c))) for _, c, s in inserted)


def test_range_stream_rejects_a_non_positive_rate():
    with pytest.raises(ValueError, match="input_rate"):
        pw.demo.range_stream(nb_rows=3, input_rate=0)
