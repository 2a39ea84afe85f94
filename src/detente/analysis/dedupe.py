"""Deduplicated events: one row per event however many stories report it.

The store keeps every mention in ``events`` (the raw rows stay queryable) and offers the
``deduped_events`` view (schema version 2) that folds mentions together: occurred
events (modality asserted or reported) on the same day (event date, else the date of
the story — of the original story for a near-duplicate copy), with the same source and
target actor codes and the same CAMEO code, are one event. Like GDELT's NumMentions,
NumSources and NumArticles it counts all mentions, distinct story sources and distinct
stories. A near-duplicate story (``stories.duplicate_of``, see
:func:`detente.store.near_duplicates.mark_near_duplicates`) counts as an article, but
its events fold into its original's, so a series counts the event once.

Why a view rather than a table: it is never stale (re-ingesting, replacing a story or
marking duplicates is seen at once, with nothing to refresh on ingest), DuckDB's GROUP BY
over the events table is cheap, and anyone holding the DuckDB file can query it in SQL
(exports, the server). Changing its definition needs a migration (CREATE OR REPLACE VIEW).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from detente.errors import ConfigError
from detente.records import DyadPoint
from detente.store.eventstore import (
    EVENT_SELECT_SQL,
    EventStore,
    as_date,
    dyad_condition,
    event_dict_from_row,
    paging_sql,
)

DEDUPE_FIELDS = (
    "dedup_id",
    "num_mentions",
    "num_sources",
    "num_articles",
    "num_original_articles",
    "mention_ids",
    "story_ids",
)


def _where(
    dyad: tuple[str, str] | None,
    directed: bool,
    since: dt.date | str | None,
    until: dt.date | str | None,
) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if dyad is not None:
        if isinstance(dyad, str) or len(dyad) != 2:
            raise ConfigError(f"dyad must be a pair of country codes, got {dyad!r}")
        sql, p = dyad_condition(dyad[0], dyad[1], directed=directed, alias="e")
        where.append(sql)
        params += p
    start = as_date(since, "since")
    end = as_date(until, "until")
    if start is not None:
        where.append("d.date >= ?")
        params.append(start)
    if end is not None:
        where.append("d.date <= ?")
        params.append(end)
    return where, params


def deduplicated_events(
    store: EventStore,
    dyad: tuple[str, str] | None = None,
    directed: bool = False,
    *,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Deduplicated events, oldest first (undated last).

    Each record has the event-record contract fields of its representative mention
    (from an original story before a copy, then the earliest story, then the most
    confident mention), with ``date`` the day the event was grouped on, plus
    ``dedup_id``, ``num_mentions``, ``num_sources``, ``num_articles`` (stories, copies
    included), ``num_original_articles`` (stories that are not near-duplicates of
    another story counted here), ``mention_ids`` (the raw ``event_id`` values, oldest
    story first) and ``story_ids``. ``since``/``until`` are inclusive bounds on that
    day; undated events are left out when either is given.
    """
    where, params = _where(dyad, directed, since, until)
    sql = (
        f"SELECT {EVENT_SELECT_SQL}, d.date, {', '.join('d.' + f for f in DEDUPE_FIELDS)} "
        "FROM deduped_events d JOIN events e ON e.event_id = d.event_id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY d.date NULLS LAST, d.source NULLS LAST, d.target NULLS LAST, d.cameo,"
        " d.dedup_id"
    )
    sql += paging_sql(limit, offset, params)
    out = []
    width = len(EVENT_SELECT_SQL.split(", "))
    for row in store.query(sql, params):
        record = event_dict_from_row(row[:width])
        day = row[width]
        record["date"] = day.isoformat() if day is not None else None
        for name, value in zip(DEDUPE_FIELDS, row[width + 1 :], strict=True):
            record[name] = list(value) if isinstance(value, (list, tuple)) else value
        out.append(record)
    return out


def deduplicated_series(
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
    """Like :func:`detente.analysis.dyad.dyad_series`, counting each deduplicated event once."""
    from detente.analysis.dyad import FREQUENCIES, series_from_events

    if freq not in FREQUENCIES:
        raise ConfigError(f"freq must be one of {', '.join(FREQUENCIES)}, got {freq!r}")
    part, step = FREQUENCIES[freq]
    where, params = _where((a, b), directed, since, until)
    where.append("d.date IS NOT NULL")
    ev_sql = f"""
        SELECT CAST(date_trunc('{part}', d.date) AS DATE) AS period,
               e.quad_class AS q, e.goldstein AS g
        FROM deduped_events d JOIN events e ON e.event_id = d.event_id
        WHERE {" AND ".join(where)}
    """
    return series_from_events(store, ev_sql, params, step, include_empty)
