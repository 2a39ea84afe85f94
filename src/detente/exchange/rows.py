"""Reading stored events (with their story's date and url) for the exports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import duckdb

from detente.errors import ConfigError, StoreError
from detente.store.eventstore import EVENT_DATE_SQL, EventStore, as_date, dyad_condition
from detente.store.schema import EVENT_COLUMNS

# Same order as EventStore.events(): story date, story, sentence, predicate.
ORDER_SQL = (
    "s.date NULLS LAST, e.story_id, e.sentence_index, e.predicate_start NULLS LAST, "
    "e.event_index, e.event_id"
)
STORY_FIELDS = ("story_url", "story_date", "story_ingested_at")
# GDELT-style counts of the store's deduped_events view (schema version 2), where the
# store has it; exported as 1 otherwise.
MENTION_COLUMNS = ("num_mentions", "num_sources", "num_articles")
DEDUP_VIEW = "deduped_events"

FETCH_SIZE = 2_000


def has_dedup_view(store: EventStore) -> bool:
    rows = store.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
        "AND table_schema = 'main' AND table_catalog = current_database()",
        [DEDUP_VIEW],
    )
    return bool(rows[0][0])


def source_sql(
    store: EventStore,
    *,
    dyad: tuple[str, str] | list[str] | None = None,
    directed: bool = False,
    since: dt.date | str | None = None,
    until: dt.date | str | None = None,
    dedupe: bool = False,
) -> tuple[str, list[Any], bool]:
    """``FROM ... WHERE ...`` for the export filters, its parameters, and whether the
    mention counts (``d.num_mentions`` ...) are available.

    ``dedupe`` keeps one event per deduplicated event of the ``deduped_events`` view
    (occurred events only), as GDELT does; ConfigError when the store lacks the view.
    """
    where: list[str] = []
    params: list[Any] = []
    if dyad is not None:
        if isinstance(dyad, str) or len(dyad) != 2:
            raise ConfigError(f"dyad must be a pair of country codes, got {dyad!r}")
        sql, p = dyad_condition(dyad[0], dyad[1], directed=directed)
        where.append(sql)
        params += p
    start = as_date(since, "since")
    end = as_date(until, "until")
    if start is not None and end is not None and start > end:
        raise ConfigError(f"since ({start}) is after until ({end})")
    if start is not None:
        where.append(f"{EVENT_DATE_SQL} >= ?")
        params.append(start)
    if end is not None:
        where.append(f"{EVENT_DATE_SQL} <= ?")
        params.append(end)
    counts = has_dedup_view(store)
    if dedupe and not counts:
        raise ConfigError(f"{store.path}: this store has no {DEDUP_VIEW} view to dedupe with")
    sql = "FROM events e LEFT JOIN stories s ON s.id = e.story_id"
    if counts:
        sql += f" LEFT JOIN {DEDUP_VIEW} d ON d.event_id = e.event_id"
    if dedupe:
        where.append("d.event_id IS NOT NULL")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql, params, counts


def iter_event_rows(store: EventStore, **filters: Any) -> Iterator[dict[str, Any]]:
    """Stored events as flat dicts: every ``events`` column, the story's url, date and
    ingestion time, and the mention counts where the store has them."""
    base, params, counts = source_sql(store, **filters)
    names = [name for name, _ in EVENT_COLUMNS]
    extra = list(MENTION_COLUMNS) if counts else []
    select = ", ".join(
        [f"e.{n}" for n in names]
        + [f"d.{n}" for n in extra]
        + ["s.url AS story_url", "s.date AS story_date", "s.ingested_at AS story_ingested_at"]
    )
    sql = f"SELECT {select} {base} ORDER BY {ORDER_SQL}"
    keys = names + extra + list(STORY_FIELDS)
    try:
        cursor = store.con.cursor()
        try:
            cursor.execute(sql, params)
            while True:
                batch = cursor.fetchmany(FETCH_SIZE)
                if not batch:
                    break
                for row in batch:
                    yield dict(zip(keys, row, strict=True))
        finally:
            cursor.close()
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: reading events failed: {exc}") from exc


def span(start: int | None, end: int | None) -> list[int] | None:
    if start is None and end is None:
        return None
    return [start, end]


def location_of(row: dict[str, Any]) -> dict[str, Any] | None:
    if row["location_name"] is None:
        return None
    return {
        "name": row["location_name"],
        "country": row["location_country"],
        "lat": row["location_lat"],
        "lon": row["location_lon"],
        "fips": row["location_fips"],
        "admin1": row["location_admin1"],
        "precision": row["location_precision"],
    }


def contract_record(row: dict[str, Any]) -> dict[str, Any]:
    """The Event.to_dict() record of a stored row (as EventStore.events() gives it)."""
    context = row["plover_context"]
    return {
        "story_id": row["story_id"],
        "sentence_index": row["sentence_index"],
        "sentence": row["sentence"],
        "source": row["source"],
        "target": row["target"],
        "source_text": row["source_text"],
        "target_text": row["target_text"],
        "source_country": row["source_country"],
        "target_country": row["target_country"],
        "cameo": row["cameo"],
        "cameo_name": row["cameo_name"],
        "root": row["root"],
        "quad_class": row["quad_class"],
        "goldstein": row["goldstein"],
        "plover": row["plover"],
        "plover_mode": row["plover_mode"],
        "plover_context": list(context) if context is not None else [],
        "modality": row["modality"],
        "confidence": row["confidence"],
        "date": row["date"].isoformat() if row["date"] is not None else None,
        "location": location_of(row),
        "evidence": {
            "source": span(row["source_start"], row["source_end"]),
            "predicate": span(row["predicate_start"], row["predicate_end"]),
            "target": span(row["target_start"], row["target_end"]),
        },
    }


def event_date(row: dict[str, Any]) -> dt.date | None:
    """The event's date, else its story's (the date the dyad series uses)."""
    return row["date"] if row["date"] is not None else row["story_date"]


# SQL giving the contract columns, for COPY ... TO parquet.
CONTRACT_SQL = """
    e.story_id, e.sentence_index, e.sentence, e.source, e.target, e.source_text,
    e.target_text, e.source_country, e.target_country, e.cameo, e.cameo_name, e.root,
    e.quad_class, e.goldstein, e.plover, e.plover_mode,
    coalesce(e.plover_context, []::VARCHAR[]) AS plover_context,
    e.modality, e.confidence, e.date,
    CASE WHEN e.location_name IS NULL THEN NULL ELSE struct_pack(
        name := e.location_name, country := e.location_country, lat := e.location_lat,
        lon := e.location_lon, fips := e.location_fips, admin1 := e.location_admin1,
        "precision" := e.location_precision) END AS location,
    struct_pack(
        source := CASE WHEN e.source_start IS NULL AND e.source_end IS NULL THEN NULL
                  ELSE [e.source_start, e.source_end] END,
        predicate := CASE WHEN e.predicate_start IS NULL AND e.predicate_end IS NULL
                     THEN NULL ELSE [e.predicate_start, e.predicate_end] END,
        target := CASE WHEN e.target_start IS NULL AND e.target_end IS NULL THEN NULL
                  ELSE [e.target_start, e.target_end] END) AS evidence
"""
