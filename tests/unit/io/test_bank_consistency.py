"""The bank test: a live source emits transfers (a debit row and a credit row in one commit)
and deletes earlier transfers now and then; the program keeps per-account balances and their
total. At every output time the total equals the initial total and every balance equals a
naive recomputation over the ledger as committed at that time. Run by CI with 1, 2 and 4
worker threads (``--threads``)."""

import random
from collections import defaultdict

import towpath as pw

ACCOUNTS = 8
TRANSFERS = 400
INITIAL = {a: 1000 + 10 * a for a in range(ACCOUNTS)}


class Leg(pw.Schema):
    tid: int = pw.column_definition(primary_key=True)
    leg: str = pw.column_definition(primary_key=True)
    account: int
    delta: int


class Transfers(pw.io.python.ConnectorSubject):
    def __init__(self, seed):
        super().__init__()
        self.rng = random.Random(seed)

    def run(self):
        live = []
        for tid in range(TRANSFERS):
            if live and self.rng.random() < 0.15:
                # Undo an earlier transfer: both legs go in one commit.
                old, src, dst, amount = live.pop(self.rng.randrange(len(live)))
                self.delete(tid=old, leg="debit", account=src, delta=-amount)
                self.delete(tid=old, leg="credit", account=dst, delta=amount)
                self.commit()
            src, dst = self.rng.sample(range(ACCOUNTS), 2)
            amount = self.rng.randint(1, 300)
            self.next(tid=tid, leg="debit", account=src, delta=-amount)
            self.next(tid=tid, leg="credit", account=dst, delta=amount)
            self.commit()
            live.append((tid, src, dst, amount))
            if tid % 25 == 0:
                # Let the engine catch up now and then, so the run has many times.
                __import__("time").sleep(0.002)


def record(table):
    """Updates per time: {time: [(row, diff)]}."""
    updates = defaultdict(list)
    pw.io.subscribe(table, on_change=lambda key, row, time, is_addition: updates[time].append(
        (tuple(sorted(row.items())), 1 if is_addition else -1)))
    return updates


def states(updates):
    """The accumulated table after each time, in time order: [(time, {row: count})]."""
    acc, out = defaultdict(int), []
    for time in sorted(updates):
        for row, diff in updates[time]:
            acc[row] += diff
            if acc[row] == 0:
                del acc[row]
        out.append((time, dict(acc)))
    return out


def at(history, time):
    """The state of a history at `time` (the last state at or before it)."""
    state = {}
    for t, s in history:
        if t > time:
            break
        state = s
    return state


def test_balances_and_total_are_consistent_at_every_time():
    initial = pw.debug.table_from_rows(
        pw.schema_from_types(account=int, balance=int), list(INITIAL.items()))
    ledger = pw.io.python.read(Transfers(seed=7), schema=Leg, autocommit_duration_ms=None)
    movements = pw.Table.concat_reindex(
        initial.select(account=pw.this.account, delta=pw.this.balance),
        ledger.select(pw.this.account, pw.this.delta),
    )
    balances = movements.groupby(pw.this.account).reduce(
        pw.this.account, balance=pw.reducers.sum(pw.this.delta))
    total = balances.reduce(total=pw.reducers.sum(pw.this.balance), accounts=pw.reducers.count())

    ledger_updates, balance_updates, total_updates = record(ledger), record(balances), record(total)
    pw.run()

    ledger_history = states(ledger_updates)
    balance_history = states(balance_updates)
    total_history = states(total_updates)
    assert len(balance_history) > 10, "the run should have many commits"
    # The total never changes: any update after the first time would be a transient
    # inconsistency (a debit seen without its credit), which the loop below would catch.
    assert total_history
    want_total = sum(INITIAL.values())
    for time, state in total_history:
        assert state == {(("accounts", ACCOUNTS), ("total", want_total)): 1}, f"at {time}: {state}"
    for time, state in balance_history:
        expected = dict(INITIAL)
        legs = defaultdict(set)
        for row, count in at(ledger_history, time).items():
            fields = dict(row)
            assert count == 1
            expected[fields["account"]] += fields["delta"]
            legs[fields["tid"]].add(fields["leg"])
        # A transfer is seen whole or not at all.
        assert all(v == {"debit", "credit"} for v in legs.values()), f"at {time}: half a transfer"
        got = {dict(row)["account"]: dict(row)["balance"] for row in state}
        assert got == expected, f"at {time}"
    # The final ledger holds every transfer that was not undone.
    final = at(ledger_history, max(ledger_updates))
    assert 0 < len(final) < 2 * TRANSFERS and len(final) % 2 == 0
