"""Change points of dyad series: synthetic levels with noise, empty periods, plotting."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from detente.analysis.changepoints import Shift, detect_shifts, format_shifts, segment
from detente.analysis.plot import plot_series
from detente.errors import ConfigError
from detente.records import DyadPoint


def point(period: dt.date, n: int, mean: float | None) -> DyadPoint:
    """A period with ``n`` events of average Goldstein ``mean`` (coop when mean > 0)."""
    if n == 0:
        return DyadPoint(period, 0, 0, 0, 0, 0, 0.0, None, None)
    coop = round(n * min(max((mean + 10) / 20, 0.0), 1.0))
    return DyadPoint(period, n, coop, 0, n - coop, 0, n * mean, mean, coop / n if n else None)


def yearly(levels: list[float], *, seed: int = 0, noise: float = 0.8) -> list[DyadPoint]:
    rng = np.random.default_rng(seed)
    return [
        point(dt.date(1990 + i, 1, 1), int(rng.integers(2, 12)), level + rng.normal(0, noise))
        for i, level in enumerate(levels)
    ]


def months(start: dt.date, count: int) -> list[dt.date]:
    return [
        dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        for i in range(count)
    ]


def test_short_yearly_series_finds_the_drop_and_the_rise():
    points = yearly([3.0] * 12 + [-3.5] * 10 + [2.5] * 8)
    shifts = detect_shifts(points)
    assert [(s.date.year, s.kind) for s in shifts] == [
        (2002, "deterioration"),
        (2012, "rapprochement"),
    ]
    drop, rise = shifts
    assert drop.before_mean > 2 and drop.after_mean < -2.5
    assert drop.magnitude == pytest.approx(drop.before_mean - drop.after_mean)
    assert rise.before_mean == drop.after_mean
    assert rise.after_mean > 1.5


def test_long_monthly_series_with_empty_months():
    rng = np.random.default_rng(7)
    dates = months(dt.date(1995, 1, 1), 360)
    points = []
    for i, day in enumerate(dates):
        level = 2.0 if i < 140 else (-3.0 if i < 250 else 1.5)
        n = 0 if rng.random() < 0.3 else int(rng.integers(1, 25))
        points.append(
            point(day, n, level + rng.normal(0, 1.5 / np.sqrt(max(n, 1))) + rng.normal(0, 0.5))
        )
    shifts = detect_shifts(points)
    assert [s.kind for s in shifts] == ["deterioration", "rapprochement"]
    assert abs((shifts[0].date - dates[140]).days) <= 62
    assert abs((shifts[1].date - dates[250]).days) <= 62


def test_flat_noise_has_no_shift():
    assert detect_shifts(yearly([1.0] * 40, seed=3)) == []


def test_quiet_periods_are_not_read_as_neutral():
    # conflict, twenty silent years, conflict again: no rapprochement in the silence
    points = [point(dt.date(1980 + i, 1, 1), 3, -4.0 + 0.3 * (i % 2)) for i in range(5)]
    points += [point(dt.date(1985 + i, 1, 1), 0, None) for i in range(20)]
    points += [point(dt.date(2005 + i, 1, 1), 4, -4.2 + 0.3 * (i % 2)) for i in range(5)]
    assert detect_shifts(points) == []


def test_shift_after_a_gap_is_dated_at_the_first_period_with_events():
    points = [point(dt.date(2000 + i, 1, 1), 5, -5.0 + 0.2 * (i % 3)) for i in range(6)]
    points += [point(dt.date(2006 + i, 1, 1), 0, None) for i in range(3)]
    points += [point(dt.date(2009 + i, 1, 1), 5, 4.0 + 0.2 * (i % 3)) for i in range(6)]
    (shift,) = detect_shifts(points)
    assert shift.date == dt.date(2009, 1, 1)
    assert shift.kind == "rapprochement"


def test_other_signals():
    points = yearly([3.0] * 10 + [-4.0] * 10, seed=2)
    for signal in ("cooperation_share", "goldstein_sum"):
        (shift,) = detect_shifts(points, signal=signal)
        assert (shift.date.year, shift.kind, shift.signal) == (2000, "deterioration", signal)


def test_penalty_and_min_size():
    points = yearly([3.0] * 10 + [-4.0] * 10 + [3.0] * 10, seed=4)
    assert detect_shifts(points, penalty=1e9) == []
    assert len(detect_shifts(points, penalty=0.0)) > 2  # every wiggle is a level
    # a single odd year is a level of its own only when min_size allows it
    spike = yearly([2.0] * 12, seed=5)
    spike[5] = point(spike[5].period, 6, -9.0)
    wide = detect_shifts(spike, min_size=3)
    years = [1990, *(s.date.year for s in wide), 2002]
    assert wide and all(b - a >= 3 for a, b in zip(years, years[1:], strict=False))
    assert [(s.date.year, s.kind) for s in detect_shifts(spike, min_size=1)] == [
        (1995, "deterioration"),
        (1996, "rapprochement"),
    ]


def test_short_and_empty_series():
    assert detect_shifts([]) == []
    assert detect_shifts(yearly([1.0, -5.0, 3.0])) == []
    assert detect_shifts([point(dt.date(2000, 1, 1), 0, None)] * 5) == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"min_size": 0},
        {"min_size": True},
        {"penalty": -1.0},
        {"penalty": float("nan")},
        {"signal": "tone"},
    ],
)
def test_bad_arguments(kwargs):
    with pytest.raises(ConfigError):
        detect_shifts(yearly([1.0] * 6), **kwargs)


def test_segment_is_exact_on_a_clean_step():
    x = np.array([0.0] * 5 + [10.0] * 5)
    assert segment(x, np.ones(10), beta=1.0, min_size=2) == [5, 10]


def test_records_and_text():
    shift = Shift(dt.date(2019, 1, 1), "deterioration", 1.234, -2.5, 3.734)
    assert shift.to_dict() == {
        "date": "2019-01-01",
        "kind": "deterioration",
        "before_mean": 1.234,
        "after_mean": -2.5,
        "magnitude": 3.734,
        "signal": "goldstein_mean",
    }
    assert "2019-01-01  deterioration" in format_shifts([shift])
    assert format_shifts([]) == "shifts: none found\n"


def test_plot_marks_shifts(tmp_path):
    points = yearly([3.0] * 10 + [-4.0] * 10 + [3.0] * 5)
    shifts = detect_shifts(points)
    png = plot_series(points, tmp_path / "s.png", "with shifts", shifts=shifts)
    assert png.stat().st_size > 1000
    svg = plot_series(points, tmp_path / "s.svg", "with shifts", shifts=shifts).read_text()
    assert "deterioration 2000-01-01" in svg and "rapprochement 2010-01-01" in svg
    # the old call keeps working
    assert plot_series(points, tmp_path / "plain.png").exists()
