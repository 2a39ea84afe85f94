"""Importing GDELT 2.0 and ICEWS event files into the event store.

Imported events go into the same ``events`` table as detente's own, with ``origin``
'gdelt' or 'icews', converted to the event-record contract. Their ids come from the
origin's own event id (``gdelt:<GLOBALEVENTID>``, ``icews:<Event ID>``), so importing a
file again adds nothing. They are dated by the file, so dyad series work without story
rows (no ``stories`` row is written: GDELT and ICEWS files carry no text). Their
``story_id`` is the GDELT SOURCEURL, or ``icews:<Story ID>``.

A bad row (wrong column count, a date, code or number that does not parse) is reported
with ``file:line:column`` and skipped; the other rows are still imported.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import duckdb

from detente.errors import ConfigError, InputError, StoreError
from detente.events import Ontology
from detente.exchange.codes import CodeTables, CountryTables
from detente.exchange.gdelt import GDELT_COLUMNS, RowError, parse_gdelt_row
from detente.exchange.icews import IcewsHeader, parse_icews_row
from detente.progress import Progress
from detente.store.eventstore import EventStore, write_transaction
from detente.store.schema import ACTOR_COLUMNS, EVENT_COLUMNS

logger = logging.getLogger(__name__)

IMPORT_FORMATS = ("gdelt", "icews")
BATCH_SIZE = 5_000
MAX_PROBLEMS = 1_000


@dataclass(slots=True)
class ImportReport:
    """What :func:`import_events` read, wrote and skipped.

    ``rows`` counts data rows read; ``added`` + ``duplicates`` + ``skipped`` rows make up
    ``rows`` (``duplicates``: already in the store, or twice in the input). Problems
    are :class:`~detente.errors.InputError` with ``file:line:column`` locations; only the
    first ``max_problems`` are kept. ``unknown_countries`` counts country names that
    could not be mapped to ISO3 (the row is kept, the actor without a country).
    """

    files: int = 0
    rows: int = 0
    added: int = 0
    duplicates: int = 0
    skipped: int = 0
    problems: list[InputError] = field(default_factory=list)
    dropped_problems: int = 0
    unknown_countries: dict[str, int] = field(default_factory=dict)
    max_problems: int = MAX_PROBLEMS

    @property
    def skipped_any(self) -> bool:
        return self.skipped > 0

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.dropped_problems

    def add(self, message: str, location: str) -> None:
        problem = InputError(message, location)
        self.skipped += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)
        else:
            self.dropped_problems += 1
        logger.warning("%s", problem)

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "rows": self.rows,
            "added": self.added,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "unknown_countries": dict(self.unknown_countries),
        }


# -- reading files ---------------------------------------------------------------------


@contextmanager
def _open_text(path: Path) -> Iterator[Iterator[tuple[str, TextIO]]]:
    """The text streams inside ``path``: itself, its gzip content, or a zip's members.

    Yields (label, stream) pairs; labels name zip members as ``file.zip!member``.
    """
    name = path.name.lower()
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:

            def members() -> Iterator[tuple[str, TextIO]]:
                for info in archive.infolist():
                    if info.is_dir():
                        continue
                    with archive.open(info) as raw:
                        yield (
                            f"{path}!{info.filename}",
                            io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n"),
                        )

            yield members()
        return
    if name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8", errors="replace", newline="\n") as handle:
            yield iter([(str(path), handle)])
        return
    with path.open(encoding="utf-8", errors="replace", newline="\n") as handle:
        yield iter([(str(path), handle)])


def _cells(line: str) -> list[str]:
    return line.rstrip("\r\n").split("\t")


def _gdelt_rows(
    label: str, stream: TextIO, report: ImportReport, tables: CountryTables, onto: Ontology
) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        cells = _cells(line)
        if number == 1 and cells[0].strip() == GDELT_COLUMNS[0]:
            continue  # a header line (detente export --header)
        report.rows += 1
        try:
            yield parse_gdelt_row(cells, tables, onto)
        except RowError as exc:
            where = f"{label}:{number}" + (f":{exc.column}" if exc.column else "")
            report.add(str(exc), where)


def _icews_rows(
    label: str, stream: TextIO, report: ImportReport, tables: CountryTables, onto: Ontology
) -> Iterator[dict[str, Any]]:
    header: IcewsHeader | None = None
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        cells = _cells(line)
        if header is None:
            try:
                header = IcewsHeader(cells)
            except RowError as exc:
                report.add(str(exc), f"{label}:{number}")
                return
            continue
        report.rows += 1
        try:
            yield parse_icews_row(header, cells, tables, onto, report.unknown_countries)
        except RowError as exc:
            where = f"{label}:{number}" + (f":{exc.column}" if exc.column else "")
            report.add(str(exc), where)


_READERS = {"gdelt": _gdelt_rows, "icews": _icews_rows}


# -- converting and writing ------------------------------------------------------------


def event_columns(parsed: dict[str, Any], origin: str, onto: Ontology) -> dict[str, Any]:
    """A parsed row as values of the ``events`` table's columns."""
    cameo = parsed["cameo"]
    known = onto.get(cameo)
    source = parsed["source"] or {}
    target = parsed["target"] or {}
    loc = parsed["location"] or {}
    return {
        "event_id": parsed["event_id"],
        "story_id": parsed["story_id"],
        "event_index": 0,
        "sentence_index": parsed["sentence_index"],
        "sentence": None,
        "source": source.get("code"),
        "target": target.get("code"),
        "source_text": source.get("name"),
        "target_text": target.get("name"),
        "source_country": source.get("country"),
        "target_country": target.get("country"),
        "cameo": cameo,
        "cameo_name": known.name,
        "root": cameo[:2],
        "quad_class": known.quad_class,
        "goldstein": parsed["goldstein"],
        "plover": known.plover,
        "plover_mode": known.plover_mode,
        "plover_context": list(known.plover_context),
        "modality": "asserted",
        "confidence": None,
        "date": parsed["date"],
        "location_name": loc.get("name"),
        "location_country": loc.get("country"),
        "location_lat": loc.get("lat"),
        "location_lon": loc.get("lon"),
        "location_fips": loc.get("fips"),
        "location_admin1": loc.get("admin1"),
        "location_precision": loc.get("precision"),
        "source_start": None,
        "source_end": None,
        "predicate_start": None,
        "predicate_end": None,
        "target_start": None,
        "target_end": None,
        "predicate": None,
        "origin": origin,
    }


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, spec: tuple[tuple[str, str], ...], rows: list
) -> None:
    if not rows:
        return
    names = ", ".join(name for name, _ in spec)
    values = ", ".join(f"unnest(?::{sqltype}[])" for _, sqltype in spec)
    columns = [[row[name] for row in rows] for name, _ in spec]
    # plain INSERT: _write_batch has already dropped the event ids the store or the
    # batch holds, and these tables have no key to ignore conflicts on (schema v3)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {values}", columns)


def _write_batch(
    store: EventStore,
    batch: list[dict[str, Any]],
    origin: str,
    onto: Ontology,
    report: ImportReport,
) -> None:
    con = store.con
    ids = list(dict.fromkeys(p["event_id"] for p in batch))
    try:
        existing = {
            row[0]
            for row in con.execute(
                "SELECT event_id FROM events WHERE event_id = ANY(?)", [ids]
            ).fetchall()
        }
    except duckdb.Error as exc:
        raise StoreError(f"{store.path}: cannot read events: {exc}") from exc
    events: list[dict[str, Any]] = []
    actors: list[dict[str, Any]] = []
    for parsed in batch:
        eid = parsed["event_id"]
        if eid in existing:
            report.duplicates += 1
            continue
        existing.add(eid)
        events.append(event_columns(parsed, origin, onto))
        for role in ("source", "target"):
            actor = parsed[role]
            if actor and actor.get("code"):
                actors.append(
                    {
                        "event_id": eid,
                        "story_id": parsed["story_id"],
                        "role": role,
                        "code": actor["code"],
                        "country": actor.get("country"),
                        "sector": actor.get("sector"),
                        "name": actor.get("name"),
                        "secondary": list(actor.get("secondary") or []),
                    }
                )
    if not events:
        return
    with write_transaction(con, f"{store.path}: writing imported events failed"):
        _insert(con, "events", EVENT_COLUMNS, events)
        _insert(con, "actors", ACTOR_COLUMNS, actors)
    report.added += len(events)


def import_events(
    store: EventStore,
    fmt: str,
    paths: Iterable[str | os.PathLike[str]],
    progress: Progress | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    codes: CodeTables | None = None,
) -> ImportReport:
    """Import GDELT 2.0 (``fmt='gdelt'``) or ICEWS (``'icews'``) event files.

    ``paths`` may name plain, ``.gz`` or ``.zip`` files (GDELT publishes
    ``YYYYMMDDHHMMSS.export.CSV.zip``). Rows are written ``batch_size`` per transaction;
    ``progress`` (optional) advances once per row read. ``codes``: the country tables and
    CAMEO ontology rows are coded with (loaded here if not given).
    """
    if fmt not in _READERS:
        raise ConfigError(f"unknown import format {fmt!r} (choose from {', '.join(_READERS)})")
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    if store.read_only:
        raise StoreError(f"{store.path}: the event store is open read-only")
    codes = codes if codes is not None else CodeTables.load()
    tables, onto = codes.countries, codes.ontology
    reader = _READERS[fmt]
    report = ImportReport()
    for raw in paths:
        path = Path(raw)
        report.files += 1
        if not path.is_file():
            report.add("no such file", str(path))
            continue
        try:
            with _open_text(path) as streams:
                for label, stream in streams:
                    batch: list[dict[str, Any]] = []
                    for parsed in reader(label, stream, report, tables, onto):
                        batch.append(parsed)
                        if progress is not None:
                            progress.advance()
                        if len(batch) >= batch_size:
                            _write_batch(store, batch, fmt, onto, report)
                            batch = []
                    _write_batch(store, batch, fmt, onto, report)
        except (OSError, zipfile.BadZipFile, EOFError, gzip.BadGzipFile) as exc:
            report.add(f"cannot read the file: {exc}", str(path))
    return report
