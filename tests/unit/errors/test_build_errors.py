"""Mistakes in a program raise when the table is declared, at the user's line."""

import inspect
import os

import pytest
import towpath as pw
from towpath.testing import T

HERE = os.path.basename(__file__)


def people():
    return T(
        """
        name | age | o
        ann  | 3   | None
        bob  | 4   | 5
        """
    )


def full_message(error):
    """The exception text with any notes attached to it (where Pathway puts the user's line)."""
    return "\n".join([str(error), *getattr(error, "__notes__", [])])


def next_line():
    return inspect.currentframe().f_back.f_lineno + 1


def test_unknown_column_in_select_names_the_column_and_the_line():
    t = people()
    with pytest.raises((KeyError, AttributeError, ValueError)) as info:
        line = next_line()
        t.select(pw.this.agee)
    text = full_message(info.value)
    assert "agee" in text
    assert f"{HERE}:{line}" in text


def test_unknown_column_as_attribute_raises_attribute_error():
    t = people()
    with pytest.raises(AttributeError) as info:
        _ = t.agee
    assert "agee" in str(info.value)


def test_unknown_column_by_subscript_raises_key_error():
    t = people()
    with pytest.raises(KeyError) as info:
        t["agee"]
    assert "agee" in str(info.value)


def test_unknown_column_in_filter_names_the_line():
    t = people()
    with pytest.raises(Exception) as info:
        line = next_line()
        t.filter(pw.this.nope > 1)
    text = full_message(info.value)
    assert "nope" in text
    assert f"{HERE}:{line}" in text


def test_optional_int_plus_one_is_a_type_error():
    t = people()
    with pytest.raises(TypeError) as info:
        line = next_line()
        t.select(x=t.o + 1)
    text = full_message(info.value)
    assert f"{HERE}:{line}" in text


def test_int_plus_str_is_a_type_error():
    t = people()
    with pytest.raises(TypeError):
        t.select(x=pw.this.age + "a")


def test_filter_needs_a_boolean():
    t = people()
    with pytest.raises(TypeError) as info:
        line = next_line()
        t.filter(pw.this.age)
    assert f"{HERE}:{line}" in full_message(info.value)


def test_reduce_of_a_column_that_is_not_grouped():
    t = people()
    with pytest.raises(ValueError) as info:
        t.groupby(pw.this.name).reduce(pw.this.age)
    assert "age" in str(info.value)


def test_sum_of_optional_column_is_rejected():
    t = people()
    with pytest.raises(TypeError) as info:
        t.groupby(pw.this.name).reduce(s=pw.reducers.sum(pw.this.o))
    assert "sum" in str(info.value)


def test_str_method_on_an_int_column():
    t = people()
    with pytest.raises(AttributeError):
        t.select(x=pw.this.age.str.lower())


def test_concat_of_tables_with_different_columns():
    left = people()
    right = T(
        """
        name | height
        cy   | 180
        """
    )
    with pytest.raises(ValueError) as info:
        left.promise_universes_are_disjoint(right).concat(right)
    text = str(info.value)
    assert "height" in text and "age" in text


def test_column_of_another_universe_after_filter():
    t = people()
    filtered = t.filter(pw.this.age > 3)
    with pytest.raises(ValueError) as info:
        line = next_line()
        filtered.select(t.name)
    assert f"{HERE}:{line}" in full_message(info.value)


def test_join_condition_must_compare_columns_of_both_sides():
    left = people()
    right = people()
    with pytest.raises(ValueError):
        left.join(right, left.age + 1 == right.age)


def test_positional_select_argument_must_be_a_column():
    with pytest.raises(ValueError):
        people().select(pw.reducers.sum(pw.this.age))
