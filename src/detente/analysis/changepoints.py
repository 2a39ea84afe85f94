"""Change points in a dyad series: when two countries moved closer (rapprochement) or apart.

The series is cut into segments of constant mean by exact penalised segmentation
(optimal partitioning with PELT pruning) under a weighted squared-error cost. A shift
up of the segment mean is a *rapprochement*, a shift down a *deterioration*.

The signal (``signal=``):

- ``"goldstein_mean"`` (default): the mean Goldstein value of a period's events, i.e.
  the tone of the relationship independent of how much the press wrote about it.
- ``"cooperation_share"``: the share of cooperative events among quad-classed ones.
- ``"goldstein_sum"``: net Goldstein per period; volume and tone together.

Periods without events carry no information about the tone, so for the mean and the
share they are left out (weight 0) rather than read as a neutral 0, which would
invent a rapprochement in every quiet spell between two quarrels: a shift is dated at
the first period *with events* of the new level. Periods with few events are noisy, so
each period is weighted by ``n / (n + k)`` with ``n`` its event count and ``k`` the
median count of the periods with events: the variance model ``σ²(1 + k/n)`` of a
period mean that has both a sampling part (falling with ``n``) and a floor (real
month-to-month swings that a flood of reports does not make more certain). For
``goldstein_sum`` a quiet period really has a net of 0, so every period counts with
weight 1.

The penalty for one more shift is ``penalty × σ²``, with ``σ²`` the noise variance
estimated robustly from the weighted first differences (median absolute deviation, so
the level shifts themselves hardly inflate it); when that first segmentation finds
shifts, ``σ²`` is re-estimated from the spread around its levels (when smaller: on
short series with several shifts, the differences across the shifts still inflate
the first estimate) and the series is segmented once more and ``penalty`` by default
``3·log(n)``, n the number of informative periods: a little above BIC's ``2·log(n)``
(a mean and a location per shift), because news counts are overdispersed and
autocorrelated, and BIC then cuts long monthly series at passing swings. Larger
penalties find fewer shifts. ``min_size`` is the least number of informative periods in a segment.
Works alike on a few dozen yearly points and on hundreds of monthly ones (O(n²) at
worst, pruned to about O(n) when shifts are many).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from detente.errors import ConfigError
from detente.records import DyadPoint

SIGNALS = ("goldstein_mean", "cooperation_share", "goldstein_sum")
KINDS = ("rapprochement", "deterioration")
DEFAULT_PENALTY_PER_LOG_N = 3.0


@dataclass(frozen=True, slots=True)
class Shift:
    """A change of level at ``date`` (the first period of the new level)."""

    date: dt.date
    kind: str  # "rapprochement" | "deterioration"
    before_mean: float
    after_mean: float
    magnitude: float  # |after_mean - before_mean|, in the signal's units
    signal: str = "goldstein_mean"

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "kind": self.kind,
            "before_mean": round(self.before_mean, 3),
            "after_mean": round(self.after_mean, 3),
            "magnitude": round(self.magnitude, 3),
            "signal": self.signal,
        }

    def describe(self) -> str:
        return (
            f"{self.date.isoformat()}  {self.kind:<13}  {self.before_mean:+.2f} -> "
            f"{self.after_mean:+.2f}  ({self.signal})"
        )


def signal_of(
    points: Sequence[DyadPoint], signal: str = "goldstein_mean"
) -> tuple[list[dt.date], np.ndarray, np.ndarray]:
    """The informative periods, their values and their weights (see the module doc)."""
    if signal not in SIGNALS:
        raise ConfigError(f"signal must be one of {', '.join(SIGNALS)}, got {signal!r}")
    dates: list[dt.date] = []
    values: list[float] = []
    counts: list[float] = []
    for p in points:
        if signal == "goldstein_sum":
            dates.append(p.period)
            values.append(p.goldstein_sum)
            counts.append(1.0)
        elif signal == "goldstein_mean":
            if p.events > 0 and p.goldstein_mean is not None:
                dates.append(p.period)
                values.append(p.goldstein_mean)
                counts.append(float(p.events))
        else:
            quads = (
                p.verbal_cooperation
                + p.material_cooperation
                + p.verbal_conflict
                + p.material_conflict
            )
            if quads > 0 and p.cooperation_share is not None:
                dates.append(p.period)
                values.append(p.cooperation_share)
                counts.append(float(quads))
    x = np.asarray(values, dtype=float)
    n = np.asarray(counts, dtype=float)
    if signal == "goldstein_sum" or not len(n):
        w = np.ones_like(x)
    else:
        k = float(np.median(n))
        w = n / (n + k)
    return dates, x, w


def noise_variance(x: np.ndarray, w: np.ndarray) -> float:
    """Robust per-unit-weight noise variance from weighted first differences."""
    if len(x) < 2:
        return 1.0
    d = np.diff(x) / np.sqrt(1.0 / w[1:] + 1.0 / w[:-1])
    sigma = 1.4826 * float(np.median(np.abs(d)))
    if sigma <= 0.0:
        sigma = float(np.std(d))
    scale = float(np.max(np.abs(x))) if len(x) else 0.0
    floor = 1e-3 * max(scale, 1e-6)
    return max(sigma, floor) ** 2


def _residual_variance(x: np.ndarray, w: np.ndarray, ends: list[int]) -> float:
    """Weighted spread around the segment means, with a degrees-of-freedom correction."""
    total, start = 0.0, 0
    for end in ends:
        xs, ws = x[start:end], w[start:end]
        mean = float(np.sum(ws * xs) / np.sum(ws))
        total += float(np.sum(ws * (xs - mean) ** 2))
        start = end
    dof = len(x) - 2 * len(ends) + 1  # a mean per level and a location per shift
    if dof <= 0:
        return math.inf
    return max(total / dof, 1e-12)


def segment(x: np.ndarray, w: np.ndarray, beta: float, min_size: int) -> list[int]:
    """End indices (exclusive) of the optimal segments under weighted L2 cost + beta each."""
    n = len(x)
    if n == 0:
        return []
    cw = np.concatenate([[0.0], np.cumsum(w)])
    cwx = np.concatenate([[0.0], np.cumsum(w * x)])
    cwxx = np.concatenate([[0.0], np.cumsum(w * x * x)])

    def cost(s: np.ndarray, t: int) -> np.ndarray:
        sw = cw[t] - cw[s]
        swx = cwx[t] - cwx[s]
        swxx = cwxx[t] - cwxx[s]
        with np.errstate(divide="ignore", invalid="ignore"):
            c = swxx - np.where(sw > 0, swx * swx / np.where(sw > 0, sw, 1.0), 0.0)
        return np.maximum(c, 0.0)

    best = np.full(n + 1, np.inf)
    best[0] = -beta
    last = np.zeros(n + 1, dtype=int)
    candidates = np.array([0], dtype=int)
    for t in range(min_size, n + 1):
        usable = candidates[candidates <= t - min_size]
        if len(usable) == 0:
            continue
        total = best[usable] + cost(usable, t) + beta
        i = int(np.argmin(total))
        best[t] = total[i]
        last[t] = usable[i]
        # PELT pruning: a start that is already worse than the best, even without the
        # penalty of one more cut, can never become the best later.
        keep = best[usable] + cost(usable, t) <= best[t]
        waiting = candidates[candidates > t - min_size]
        candidates = np.concatenate([usable[keep], waiting])
        candidates = np.concatenate([candidates, [t]])
    if not np.isfinite(best[n]):
        return [n]
    ends = []
    t = n
    while t > 0:
        ends.append(t)
        t = int(last[t])
    return ends[::-1]


def detect_shifts(
    points: Sequence[DyadPoint],
    *,
    min_size: int = 2,
    penalty: float | None = None,
    signal: str = "goldstein_mean",
) -> list[Shift]:
    """Rapprochements (level up) and deteriorations (level down) of a dyad series.

    ``points`` as :func:`detente.analysis.dyad.dyad_series` returns them (any
    frequency; empty periods may be present). ``min_size`` is the least number of
    informative periods in a level; ``penalty`` the cost of a shift in units of the
    estimated noise variance (default ``3·log(n)``). Returns shifts in date order.
    """
    if isinstance(min_size, bool) or not isinstance(min_size, int) or min_size < 1:
        raise ConfigError(f"min_size must be a positive integer, got {min_size!r}")
    if penalty is not None and (
        isinstance(penalty, bool)
        or not isinstance(penalty, (int, float))
        or not math.isfinite(penalty)
        or penalty < 0
    ):
        raise ConfigError(f"penalty must be a non-negative number, got {penalty!r}")
    dates, x, w = signal_of(sorted(points, key=lambda p: p.period), signal)
    n = len(x)
    if n < 2 * min_size:
        return []
    pen = DEFAULT_PENALTY_PER_LOG_N * math.log(n) if penalty is None else float(penalty)
    variance = noise_variance(x, w)
    ends = segment(x, w, pen * variance, min_size)
    if len(ends) > 1:
        # The differences straddling the shifts inflate the first estimate on short
        # series; once the levels are known, the spread around them is the better one.
        refined = min(variance, _residual_variance(x, w, ends))
        if refined < variance:
            ends = segment(x, w, pen * refined, min_size)
    shifts = []
    start = 0
    means = []
    for end in ends:
        sw = float(np.sum(w[start:end]))
        means.append((start, float(np.sum(w[start:end] * x[start:end]) / sw)))
        start = end
    for (_, before), (begin, after) in zip(means, means[1:], strict=False):
        if after == before:
            continue
        shifts.append(
            Shift(
                date=dates[begin],
                kind="rapprochement" if after > before else "deterioration",
                before_mean=before,
                after_mean=after,
                magnitude=abs(after - before),
                signal=signal,
            )
        )
    return shifts


def format_shifts(shifts: Sequence[Shift]) -> str:
    """Plain-text lines for printing below a series table."""
    if not shifts:
        return "shifts: none found\n"
    lines = ["shifts:"]
    lines += [f"  {s.describe()}" for s in shifts]
    return "\n".join(lines) + "\n"
