"""towpath.testing: T and the assert_* helpers must pass on equal tables and fail otherwise."""

import pytest
import towpath as pw
from towpath.testing import (
    T,
    assert_stream_equality,
    assert_stream_equality_wo_index,
    assert_table_equality,
    assert_table_equality_wo_index,
)

# Pathway raises AssertionError for different rows and RuntimeError for different schemas.
MISMATCH = (AssertionError, RuntimeError)


def labelled():
    return T(
        """
          | v
        1 | 1
        2 | 2
        """
    )


def stream():
    return T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        1 | 1 | 4        | -1
        """
    )


def test_T_is_table_from_markdown():
    direct = pw.debug.table_from_markdown(
        """
          | v
        1 | 1
        2 | 2
        """
    )
    assert_table_equality(labelled(), direct)


def test_equal_tables_pass():
    assert_table_equality(labelled(), labelled())


def test_different_values_fail():
    other = T(
        """
          | v
        1 | 1
        2 | 3
        """
    )
    with pytest.raises(MISMATCH):
        assert_table_equality(labelled(), other)


def test_different_ids_fail_with_index_and_pass_without():
    relabelled = T(
        """
          | v
        1 | 1
        3 | 2
        """
    )
    with pytest.raises(MISMATCH):
        assert_table_equality(labelled(), relabelled)
    assert_table_equality_wo_index(labelled(), relabelled)


def test_different_column_names_fail():
    with pytest.raises(MISMATCH):
        assert_table_equality(labelled(), labelled().select(w=pw.this.v))


def test_different_column_order_fails():
    t = labelled()
    with pytest.raises(MISMATCH):
        assert_table_equality(
            t.select(x=pw.this.v, y=pw.this.v * 2), t.select(y=pw.this.v * 2, x=pw.this.v)
        )


def test_different_column_types_fail():
    with pytest.raises(MISMATCH):
        assert_table_equality(labelled(), labelled().select(v=pw.cast(float, pw.this.v)))


def test_without_index_duplicates_count():
    twice = T(
        """
        v
        1
        1
        """
    )
    once = T(
        """
        v
        1
        """
    )
    with pytest.raises(MISMATCH):
        assert_table_equality_wo_index(twice, once)


def test_tuples_of_tables_compare_pairwise():
    t = labelled()
    assert_table_equality((t, t.select(w=pw.this.v)), (labelled(), labelled().select(w=pw.this.v)))


def test_equal_streams_pass():
    assert_stream_equality(stream(), stream())


def test_streams_with_different_times_fail():
    later = T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        1 | 1 | 6        | -1
        """
    )
    with pytest.raises(MISMATCH):
        assert_stream_equality(stream(), later)


def test_stream_updates_cancelling_within_a_time_are_ignored():
    noisy = T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        1 | 1 | 2        | -1
        2 | 5 | 4        | 1
        """
    )
    clean = T(
        """
          | v | __time__ | __diff__
        2 | 5 | 4        | 1
        """
    )
    assert_stream_equality(noisy, clean)


def test_stream_without_index_ignores_ids():
    relabelled = T(
        """
          | v | __time__ | __diff__
        7 | 1 | 2        | 1
        7 | 1 | 4        | -1
        """
    )
    assert_stream_equality_wo_index(stream(), relabelled)


def test_final_table_of_a_stream_equals_its_last_state():
    t = T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 2 | 2        | 1
        1 | 1 | 4        | -1
        """
    )
    expected = T(
        """
          | v
        2 | 2
        """
    )
    assert_table_equality(t, expected)


def test_stream_is_not_equal_to_its_final_table_as_a_stream():
    expected = T(
        """
          | v
        1 | 1
        """
    )
    with pytest.raises(MISMATCH):
        assert_stream_equality(stream(), expected)
