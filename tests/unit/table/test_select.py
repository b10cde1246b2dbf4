"""Table.select, with_columns, without, and `pw.this` references."""

import towpath as pw
from towpath.testing import T, assert_stream_equality, assert_table_equality


def people():
    return T(
        """
          | name  | age | city
        1 | alice | 30  | paris
        2 | bob   | 25  | rome
        3 | carol | 41  | paris
        """
    )


def test_select_subset_of_columns_keeps_ids():
    result = people().select(pw.this.name, pw.this.city)
    expected = T(
        """
          | name  | city
        1 | alice | paris
        2 | bob   | rome
        3 | carol | paris
        """
    )
    assert_table_equality(result, expected)


def test_select_by_attribute_and_by_subscript():
    t = people()
    result = t.select(n=t.name, a=t["age"])
    expected = T(
        """
          | n     | a
        1 | alice | 30
        2 | bob   | 25
        3 | carol | 41
        """
    )
    assert_table_equality(result, expected)


def test_select_new_column_from_expression():
    result = people().select(pw.this.name, next_age=pw.this.age + 1)
    expected = T(
        """
          | name  | next_age
        1 | alice | 31
        2 | bob   | 26
        3 | carol | 42
        """
    )
    assert_table_equality(result, expected)


def test_select_constant_column():
    result = people().select(pw.this.name, one=1, tag="x")
    expected = T(
        """
          | name  | one | tag
        1 | alice | 1   | x
        2 | bob   | 1   | x
        3 | carol | 1   | x
        """
    )
    assert_table_equality(result, expected)


def test_select_star_expands_all_columns():
    result = people().select(*pw.this, double=pw.this.age * 2)
    expected = T(
        """
          | name  | age | city  | double
        1 | alice | 30  | paris | 60
        2 | bob   | 25  | rome  | 50
        3 | carol | 41  | paris | 82
        """
    )
    assert_table_equality(result, expected)


def test_select_column_order_follows_arguments():
    result = people().select(pw.this.city, pw.this.name)
    assert list(result.column_names()) == ["city", "name"]


def test_select_same_column_twice_under_two_names():
    result = people().select(x=pw.this.age, y=pw.this.age)
    expected = T(
        """
          | x  | y
        1 | 30 | 30
        2 | 25 | 25
        3 | 41 | 41
        """
    )
    assert_table_equality(result, expected)


def test_with_columns_adds_and_overwrites():
    result = people().with_columns(age=pw.this.age * 10, adult=pw.this.age >= 30)
    expected = T(
        """
          | name  | age | city  | adult
        1 | alice | 300 | paris | True
        2 | bob   | 250 | rome  | False
        3 | carol | 410 | paris | True
        """
    )
    assert_table_equality(result, expected)


def test_without_drops_columns():
    result = people().without(pw.this.age, "city")
    expected = T(
        """
          | name
        1 | alice
        2 | bob
        3 | carol
        """
    )
    assert_table_equality(result, expected)


def test_select_on_stream_follows_updates():
    t = T(
        """
          | v | __time__ | __diff__
        1 | 1 | 2        | 1
        2 | 5 | 2        | 1
        1 | 1 | 4        | -1
        1 | 7 | 4        | 1
        """
    )
    result = t.select(w=pw.this.v * 3)
    expected = T(
        """
          | w  | __time__ | __diff__
        1 | 3  | 2        | 1
        2 | 15 | 2        | 1
        1 | 3  | 4        | -1
        1 | 21 | 4        | 1
        """
    )
    assert_stream_equality(result, expected)


def test_select_from_two_tables_with_same_universe():
    t = people()
    ages = t.select(double=t.age * 2)
    result = t.select(t.name, ages.double)
    expected = T(
        """
          | name  | double
        1 | alice | 60
        2 | bob   | 50
        3 | carol | 82
        """
    )
    assert_table_equality(result, expected)


def test_select_on_empty_table_gives_empty_result():
    t = T(
        """
        a | b
        """
    )
    frame = pw.debug.table_to_pandas(t.select(c=pw.this.a))
    assert list(frame.columns) == ["c"]
    assert len(frame) == 0
