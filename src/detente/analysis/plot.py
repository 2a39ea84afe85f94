"""Draw a dyad series: cooperation above the axis, conflict below, net Goldstein as a line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..records import DyadPoint

if TYPE_CHECKING:
    from .changepoints import Shift

PLOT_SUFFIXES = (".png", ".svg")
SHIFT_COLOURS = {"rapprochement": "#2f9e44", "deterioration": "#e8590c"}


def plot_series(
    points: Sequence[DyadPoint],
    path: Path,
    title: str = "",
    shifts: Sequence[Shift] | None = None,
) -> Path:
    """Draw the series to ``path`` (.png or .svg); ``shifts`` become labelled vertical lines."""
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise ConfigError(f"chart file must end in .png or .svg, not {path.name!r}")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path.parent.mkdir(parents=True, exist_ok=True)
    dates = [p.period for p in points]
    coop = [p.verbal_cooperation + p.material_cooperation for p in points]
    conflict = [-(p.verbal_conflict + p.material_conflict) for p in points]
    net = [p.goldstein_sum for p in points]
    fig, ax = plt.subplots(figsize=(11, 4.5), dpi=110)
    width = _bar_width(points)
    ax.bar(dates, coop, width=width, color="#2b8a3e", label="cooperative events")
    ax.bar(dates, conflict, width=width, color="#c92a2a", label="conflictual events (below 0)")
    ax.axhline(0, color="#555", linewidth=0.8)
    ax.set_ylabel("events per period")
    line_ax = ax.twinx()
    line_ax.plot(
        dates,
        net,
        color="#1c3d7a",
        linewidth=1.4,
        marker="o",
        markersize=2.5,
        label="net Goldstein",
    )
    line_ax.set_ylabel("net Goldstein (sum)")
    handles = ax.get_legend_handles_labels()[0] + line_ax.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + line_ax.get_legend_handles_labels()[1]
    ax.legend(handles, labels, loc="upper left", fontsize=8)
    for shift in shifts or ():
        _mark_shift(ax, shift, width)
    ax.set_title(title or "dyad series")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _mark_shift(ax, shift: Shift, bar_width: float) -> None:
    """A dashed line between the last period of the old level and the first of the new."""
    colour = SHIFT_COLOURS.get(shift.kind, "#495057")
    where = shift.date - dt.timedelta(days=bar_width / 0.8 / 2)
    ax.axvline(where, color=colour, linestyle="--", linewidth=1.2, zorder=0.5)
    ax.annotate(
        f"{shift.kind} {shift.date.isoformat()}",
        xy=(where, 0.98),
        xycoords=("data", "axes fraction"),
        xytext=(3, 0),
        textcoords="offset points",
        rotation=90,
        va="top",
        ha="left",
        fontsize=7.5,
        color=colour,
    )


def _bar_width(points: Sequence[DyadPoint]) -> float:
    if len(points) < 2:
        return 20.0
    gaps = [(b.period - a.period).days for a, b in zip(points, points[1:], strict=False)]
    return max(1.0, min(gaps) * 0.8)
