"""A live source written in Python: sensor readings pushed by a ``ConnectorSubject``.

    python examples/python_subject.py [--readings N]

The subject pushes readings ``(sensor, value)`` from its own thread. ``sensor`` is the primary
key, so a new reading replaces the sensor's previous one (an upsert); every tenth step a
sensor is removed (``delete``), and each step is one ``commit()``. The program keeps, live,
the number of sensors reporting and the sum and maximum of their latest values, and prints
each commit's change. At the end it checks the final figures against a replay of the same
steps in plain Python, and that every intermediate state was one of the states the steps
went through (never half a step).
"""

from __future__ import annotations

import argparse
import importlib
import random
import sys


def steps(n: int, seed: int = 3) -> list[tuple[str, str, float]]:
    """(op, sensor, value): op is 'next' or 'delete'."""
    rng = random.Random(seed)
    out: list[tuple[str, str, float]] = []
    live: dict[str, float] = {}
    for i in range(n):
        if i % 10 == 9 and live:
            sensor = rng.choice(sorted(live))
            out.append(("delete", sensor, live.pop(sensor)))
        else:
            sensor, value = f"s{rng.randrange(6)}", float(rng.randint(0, 100))
            live[sensor] = value
            out.append(("next", sensor, value))
    return out


def replay(script: list[tuple[str, str, float]]) -> list[tuple[int, float, float]]:
    """The (sensors, total, max) after each step."""
    live: dict[str, float] = {}
    states = []
    for op, sensor, value in script:
        if op == "next":
            live[sensor] = value
        else:
            del live[sensor]
        if live:
            states.append((len(live), sum(live.values()), max(live.values())))
    return states


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readings", type=int, default=200)
    args = parser.parse_args()
    pw = importlib.import_module("towpath")
    script = steps(args.readings)

    class Reading(pw.Schema):
        sensor: str = pw.column_definition(primary_key=True)
        value: float

    class Sensors(pw.io.python.ConnectorSubject):
        def __init__(self) -> None:
            # Pathway's name for keyed rows that replace each other; towpath's default with a key.
            super().__init__(session_type="upsert")

        def run(self) -> None:
            for op, sensor, value in script:
                getattr(self, op)(sensor=sensor, value=value)
                self.commit()

    latest = pw.io.python.read(Sensors(), schema=Reading, autocommit_duration_ms=None)
    stats = latest.reduce(
        sensors=pw.reducers.count(),
        total=pw.reducers.sum(pw.this.value),
        top=pw.reducers.max(pw.this.value),
    )
    seen: list[tuple[int, float, float]] = []

    def on_change(key, row, time, is_addition):
        if is_addition:
            seen.append((row["sensors"], row["total"], row["top"]))
            print(f"t={time} sensors={row['sensors']} total={row['total']:.0f} max={row['top']:.0f}")

    pw.io.subscribe(stats, on_change=on_change)
    pw.run()

    states = replay(script)
    if not seen or seen[-1] != states[-1]:
        print(f"FAILED: final state {seen[-1:]} != expected {states[-1]}", file=sys.stderr)
        return 1
    # Commits may be grouped, so some states are skipped, but none is invented.
    invented = [s for s in seen if s not in states]
    if invented:
        print(f"FAILED: states no step produced: {invented[:3]}", file=sys.stderr)
        return 1
    print(f"ok: {len(seen)} updates, final sensors={states[-1][0]} total={states[-1][1]:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
