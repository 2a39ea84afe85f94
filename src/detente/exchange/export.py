"""Exporting stored events: GDELT 2.0 event table, PLOVER JSONL, CSV, JSONL, Parquet.

- ``gdelt``: the 61 tab-separated columns of the GDELT 2.0 event table, no header
  line unless ``header=True`` (see :mod:`detente.exchange.gdelt` for how each column
  is filled). Events with neither an event date nor a story date are left out, and
  so are events that did not occur (modality negated, hypothetical or future): a GDELT
  row has no modality, and its readers take every row as an event that happened.
- ``plover``: one PLOVER record per event (``id``, ``date``, ``actor``,
  ``actor_country``, ``recipient``, ``recipient_country``, ``event``, ``mode``,
  ``context``, ``event_text``, ``story_id``, ``source_text``, ``target_text``,
  ``location``, ``confidence``, ``cameo``). CAMEO 01/02 statements have no PLOVER type
  and are left out; so are events that did not occur, as for GDELT.
- ``csv``/``jsonl``: the event-record contract (Event.to_dict()); in CSV the nested
  fields (``plover_context``, ``location``, ``evidence``) are JSON strings.
- ``parquet``: the contract with nested fields as Parquet lists and structs, written by
  DuckDB; needs a file path.

Filters: ``dyad=(A, B)`` (undirected unless ``directed``), ``since``/``until`` on the
event date, else the story date (inclusive), ``dedupe`` (one event per deduplicated
event of the store's ``deduped_events`` view).
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb

from detente.errors import ConfigError, StoreError
from detente.exchange.codes import CodeTables
from detente.exchange.gdelt import GDELT_COLUMNS, gdelt_row
from detente.exchange.rows import (
    CONTRACT_SQL,
    ORDER_SQL,
    contract_record,
    event_date,
    iter_event_rows,
    location_of,
    source_sql,
)
from detente.records import EVENT_FIELDS
from detente.store.eventstore import OCCURRED_MODALITIES, EventStore

EXPORT_FORMATS = ("gdelt", "plover", "csv", "parquet", "jsonl")

PLOVER_FIELDS = (
    "id",
    "date",
    "actor",
    "actor_country",
    "recipient",
    "recipient_country",
    "event",
    "mode",
    "context",
    "event_text",
    "story_id",
    "source_text",
    "target_text",
    "location",
    "confidence",
    "cameo",
)


@dataclass(slots=True)
class ExportReport:
    """What one export wrote and what it left out, and why."""

    written: int = 0
    undated: int = 0  # gdelt: events with no event or story date
    no_plover: int = 0  # plover: CAMEO 01/02 statements, which PLOVER does not code
    not_occurred: int = 0  # gdelt/plover: negated, hypothetical or future events

    def messages(self) -> list[str]:
        out = []
        if self.undated:
            out.append(f"left out {self.undated} events with no date (GDELT rows need one)")
        if self.not_occurred:
            out.append(
                f"left out {self.not_occurred} events that did not occur (negated, "
                "hypothetical or future): these rows have no modality field"
            )
        if self.no_plover:
            out.append(
                f"left out {self.no_plover} events with no PLOVER type (CAMEO 01/02 statements)"
            )
        return out


def plover_record(row: dict[str, Any]) -> dict[str, Any]:
    day = event_date(row)
    context = row["plover_context"]
    return {
        "id": row["event_id"],
        "date": day.isoformat() if day is not None else None,
        "actor": row["source"],
        "actor_country": row["source_country"],
        "recipient": row["target"],
        "recipient_country": row["target_country"],
        "event": row["plover"],
        "mode": row["plover_mode"],
        "context": list(context) if context is not None else [],
        "event_text": row["sentence"],
        "story_id": row["story_id"],
        "source_text": row["source_text"],
        "target_text": row["target_text"],
        "location": location_of(row),
        "confidence": row["confidence"],
        "cameo": row["cameo"],
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@contextmanager
def _target(stream_or_path: TextIO | str | os.PathLike[str]) -> Iterator[TextIO]:
    if isinstance(stream_or_path, str | os.PathLike):
        path = Path(stream_or_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            handle = path.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot write: {exc.strerror}") from exc
        with handle:
            yield handle
    else:
        yield stream_or_path


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _export_parquet(
    store: EventStore, path: str | os.PathLike[str], filters: dict[str, Any]
) -> int:
    base, params, _ = source_sql(store, **filters)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        store.con.execute(
            f"COPY (SELECT {CONTRACT_SQL} {base} ORDER BY {ORDER_SQL}) "
            f"TO {_sql_string(str(target))} (FORMAT parquet)",
            params,
        )
        row = store.con.execute(f"SELECT count(*) {base}", params).fetchone()
    except duckdb.Error as exc:
        raise StoreError(f"{target}: writing parquet failed: {exc}") from exc
    return int(row[0]) if row else 0


def export_events(
    store: EventStore,
    fmt: str,
    stream_or_path: TextIO | str | os.PathLike[str],
    *,
    dyad: tuple[str, str] | list[str] | None = None,
    directed: bool = False,
    since: Any = None,
    until: Any = None,
    header: bool = False,
    dedupe: bool = False,
    report: ExportReport | None = None,
    codes: CodeTables | None = None,
) -> int:
    """Write the store's events in ``fmt`` to a text stream or a file path.

    Returns the number of events written; ``report`` (optional) also receives the
    counts of events left out. ``header`` adds the column names to GDELT output.
    ``codes``: the code tables GDELT output is coded with (loaded here if not given).
    ``dedupe`` writes one event per deduplicated event (the store's ``deduped_events``
    view: same day, actors and CAMEO code), whose mention counts fill GDELT's
    NumMentions/NumSources/NumArticles; without it every stored event is written and
    only the representative of each group carries counts above 1.
    """
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(
            f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})"
        )
    report = report if report is not None else ExportReport()
    filters = {
        "dyad": dyad,
        "directed": directed,
        "since": since,
        "until": until,
        "dedupe": dedupe,
    }
    if fmt == "parquet":
        if not isinstance(stream_or_path, str | os.PathLike) or str(stream_or_path) == "-":
            raise ConfigError("parquet needs a file path (--out FILE.parquet), not a stream")
        report.written = _export_parquet(store, stream_or_path, filters)
        return report.written
    source_sql(store, **filters)  # raise ConfigError before a file is created
    rows = iter_event_rows(store, **filters)
    with _target(stream_or_path) as out:
        if fmt == "gdelt":
            tables = (codes if codes is not None else CodeTables.load()).countries
            if header:
                out.write("\t".join(GDELT_COLUMNS) + "\n")
            for row in rows:
                if row["modality"] not in OCCURRED_MODALITIES:
                    report.not_occurred += 1
                    continue
                cells = gdelt_row(row, tables)
                if cells is None:
                    report.undated += 1
                    continue
                out.write("\t".join(cells) + "\n")
                report.written += 1
        elif fmt == "plover":
            for row in rows:
                if row["modality"] not in OCCURRED_MODALITIES:
                    report.not_occurred += 1
                    continue
                if not row["plover"]:
                    report.no_plover += 1
                    continue
                out.write(json.dumps(plover_record(row), ensure_ascii=False) + "\n")
                report.written += 1
        elif fmt == "jsonl":
            for row in rows:
                out.write(json.dumps(contract_record(row), ensure_ascii=False) + "\n")
                report.written += 1
        else:  # csv
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(EVENT_FIELDS)
            for row in rows:
                record = contract_record(row)
                writer.writerow([_cell(record[name]) for name in EVENT_FIELDS])
                report.written += 1
    return report.written
