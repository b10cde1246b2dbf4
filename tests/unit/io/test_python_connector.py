"""pw.io.python: write with a ConnectorObserver (read is in test_python_subject.py)."""

import pytest
import towpath as pw
from towpath.testing import T


class Recorder(pw.io.python.ConnectorObserver):
    def __init__(self):
        self.changes = []
        self.time_ends = []
        self.ended = 0

    def on_change(self, key, row, time, is_addition):
        self.changes.append((row["name"], row["n"], time, is_addition))

    def on_time_end(self, time):
        self.time_ends.append(time)

    def on_end(self):
        self.ended += 1


def updates():
    return T(
        """
          | name | n  | __time__ | __diff__
        1 | ann  | 1  | 2        | 1
        2 | bob  | 2  | 2        | 1
        1 | ann  | 1  | 4        | -1
        1 | ann  | 10 | 4        | 1
        """
    )


def test_observer_gets_changes_time_ends_and_end():
    observer = Recorder()
    pw.io.python.write(updates(), observer)
    pw.run()
    times = sorted({time for _, _, time, _ in observer.changes})
    assert len(times) == 2
    first, second = times
    assert sorted((*c[:2], c[3]) for c in observer.changes if c[2] == first) == [
        ("ann", 1, True), ("bob", 2, True)]
    assert sorted((*c[:2], c[3]) for c in observer.changes if c[2] == second) == [
        ("ann", 1, False), ("ann", 10, True)]
    assert observer.time_ends == times
    assert observer.ended == 1


def test_observer_on_change_is_required():
    class Incomplete(pw.io.python.ConnectorObserver):
        pass

    with pytest.raises(TypeError):
        Incomplete()


def test_write_rejects_a_non_observer():
    with pytest.raises(TypeError, match="ConnectorObserver"):
        pw.io.python.write(updates(), lambda *args: None)
