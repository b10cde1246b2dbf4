"""Table.deduplicate: per instance, the latest row the acceptor accepted.

Expectations were observed with Pathway 0.33 (run this file with ``--engine=pathway``).
"""

import pytest
import towpath as pw
from towpath.testing import T, assert_stream_equality_wo_index

STREAM = """
  | k | v  | __time__ | __diff__
1 | a | 1  | 2        | 1
2 | a | 5  | 2        | 1
3 | b | 3  | 2        | 1
4 | a | 4  | 4        | 1
5 | a | 9  | 6        | 1
6 | b | 2  | 6        | 1
7 | a | 12 | 8        | 1
5 | a | 9  | 10       | -1
"""


def test_per_instance_the_latest_accepted_row_and_deletions_change_nothing():
    calls = []

    def acceptor(new, old):
        calls.append((new, old))
        return new > old

    result = T(STREAM).deduplicate(value=pw.this.v, instance=pw.this.k, acceptor=acceptor)
    expected = T(
        """
        k | v  | __time__ | __diff__
        a | 5  | 2        | 1
        b | 3  | 2        | 1
        a | 5  | 6        | -1
        a | 9  | 6        | 1
        a | 9  | 8        | -1
        a | 12 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)
    # The first row of an instance is accepted without a call.
    assert sorted(calls) == [(2, 3), (4, 5), (5, 1), (9, 5), (12, 9)]


def test_without_instance_one_row_and_its_id_stays():
    result = T(STREAM).deduplicate(value=pw.this.v, acceptor=lambda new, old: new > old)
    expected = T(
        """
        k | v  | __time__ | __diff__
        a | 5  | 2        | 1
        a | 5  | 6        | -1
        a | 9  | 6        | 1
        a | 9  | 8        | -1
        a | 12 | 8        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)
    ids = pw.debug.table_to_pandas(result).index
    assert len(set(ids)) == 1


@pytest.mark.parametrize("labels", [(1, 2, 3), (3, 2, 1)])
def test_rows_of_one_time_are_offered_in_value_order(labels):
    calls = []

    def always(new, old):
        calls.append((new, old))
        return True

    rows = "\n".join(f"{lab} | {v} | 2" for lab, v in zip(labels, (30, 10, 20), strict=True))
    t = T(f"  | v | __time__\n{rows}")
    result = t.deduplicate(value=pw.this.v, acceptor=always)
    assert_stream_equality_wo_index(result, T("v | __time__ | __diff__\n30 | 2 | 1"))
    assert calls == [(20, 10), (30, 20)]


def test_deleting_the_current_row_keeps_it():
    t = T(
        """
          | v  | __time__ | __diff__
        1 | 30 | 2        | 1
        1 | 30 | 4        | -1
        2 | 5  | 6        | 1
        """
    )
    result = t.deduplicate(value=pw.this.v, acceptor=lambda new, old: True)
    expected = T(
        """
        v  | __time__ | __diff__
        30 | 2        | 1
        30 | 6        | -1
        5  | 6        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_an_update_with_the_same_value_is_offered_and_keeps_all_columns():
    t = T(
        """
          | v  | w | __time__ | __diff__
        1 | 30 | 1 | 2        | 1
        1 | 30 | 1 | 4        | -1
        1 | 30 | 2 | 4        | 1
        """
    )
    result = t.deduplicate(value=pw.this.v, acceptor=lambda new, old: new >= old)
    expected = T(
        """
        v  | w | __time__ | __diff__
        30 | 1 | 2        | 1
        30 | 1 | 4        | -1
        30 | 2 | 4        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)
    assert list(result.schema.typehints()) == ["v", "w"]


def test_value_can_be_an_expression():
    t = T("  | v | __time__\n1 | 3 | 2\n2 | -7 | 4\n3 | 5 | 6")
    result = t.deduplicate(value=pw.this.v * pw.this.v, acceptor=lambda new, old: new > old)
    expected = T(
        """
        v  | __time__ | __diff__
        3  | 2        | 1
        3  | 4        | -1
        -7 | 4        | 1
        """
    )
    assert_stream_equality_wo_index(result, expected)


def test_acceptor_is_required():
    with pytest.raises(TypeError, match="acceptor"):
        T("v\n1").deduplicate(value=pw.this.v)
