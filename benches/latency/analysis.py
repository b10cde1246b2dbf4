"""Latency figures from the raw samples ``program.py`` writes (see README.md for the method)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DICTIONARY = 5000
WORD_BASE = 1_000_000
# Commit times are even epoch milliseconds, so a stamp may read up to 2 ms early.
STAMP_SLACK_S = 0.002


@dataclass
class Figures:
    """What one run measured; latencies in milliseconds, rates in rows per second."""

    rows: int
    commits: int
    undelivered: int  # commits with rows but no word-count delivery recorded
    achieved: float
    p50: float  # p50/p95/p99: against the source's schedule (the primary figures)
    p95: float
    p99: float
    interp_p95: float  # rows spread evenly between the previous and this commit's stamp
    interp_p99: float
    upper_p95: float  # every row emitted at the previous commit's stamp
    upper_p99: float
    growth_ms: float
    kept_up: bool
    callback_ms: float  # median per commit: last word-count callback minus first (Python delivery)


def percentiles(lo: np.ndarray, hi: np.ndarray, weight: np.ndarray, qs: list[float]) -> list[float]:
    """Percentiles of a mixture: ``weight[k]`` rows spread uniformly over ``[lo[k], hi[k]]``
    (a point mass where ``lo == hi``), found by bisection on the mixture's CDF."""
    total = weight.sum()
    width = np.maximum(hi - lo, 1e-12)

    def cdf(x: float) -> float:
        return float((weight * np.clip((x - lo) / width, 0.0, 1.0)).sum() / total)

    out = []
    for q in qs:
        a, b = float(lo.min()), float(hi.max())
        for _ in range(60):
            mid = (a + b) / 2
            if cdf(mid) < q:
                a = mid
            else:
                b = mid
        out.append(b)
    return out


def _weighted_median(values: np.ndarray, weight: np.ndarray) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weight[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2)])


def analyse(samples: dict, rate: float) -> Figures:
    """Per-row latency percentiles, the sustained rate and whether the engine kept up.

    A commit at time ``t_k`` (epoch ms) holds the rows ``[rows_{k-1}, rows_k)``, delivered at
    wall time ``d_k``. Three emission estimates, each row weighted once:
    - schedule (p50/p95/p99): row ``i`` is due at ``start + i/rate`` and both sources emit it
      then or later. ``start`` is the source's own (``source_start``) when the program knows
      it, else the latest start consistent with the stamps (a row is not committed before it
      is due). It includes any lag of the source behind its schedule, so it grows without
      bound when an engine falls behind.
    - interpolated: rows spread evenly between the previous and this commit's stamp;
    - upper: every row emitted at the previous commit's stamp.
    The last two trust the stamps to close a commit's window (true for towpath; Pathway stamps
    a commit before some of its rows arrive, so both overstate its latency a little).
    """
    delivered: dict[int, float] = {}
    for t, wall in samples["delivered"]:
        delivered.setdefault(int(t), float(wall))
    marks = sorted({int(t): int(n) for t, n in samples["marks"]}.items())
    times = np.array([t for t, _ in marks], dtype=np.float64) / 1000.0
    counts = np.array([n for _, n in marks], dtype=np.float64)
    before = np.concatenate(([0.0], counts[:-1]))
    n = counts - before
    prev_t = np.concatenate(([times[0] - n[0] / rate], times[:-1]))
    d = np.array([delivered.get(t, np.nan) for t, _ in marks])
    keep = (n > 0) & ~np.isnan(d)
    undelivered = int(((n > 0) & np.isnan(d)).sum())
    times, counts, before, n, prev_t, d = (a[keep] for a in (times, counts, before, n, prev_t, d))

    i95, i99 = percentiles(d - times, d - prev_t, n, [0.95, 0.99])
    up95, up99 = percentiles(d - prev_t, d - prev_t, n, [0.95, 0.99])
    start = samples.get("source_start")
    if start is None:
        start = float((times + STAMP_SLACK_S - (counts - 1) / rate).min())
    sched_lo = d - (start + (counts - 1) / rate)
    sched_hi = d - (start + before / rate)
    p50, p95, p99 = percentiles(sched_lo, sched_hi, n, [0.50, 0.95, 0.99])
    total = float(counts[-1])
    achieved = total / (float(d[-1]) - start)

    # Growth: schedule latency over the last quarter of the rows against the second quarter
    # (the first is warm-up). An engine slower than its source falls further behind each commit.
    mid_sched = (sched_lo + sched_hi) / 2
    q2 = (counts > total * 0.25) & (counts <= total * 0.5)
    q4 = counts > total * 0.75
    growth = 0.0
    if q2.any() and q4.any():
        growth = _weighted_median(mid_sched[q4], n[q4]) - _weighted_median(mid_sched[q2], n[q2])
    kept_up = achieved >= 0.95 * rate and growth <= 0.05
    first: dict[int, float] = {}
    for t, wall in samples.get("first_update", []):
        first.setdefault(int(t), float(wall))
    spans = [delivered[t] - first[t] for t in first if t in delivered]
    callback = float(np.median(spans)) * 1000 if spans else float("nan")
    return Figures(
        rows=int(total),
        commits=len(times),
        undelivered=undelivered,
        achieved=achieved,
        p50=p50 * 1000,
        p95=p95 * 1000,
        p99=p99 * 1000,
        interp_p95=i95 * 1000,
        interp_p99=i99 * 1000,
        upper_p95=up95 * 1000,
        upper_p99=up99 * 1000,
        growth_ms=growth * 1000,
        kept_up=kept_up,
        callback_ms=callback,
    )


def expected_counts(nb_rows: int) -> dict[str, int]:
    """The true final word counts for the values ``0 .. nb_rows - 1``."""
    full, extra = divmod(nb_rows, DICTIONARY)
    return {str(WORD_BASE + w): full + (1 if w < extra else 0) for w in range(DICTIONARY) if full or w < extra}
