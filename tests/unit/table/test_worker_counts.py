"""The same program gives the same output (ids included) whatever the number of worker threads,
and bigger generated inputs agree with a plain-Python computation."""

import random
from collections import Counter

import pytest
import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


def set_threads(monkeypatch, n):
    monkeypatch.setenv("TOWPATH_THREADS", str(n))
    monkeypatch.setenv("PATHWAY_THREADS", str(n))


def word_stream():
    """Words inserted over several times, some deleted later."""
    rng = random.Random(7)
    words = ["ant", "bee", "cat", "dog", "eel", "fox", "gnu"]
    lines = ["  | w | __time__ | __diff__"]
    live = []
    for i in range(120):
        time = 2 * (1 + i // 20)
        if live and rng.random() < 0.25:
            label, word = live.pop(rng.randrange(len(live)))
            lines.append(f"{label} | {word} | {time} | -1")
        else:
            word = rng.choice(words)
            live.append((i, word))
            lines.append(f"{i} | {word} | {time} | 1")
    return "\n".join(lines), live


def counts(t):
    return t.groupby(pw.this.w).reduce(pw.this.w, n=pw.reducers.count())


def joined(t):
    lengths = T(
        """
        w   | len
        ant | 3
        bee | 3
        cat | 3
        dog | 3
        """
    )
    return t.join_left(lengths, t.w == lengths.w).select(t.w, lengths.len)


def flattened(t):
    return (
        t.select(c=pw.this.w)
        .flatten(pw.this.c)
        .groupby(pw.this.c)
        .reduce(pw.this.c, n=pw.reducers.count())
    )


def keyed(t):
    return t.select(pw.this.w).with_id_from(pw.this.w, pw.this.id)


@pytest.mark.parametrize("pipeline", [counts, joined, flattened, keyed])
def test_update_stream_with_ids_is_the_same_for_1_2_and_3_threads(monkeypatch, capsys, pipeline):
    text, _ = word_stream()
    outputs = []
    for n in (1, 2, 3):
        set_threads(monkeypatch, n)
        pw.debug.compute_and_print_update_stream(pipeline(T(text)), short_pointers=False)
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0].splitlines()) > 1


def test_word_count_of_a_generated_stream_matches_python():
    text, live = word_stream()
    expected_counts = Counter(word for _, word in live)
    lines = ["w | n"] + [f"{w} | {n}" for w, n in sorted(expected_counts.items())]
    assert_table_equality_wo_index(counts(T(text)), T("\n".join(lines)))


def test_join_of_generated_tables_matches_python():
    rng = random.Random(11)
    left = [(i, rng.randrange(10)) for i in range(60)]
    right = [(j, rng.randrange(10)) for j in range(40)]
    lt = T("\n".join(["a | k"] + [f"{a} | {k}" for a, k in left]))
    rt = T("\n".join(["b | k"] + [f"{b} | {k}" for b, k in right]))
    result = lt.join(rt, lt.k == rt.k).select(lt.a, rt.b)
    pairs = [(a, b) for a, k in left for b, k2 in right if k == k2]
    assert pairs, "the generated data must produce matches"
    expected = T("\n".join(["a | b"] + [f"{a} | {b}" for a, b in pairs]))
    assert_table_equality_wo_index(result, expected)


def test_sums_per_key_over_many_times_match_python():
    rng = random.Random(3)
    rows = [(i, rng.randrange(5), rng.randrange(-50, 50), 2 * (1 + i // 10)) for i in range(100)]
    t = T("\n".join(["  | k | v | __time__"] + [f"{i} | {k} | {v} | {tm}" for i, k, v, tm in rows]))
    result = t.groupby(pw.this.k).reduce(
        pw.this.k,
        s=pw.reducers.sum(pw.this.v),
        lo=pw.reducers.min(pw.this.v),
        hi=pw.reducers.max(pw.this.v),
    )
    per_key = {}
    for _, k, v, _ in rows:
        per_key.setdefault(k, []).append(v)
    expected = T(
        "\n".join(
            ["k | s | lo | hi"]
            + [f"{k} | {sum(vs)} | {min(vs)} | {max(vs)}" for k, vs in sorted(per_key.items())]
        )
    )
    assert_table_equality_wo_index(result, expected)
