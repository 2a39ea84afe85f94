"""Dyad series: how two countries' interactions move between cooperation and conflict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from detente.errors import ConfigError
from detente.records import DyadPoint
from detente.store.eventstore import (
    EVENT_DATE_SQL,
    OCCURRED_MODALITIES,
    EventStore,
    as_date,
    dyad_condition,
)

# freq -> (date_trunc part, the step between periods). Both are fixed SQL text chosen
# from this table, never taken from the caller.
FREQUENCIES: dict[str, tuple[str, str]] = {
    "day": ("day", "INTERVAL 1 DAY"),
    "week": ("week", "INTERVAL 1 WEEK"),  # ISO weeks: the period is the Monday
    "month": ("month", "INTERVAL 1 MONTH"),
    "year": ("year", "INTERVAL 1 YEAR"),
}


def dyad_series(
    store: EventStore,
    a: str,
    b: str,
    *,
    freq: str = "month",
    directed: bool = False,
    include_empty: bool = True,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
) -> list[DyadPoint]:
    """Per-period counts of the events between countries ``a`` and ``b``.

    Only events that occurred count (modality asserted or reported). An event is dated
    by its own date, else its story's; undated events are left out. ``events`` counts
    every occurred event, neutral ones (quad class 0) included; the four quad columns
    count classes 1-4. ``directed`` keeps a→b only. ``include_empty`` adds zero rows for
    periods without events between the first and the last period that has some.
    """
    if freq not in FREQUENCIES:
        raise ConfigError(f"freq must be one of {', '.join(FREQUENCIES)}, got {freq!r}")
    part, step = FREQUENCIES[freq]
    dyad_sql, params = dyad_condition(a, b, directed=directed)
    where = [
        f"e.modality IN ({', '.join('?' for _ in OCCURRED_MODALITIES)})",
        f"{EVENT_DATE_SQL} IS NOT NULL",
        dyad_sql,
    ]
    all_params: list[object] = [*OCCURRED_MODALITIES, *params]
    start = as_date(since, "since")
    end = as_date(until, "until")
    if start is not None:
        where.append(f"{EVENT_DATE_SQL} >= ?")
        all_params.append(start)
    if end is not None:
        where.append(f"{EVENT_DATE_SQL} <= ?")
        all_params.append(end)

    ev_sql = f"""
        SELECT CAST(date_trunc('{part}', {EVENT_DATE_SQL}) AS DATE) AS period,
               e.quad_class AS q, e.goldstein AS g
        FROM events e LEFT JOIN stories s ON s.id = e.story_id
        WHERE {" AND ".join(where)}
    """
    return series_from_events(store, ev_sql, all_params, step, include_empty)


def series_from_events(
    store: EventStore, ev_sql: str, params: Sequence[object], step: str, include_empty: bool
) -> list[DyadPoint]:
    """Aggregate a query of ``(period, q, g)`` rows (quad class, Goldstein) into points."""
    sql = f"""
        WITH ev AS ({ev_sql}),
        agg AS (
            SELECT period,
                   count(*) AS n,
                   count(*) FILTER (WHERE q = 1) AS q1,
                   count(*) FILTER (WHERE q = 2) AS q2,
                   count(*) FILTER (WHERE q = 3) AS q3,
                   count(*) FILTER (WHERE q = 4) AS q4,
                   coalesce(sum(g), 0.0) AS gsum,
                   avg(g) AS gmean
            FROM ev GROUP BY period
        )
    """
    if include_empty:
        sql += f"""
        , periods AS (
            SELECT CAST(unnest(generate_series(
                CAST(min(period) AS TIMESTAMP), CAST(max(period) AS TIMESTAMP), {step}
            )) AS DATE) AS period
            FROM agg
        )
        SELECT p.period, coalesce(a.n, 0), coalesce(a.q1, 0), coalesce(a.q2, 0),
               coalesce(a.q3, 0), coalesce(a.q4, 0), coalesce(a.gsum, 0.0), a.gmean
        FROM periods p LEFT JOIN agg a ON a.period = p.period
        ORDER BY p.period
        """
    else:
        sql += "SELECT period, n, q1, q2, q3, q4, gsum, gmean FROM agg ORDER BY period"
    points = []
    for period, n, q1, q2, q3, q4, gsum, gmean in store.query(sql, list(params)):
        quads = q1 + q2 + q3 + q4
        points.append(
            DyadPoint(
                period=period,
                events=int(n),
                verbal_cooperation=int(q1),
                material_cooperation=int(q2),
                verbal_conflict=int(q3),
                material_conflict=int(q4),
                goldstein_sum=float(gsum),
                goldstein_mean=None if gmean is None else float(gmean),
                cooperation_share=(q1 + q2) / quads if quads else None,
            )
        )
    return points


_HEADERS = (
    "period",
    "events",
    "verb.coop",
    "mat.coop",
    "verb.confl",
    "mat.confl",
    "gold.sum",
    "gold.mean",
    "coop.share",
)


def format_series_table(points: Sequence[DyadPoint]) -> str:
    """A plain-text table, one row per period, numbers right-aligned; '-' for none."""
    rows = [
        (
            p.period.isoformat(),
            str(p.events),
            str(p.verbal_cooperation),
            str(p.material_cooperation),
            str(p.verbal_conflict),
            str(p.material_conflict),
            f"{p.goldstein_sum:.2f}",
            "-" if p.goldstein_mean is None else f"{p.goldstein_mean:.2f}",
            "-" if p.cooperation_share is None else f"{p.cooperation_share:.3f}",
        )
        for p in points
    ]
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(_HEADERS)]

    def line(cells: Sequence[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    out = [line(_HEADERS), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    if not rows:
        out.append("(no events)")
    return "\n".join(out) + "\n"
