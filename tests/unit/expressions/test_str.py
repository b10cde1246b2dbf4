"""The `.str` namespace and string operators."""

import towpath as pw
from towpath.testing import T, assert_table_equality_wo_index


def words():
    return T(
        """
        s
        Hello_World
        abcabc
        """
    )


def s():
    return pw.this.s


def test_case_changes():
    result = words().select(
        s(), l=s().str.lower(), u=s().str.upper(), w=s().str.swapcase(), t=s().str.title()
    )
    expected = T(
        """
        s           | l           | u           | w           | t
        Hello_World | hello_world | HELLO_WORLD | hELLO_wORLD | Hello_World
        abcabc      | abcabc      | ABCABC      | ABCABC      | Abcabc
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_len_and_reversed():
    result = words().select(s(), n=s().str.len(), r=s().str.reversed())
    expected = T(
        """
        s           | n  | r
        Hello_World | 11 | dlroW_olleH
        abcabc      | 6  | cbacba
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_count_find_rfind():
    result = words().select(
        s(),
        c=s().str.count("b"),
        f=s().str.find("b"),
        rf=s().str.rfind("b"),
        missing=s().str.find("zz"),
        from2=s().str.find("b", 2),
        window=s().str.find("b", 2, 4),
    )
    expected = T(
        """
        s           | c | f  | rf | missing | from2 | window
        Hello_World | 0 | -1 | -1 | -1      | -1    | -1
        abcabc      | 2 | 1  | 4  | -1      | 4     | -1
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_startswith_endswith():
    result = words().select(s(), a=s().str.startswith("Hel"), b=s().str.endswith("bc"))
    expected = T(
        """
        s           | a     | b
        Hello_World | True  | False
        abcabc      | False | True
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_replace_all_and_with_count():
    result = words().select(s(), all=s().str.replace("b", "X"), once=s().str.replace("b", "X", 1))
    expected = T(
        """
        s           | all         | once
        Hello_World | Hello_World | Hello_World
        abcabc      | aXcaXc      | aXcabc
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_slice_with_positive_and_negative_bounds():
    result = words().select(s(), a=s().str.slice(1, 4), b=s().str.slice(-3, -1))
    expected = T(
        """
        s           | a   | b
        Hello_World | ell | rl
        abcabc      | bca | ab
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_removeprefix_removesuffix():
    result = words().select(s(), p=s().str.removeprefix("abc"), q=s().str.removesuffix("World"))
    expected = T(
        """
        s           | p           | q
        Hello_World | Hello_World | Hello_
        abcabc      | abc         | abcabc
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_strip_whitespace_and_given_characters():
    padded = T(
        """
        s
        pad
        """
    ).select(s="  " + pw.this.s + "pp  ")
    result = padded.select(a=s().str.strip(), b=s().str.strip(" p"))
    expected = T(
        """
        a     | b
        padpp | ad
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_concatenation_repetition_and_comparison():
    result = words().select(s(), a=s() + "!", m=s() * 2, lt=s() < "b", eq=s() == "abcabc")
    expected = T(
        """
        s           | a            | m                      | lt   | eq
        Hello_World | Hello_World! | Hello_WorldHello_World | True | False
        abcabc      | abcabc!      | abcabcabcabc           | True | True
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_parse_int_and_float_optional():
    t = T(
        """
        s
        12
        -7
        x1
        """,
        schema=pw.schema_from_types(s=str),
    )
    result = t.select(s(), i=s().str.parse_int(optional=True), f=s().str.parse_float(optional=True))
    expected = T(
        """
        s  | i    | f
        12 | 12   | 12.0
        -7 | -7   | -7.0
        x1 | None | None
        """,
        schema=pw.schema_from_types(s=str, i=int | None, f=float | None),
    )
    assert_table_equality_wo_index(result, expected)


def test_parse_bool_optional():
    t = T(
        """
        s
        true
        False
        yes
        off
        maybe
        """,
        schema=pw.schema_from_types(s=str),
    )
    result = t.select(s(), b=s().str.parse_bool(optional=True))
    expected = T(
        """
        s     | b
        true  | True
        False | False
        yes   | True
        off   | False
        maybe | None
        """
    )
    assert_table_equality_wo_index(result, expected)


def test_to_string_of_ints_and_strings():
    result = words().select(x=s().to_string(), n=s().str.len().to_string())
    expected = T(
        """
        x           | n
        Hello_World | 11
        abcabc      | 6
        """,
        schema=pw.schema_from_types(x=str, n=str),
    )
    assert_table_equality_wo_index(result, expected)


def test_string_functions_count_characters_not_bytes():
    t = T(
        """
        s
        zażółć
        """
    )
    result = t.select(
        n=s().str.len(), up=s().str.upper(), sl=s().str.slice(1, 3), r=s().str.reversed()
    )
    expected = T(
        """
        n | up     | sl | r
        6 | ZAŻÓŁĆ | aż | ćłóżaz
        """
    )
    assert_table_equality_wo_index(result, expected)
