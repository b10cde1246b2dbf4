"""Assertions for users' tests, in Pathway's markdown idiom.

>>> import towpath as pw
>>> from towpath.testing import T, assert_table_equality_wo_index
>>> t = T('''
... a
... 1
... 2
... ''')
>>> assert_table_equality_wo_index(t.select(b=pw.this.a * 2), T('''
... b
... 2
... 4
... '''))
"""

from towpath.testing._asserts import (
    T,
    assert_stream_equality,
    assert_stream_equality_wo_index,
    assert_table_equality,
    assert_table_equality_wo_index,
    assert_table_equality_wo_index_types,
    assert_table_equality_wo_types,
)

__all__ = [
    "T",
    "assert_stream_equality",
    "assert_stream_equality_wo_index",
    "assert_table_equality",
    "assert_table_equality_wo_index",
    "assert_table_equality_wo_index_types",
    "assert_table_equality_wo_types",
]
