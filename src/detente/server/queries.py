"""Queries the API needs beyond what :class:`EventStore` offers.

Every value that comes from a request is passed as a parameter; the SQL text is built
only from fixed fragments chosen in this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from detente.store import EventStore
from detente.store.eventstore import (
    EVENT_DATE_SQL,
    EVENT_ORDER_SQL,
    EVENT_SELECT_SQL,
    OCCURRED_MODALITIES,
    dyad_condition,
    event_dict_from_row,
)

_FROM = " FROM events e LEFT JOIN stories s ON s.id = e.story_id"
_EXTRA = "e.event_id, e.predicate, s.title, s.url, s.date, s.source"
_EXTRA_COUNT = 6


@dataclass(slots=True)
class EventFilter:
    """Filters of the event list; None (or empty) leaves a filter out."""

    a: str | None = None
    b: str | None = None
    directed: bool = False
    actor: str | None = None
    country: str | None = None
    cameo: str | None = None
    root: str | None = None
    plover: str | None = None
    quad_class: list[int] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    occurred: bool = False
    since: dt.date | None = None
    until: dt.date | None = None
    story_id: str | None = None
    q: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        if self.a is not None and self.b is not None:
            sql, p = dyad_condition(self.a, self.b, directed=self.directed)
            parts.append(sql)
            params += p
        if self.actor is not None:
            parts.append("(e.source = ? OR e.target = ?)")
            params += [self.actor, self.actor]
        if self.country is not None:
            parts.append(
                "(e.source_country = ? OR starts_with(e.source, ?) "
                "OR e.target_country = ? OR starts_with(e.target, ?))"
            )
            params += [self.country] * 4
        if self.cameo is not None:
            parts.append("e.cameo = ?")
            params.append(self.cameo)
        if self.root is not None:
            parts.append("e.root = ?")
            params.append(self.root)
        if self.plover is not None:
            parts.append("upper(e.plover) = ?")
            params.append(self.plover.upper())
        if self.quad_class:
            parts.append("e.quad_class = ANY(?)")
            params.append(list(self.quad_class))
        if self.modality:
            parts.append("e.modality = ANY(?)")
            params.append(list(self.modality))
        if self.occurred:
            parts.append("e.modality = ANY(?)")
            params.append(list(OCCURRED_MODALITIES))
        if self.since is not None:
            parts.append(f"{EVENT_DATE_SQL} >= ?")
            params.append(self.since)
        if self.until is not None:
            parts.append(f"{EVENT_DATE_SQL} <= ?")
            params.append(self.until)
        if self.story_id is not None:
            parts.append("e.story_id = ?")
            params.append(self.story_id)
        if self.q:
            parts.append("contains(lower(e.sentence), lower(?))")
            params.append(self.q)
        return (" WHERE " + " AND ".join(parts) if parts else ""), params


def _item(row: tuple[Any, ...]) -> dict[str, Any]:
    event_id, predicate, title, url, story_date, source = row[:_EXTRA_COUNT]
    record = event_dict_from_row(row[_EXTRA_COUNT:])
    return {
        "event_id": event_id,
        **record,
        "predicate": predicate,
        "story": {
            "id": record["story_id"],
            "title": title,
            "url": url,
            "date": story_date.isoformat() if story_date is not None else None,
            "source": source,
        },
    }


def list_events(
    store: EventStore, flt: EventFilter, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of events (records plus id, predicate and story) and the total."""
    where, params = flt.where()
    total = store.query("SELECT count(*)" + _FROM + where, params)[0][0]
    # Sort narrow rows to find the page, then fetch the page's wide rows: on a large
    # store this is several times faster than sorting the wide rows.
    ids = [
        row[0]
        for row in store.query(
            f"SELECT e.event_id{_FROM}{where} ORDER BY {EVENT_ORDER_SQL} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    ]
    if not ids:
        return [], int(total)
    rows = store.query(
        f"WITH page AS (SELECT unnest(?::VARCHAR[]) AS id) SELECT {_EXTRA}, {EVENT_SELECT_SQL} "
        "FROM page JOIN events e ON e.event_id = page.id "
        "LEFT JOIN stories s ON s.id = e.story_id",
        [ids],
    )
    position = {event_id: i for i, event_id in enumerate(ids)}
    rows.sort(key=lambda row: position[row[0]])
    return [_item(row) for row in rows], int(total)


def get_event(store: EventStore, event_id: str) -> dict[str, Any] | None:
    """One event with its full provenance, or None."""
    rows = store.query(
        f"SELECT {_EXTRA}, {EVENT_SELECT_SQL}, s.origin, x.start_char, e.origin"
        f"{_FROM} LEFT JOIN sentences x "
        "ON x.story_id = e.story_id AND x.sentence_index = e.sentence_index "
        "WHERE e.event_id = ?",
        [event_id],
    )
    if not rows:
        return None
    row = rows[0]
    item = _item(row[:-3])
    story_origin, start_char, coded_by = row[-3:]
    item["story"]["origin"] = story_origin
    item["sentence_start_char"] = start_char
    item["coded_by"] = coded_by
    sentence = item["sentence"] or ""
    item["highlights"] = {
        role: sentence[span[0] : span[1]]
        if span and span[0] is not None and span[1] is not None
        else None
        for role, span in item["evidence"].items()
    }
    item["actors"] = [
        {
            "role": role,
            "code": code,
            "country": country,
            "sector": sector,
            "name": name,
            "secondary": list(secondary or []),
        }
        for role, code, country, sector, name, secondary in store.query(
            "SELECT role, code, country, sector, name, secondary FROM actors "
            "WHERE event_id = ? ORDER BY role DESC",
            [event_id],
        )
    ]
    return item


def top_dyads(store: EventStore, *, limit: int, directed: bool) -> list[dict[str, Any]]:
    """Country pairs with the most events (events whose two countries are known)."""
    if directed:
        pair = "e.source_country AS a, e.target_country AS b"
    else:
        pair = (
            "least(e.source_country, e.target_country) AS a, "
            "greatest(e.source_country, e.target_country) AS b"
        )
    rows = store.query(
        f"SELECT {pair}, count(*) AS n, "
        "count(*) FILTER (WHERE e.quad_class IN (1, 2)), "
        "count(*) FILTER (WHERE e.quad_class IN (3, 4)), "
        "coalesce(sum(e.goldstein), 0.0) "
        "FROM events e WHERE e.source_country IS NOT NULL AND e.target_country IS NOT NULL "
        "AND e.source_country <> e.target_country "
        "GROUP BY 1, 2 ORDER BY n DESC, a, b LIMIT ?",
        [limit],
    )
    return [
        {
            "a": a,
            "b": b,
            "events": int(n),
            "cooperation": int(coop),
            "conflict": int(conf),
            "goldstein_sum": round(float(gsum), 2),
        }
        for a, b, n, coop, conf, gsum in rows
    ]


def countries(store: EventStore) -> list[tuple[str, int]]:
    """Countries named as source or target of some event, with their event counts."""
    return [
        (code, int(n))
        for code, n in store.query(
            "SELECT c, count(*) AS n FROM ("
            "SELECT source_country AS c FROM events UNION ALL "
            "SELECT target_country AS c FROM events) "
            "WHERE c IS NOT NULL GROUP BY c ORDER BY n DESC, c"
        )
    ]


def story_total(store: EventStore) -> int:
    return int(store.query("SELECT count(*) FROM stories")[0][0])


def story_events(store: EventStore, story_id: str) -> list[dict[str, Any]]:
    items, _ = list_events(store, EventFilter(story_id=story_id), limit=1_000_000, offset=0)
    return items
