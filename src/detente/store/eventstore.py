"""An embedded DuckDB store of stories, sentences and coded events."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from detente.errors import ConfigError, StoreError
from detente.records import EVENT_FIELDS, Event, Story
from detente.store.schema import (
    ACTOR_COLUMNS,
    EVENT_COLUMNS,
    MIGRATIONS,
    SENTENCE_COLUMNS,
    STORY_COLUMNS,
    Migration,
    check_migrations,
)

OCCURRED_MODALITIES = ("asserted", "reported")

# The date an event is placed at: its own date, else its story's.
EVENT_DATE_SQL = "coalesce(e.date, s.date)"

# The event columns (alias ``e``, joined with ``stories s``) that event_dict_from_row reads.
EVENT_SELECT_SQL = ", ".join(
    f"e.{name}"
    for name in (
        "story_id",
        "sentence_index",
        "sentence",
        "source",
        "target",
        "source_text",
        "target_text",
        "source_country",
        "target_country",
        "cameo",
        "cameo_name",
        "root",
        "quad_class",
        "goldstein",
        "plover",
        "plover_mode",
        "plover_context",
        "modality",
        "confidence",
        "date",
        "location_name",
        "location_country",
        "location_lat",
        "location_lon",
        "location_fips",
        "location_admin1",
        "location_precision",
        "source_start",
        "source_end",
        "predicate_start",
        "predicate_end",
        "target_start",
        "target_end",
    )
)

# The order events are listed in: by story date, story, sentence and position.
EVENT_ORDER_SQL = (
    "s.date NULLS LAST, e.story_id, e.sentence_index, e.predicate_start NULLS LAST, "
    "e.event_index, e.event_id"
)


@dataclass(slots=True)
class StoreReport:
    """What one call of :meth:`EventStore.add_stories` wrote (committed batches only)."""

    stories_added: int = 0
    stories_skipped: int = 0
    stories_replaced: int = 0
    sentences_added: int = 0
    events_added: int = 0

    def merge(self, other: StoreReport) -> None:
        self.stories_added += other.stories_added
        self.stories_skipped += other.stories_skipped
        self.stories_replaced += other.stories_replaced
        self.sentences_added += other.sentences_added
        self.events_added += other.events_added

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def content_hash(story: Story) -> str:
    """Hash of what identifies a story's content: text, title, date, source and url.

    ``origin`` (where the story was read from) is left out, so moving a file does not
    make its stories look changed.
    """
    payload = json.dumps(
        [
            story.text,
            story.title,
            story.date.isoformat() if story.date else None,
            story.source,
            story.url,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def event_id(record: Event | dict[str, Any], occurrence: int = 0) -> str:
    """A stable id: story, sentence, evidence spans, CAMEO code and actor codes.

    ``occurrence`` tells apart events of one story that agree on all of these (the
    second such event gets 1, and so on), so that reruns give the same ids.
    """
    d = record.to_dict() if isinstance(record, Event) else record
    key = [
        d["story_id"],
        d["sentence_index"],
        d["evidence"],
        d["cameo"],
        d["source"],
        d["target"],
    ]
    if occurrence:
        key.append(occurrence)
    payload = json.dumps(key, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def dyad_condition(
    a: str, b: str, *, directed: bool = False, alias: str = "e"
) -> tuple[str, list[Any]]:
    """SQL (with parameters) matching events between countries ``a`` and ``b``.

    An actor belongs to country X when its country is X or its code starts with X
    (``JPN`` matches ``JPNGOV``). Undirected matches both a→b and b→a.
    """
    a = _country(a)
    b = _country(b)

    def side(role: str) -> str:
        return f"({alias}.{role}_country = ? OR starts_with({alias}.{role}, ?))"

    pair = f"({side('source')} AND {side('target')})"
    if directed:
        return pair, [a, a, b, b]
    return f"({pair} OR {pair})", [a, a, b, b, b, b, a, a]


def _country(code: str) -> str:
    if not isinstance(code, str) or not code.strip():
        raise ConfigError(f"a dyad needs two country codes, got {code!r}")
    return code.strip().upper()


def as_date(value: dt.date | str | None, name: str) -> dt.date | None:
    """Accept a date, an ISO ``YYYY-MM-DD`` string or None."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{name}: not a date (YYYY-MM-DD): {value!r}") from None


def _chunks(items: Iterable[Story], size: int) -> Iterator[list[Story]]:
    batch: list[Story] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# Every table that holds a story's rows, children first.
STORY_TABLES = (("actors", "story_id"), ("events", "story_id"), ("sentences", "story_id"),
                ("stories", "id"))  # fmt: skip


def delete_stories(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]) -> None:
    """Remove stories with their sentences, events and actors (inside the caller's transaction)."""
    for table, column in STORY_TABLES:
        con.execute(f"DELETE FROM {table} WHERE {column} = ANY(?)", [list(story_ids)])


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection, failure: str) -> Iterator[None]:
    """One transaction: committed when the block ends, rolled back on any exception.

    A DuckDB error becomes ``StoreError(f"{failure}: {error}")``; other exceptions (for
    instance from the caller's iterator) pass through unchanged after the rollback.
    """
    try:
        con.execute("BEGIN TRANSACTION")
        yield
        con.execute("COMMIT")
    except BaseException as exc:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        if isinstance(exc, duckdb.Error):
            raise StoreError(f"{failure}: {exc}") from exc
        raise


DEFAULT_MEMORY_LIMIT = "512MB"


class EventStore:
    """Stories, sentences and events in one DuckDB file.

    Use as a context manager or call :meth:`close`. ``read_only`` opens an existing
    store without the right to write (and without taking the write lock), so several
    readers can share a file.
    """

    migrations: Sequence[Migration] = MIGRATIONS

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        memory_limit: str | None = DEFAULT_MEMORY_LIMIT,
    ) -> None:
        """``memory_limit`` caps DuckDB's memory (it spills to disk beyond it; see also
        :meth:`memory_capped`); None leaves DuckDB's default (most of RAM)."""
        self.path = str(path)
        self.read_only = read_only
        self._memory_limit = memory_limit
        self._con: duckdb.DuckDBPyConnection | None = None
        try:
            check_migrations(self.migrations)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        in_memory = self.path == ":memory:" or self.path.startswith(":memory:")
        if not in_memory:
            if read_only and not Path(self.path).exists():
                raise StoreError(f"{self.path}: no event store there")
            if not read_only:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            config = {"memory_limit": memory_limit} if memory_limit else {}
            self._con = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the event store: {exc}") from exc
        try:
            self._prepare_schema()
        except BaseException:
            self.close()
            raise

    # -- lifecycle -----------------------------------------------------------------

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._con is not None:
            try:
                self._con.close()
            finally:
                self._con = None

    @property
    def closed(self) -> bool:
        return self._con is None

    def __repr__(self) -> str:
        mode = "ro" if self.read_only else "rw"
        state = "closed" if self.closed else mode
        return f"EventStore({self.path!r}, {state})"

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            raise StoreError(f"{self.path}: the event store is closed")
        return self._con

    @contextmanager
    def memory_capped(self, limit: str) -> Iterator[None]:
        """Lower DuckDB's ``memory_limit`` to ``limit`` inside the block (never raise it).

        DuckDB keeps the table blocks it writes in its buffer pool until the pool is full,
        so over a long ingest the pool fills up to ``memory_limit`` with blocks nobody
        reads again. Writing batches needs little of it: the ingest jobs write under a
        smaller cap, which DuckDB meets by evicting those blocks, and give the store its
        own limit back afterwards. The limit belongs to the database, not the cursor: do
        not cap it while other cursors of the store run queries.
        """
        con = self.con
        before = _setting(con, "memory_limit")
        if _size_bytes(limit) >= _size_bytes(before):  # the store's limit is lower already
            yield
            return
        # back to the limit as given when the store was opened (DuckDB shows it rounded)
        own = getattr(self, "_memory_limit", None)
        if own is None or not math.isclose(_size_bytes(own), _size_bytes(before), rel_tol=1e-3):
            own = before
        _set_memory_limit(con, limit)
        try:
            yield
        except BaseException:
            try:
                _set_memory_limit(con, own)
            except duckdb.Error:  # the database may be unusable: the first error matters
                pass
            raise
        _set_memory_limit(con, own)

    # -- schema --------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return self._read_version()

    def _read_version(self) -> int:
        tables = {
            row[0]
            for row in self.con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_catalog = current_database()"
            ).fetchall()
        }
        if "meta" not in tables:
            if tables:
                raise StoreError(f"{self.path}: not a detente event store (no meta table)")
            return 0
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            raise StoreError(f"{self.path}: the event store has no schema_version")
        try:
            return int(row[0])
        except ValueError:
            raise StoreError(f"{self.path}: bad schema_version {row[0]!r}") from None

    def _prepare_schema(self) -> None:
        try:
            version = self._read_version()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot read the event store: {exc}") from exc
        latest = len(self.migrations)
        if version > latest:
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this detente "
                f"understands ({latest}); upgrade detente"
            )
        if version == latest:
            return
        if self.read_only:
            if version == 0:
                raise StoreError(f"{self.path}: not a detente event store (empty)")
            raise StoreError(
                f"{self.path}: schema version {version} needs migrating to {latest}; "
                "open the store once without read_only"
            )
        for migration in self.migrations[version:]:
            self._apply(migration)

    def _apply(self, migration: Migration) -> None:
        con = self.con
        try:
            con.execute("BEGIN TRANSACTION")
            for statement in migration.statements:
                con.execute(statement)
            if migration.apply is not None:
                migration.apply(con)
            con.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                [str(migration.version)],
            )
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise StoreError(
                f"{self.path}: migration {migration.version} ({migration.description}) "
                f"failed: {exc}"
            ) from exc

    # -- writing -------------------------------------------------------------------

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: the event store is open read-only")
        self.con  # noqa: B018 - raises when closed

    def add_stories(
        self, stories: Iterable[Story], *, batch_size: int = 100, replace: bool = False
    ) -> StoreReport:
        """Write stories with their sentences and events, ``batch_size`` per transaction.

        A story whose id is present with the same content hash is skipped (unless
        ``replace``, e.g. after recoding with a newer coder); with a different hash its
        old rows are replaced. An exception (from the iterator or the database) loses
        only the batch in flight; rerunning the same input completes the work without
        duplicates.
        """
        self._writable()
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ConfigError(f"batch_size must be a positive integer, got {batch_size!r}")
        if isinstance(stories, Story):
            stories = [stories]
        report = StoreReport()
        for batch in _chunks(stories, batch_size):
            report.merge(self._write_batch(batch, replace))
        return report

    def _write_batch(self, batch: list[Story], replace: bool) -> StoreReport:
        con = self.con
        report = StoreReport()
        for story in batch:
            if not isinstance(story, Story):
                raise StoreError(f"add_stories expects Story records, got {type(story).__name__}")
        ids = list(dict.fromkeys(story.id for story in batch))
        try:
            existing = dict(
                con.execute(
                    "SELECT s.id, s.content_hash FROM stories s "
                    "JOIN (SELECT unnest(?::VARCHAR[]) AS id) b ON b.id = s.id",
                    [ids],
                ).fetchall()
            )
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot read stories: {exc}") from exc

        pending: dict[str, tuple[Story, str]] = {}
        for story in batch:
            digest = content_hash(story)
            known = pending[story.id][1] if story.id in pending else existing.get(story.id)
            if known is None:
                report.stories_added += 1
            elif known == digest and not replace:
                report.stories_skipped += 1
                continue
            else:
                report.stories_replaced += 1
            pending[story.id] = (story, digest)
        if not pending:
            return report

        first = batch[0].id
        failure = f"{self.path}: writing the batch starting at story {first!r} failed"
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        story_rows = empty_columns(STORY_COLUMNS)
        sentence_rows = empty_columns(SENTENCE_COLUMNS)
        event_rows = empty_columns(EVENT_COLUMNS)
        actor_rows = empty_columns(ACTOR_COLUMNS)
        for story, digest in pending.values():
            # the sentences table has no key (schema v3): the writer keeps them unique
            numbers = [sentence.index for sentence in story.sentences]
            if len(set(numbers)) < len(numbers):
                raise StoreError(f"{failure}: story {story.id!r} numbers two sentences alike")
            append_story_rows(story, digest, now, story_rows, sentence_rows, event_rows, actor_rows)
        report.sentences_added = len(sentence_rows["story_id"])
        report.events_added = len(event_rows["event_id"])

        to_delete = [sid for sid in pending if sid in existing]
        with write_transaction(con, failure):
            if to_delete:
                delete_stories(con, to_delete)
            insert_columns(con, "stories", STORY_COLUMNS, story_rows)
            insert_columns(con, "sentences", SENTENCE_COLUMNS, sentence_rows)
            insert_columns(con, "events", EVENT_COLUMNS, event_rows)
            insert_columns(con, "actors", ACTOR_COLUMNS, actor_rows)
        return report

    # -- reading -------------------------------------------------------------------

    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run one parameterised SQL statement and return its rows (for analyses)."""
        try:
            return self.con.execute(sql, list(params or [])).fetchall()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: query failed: {exc}") from exc

    def events(
        self,
        *,
        dyad: tuple[str, str] | None = None,
        directed: bool = False,
        story_id: str | None = None,
        since: dt.date | str | None = None,
        until: dt.date | str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Events as Event.to_dict() records, in story-date order.

        ``since``/``until`` (inclusive) apply to the event's date, else its story's;
        events with neither are left out when either bound is given.
        """
        where: list[str] = []
        params: list[Any] = []
        if dyad is not None:
            if isinstance(dyad, str) or len(dyad) != 2:
                raise ConfigError(f"dyad must be a pair of country codes, got {dyad!r}")
            sql, p = dyad_condition(dyad[0], dyad[1], directed=directed)
            where.append(sql)
            params += p
        if story_id is not None:
            where.append("e.story_id = ?")
            params.append(story_id)
        start = as_date(since, "since")
        end = as_date(until, "until")
        if start is not None:
            where.append(f"{EVENT_DATE_SQL} >= ?")
            params.append(start)
        if end is not None:
            where.append(f"{EVENT_DATE_SQL} <= ?")
            params.append(end)
        sql = (
            f"SELECT {EVENT_SELECT_SQL} FROM events e LEFT JOIN stories s ON s.id = e.story_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY {EVENT_ORDER_SQL}"
        )
        sql += paging_sql(limit, offset, params)
        return [event_dict_from_row(row) for row in self.query(sql, params)]

    def story(self, story_id: str) -> dict[str, Any] | None:
        """One story with its text, sentences and events; None when absent."""
        rows = self.query(
            "SELECT id, title, date, source, url, origin, content_hash, ingested_at, text "
            "FROM stories WHERE id = ?",
            [story_id],
        )
        if not rows:
            return None
        out = _story_dict(rows[0][:8])
        out["text"] = rows[0][8]
        out["sentences"] = [
            {"index": index, "text": text, "start_char": start}
            for index, text, start in self.query(
                "SELECT sentence_index, text, start_char FROM sentences "
                "WHERE story_id = ? ORDER BY sentence_index",
                [story_id],
            )
        ]
        out["events"] = self.events(story_id=story_id)
        return out

    def stories(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
        """Story metadata (no text), oldest first (undated last), with row counts."""
        params: list[Any] = []
        sql = (
            "SELECT s.id, s.title, s.date, s.source, s.url, s.origin, s.content_hash, "
            "s.ingested_at, "
            "(SELECT count(*) FROM sentences x WHERE x.story_id = s.id), "
            "(SELECT count(*) FROM events e WHERE e.story_id = s.id) "
            "FROM stories s ORDER BY s.date NULLS LAST, s.id"
        )
        sql += paging_sql(limit, offset, params)
        out = []
        for row in self.query(sql, params):
            d = _story_dict(row[:8])
            d["sentences"] = row[8]
            d["events"] = row[9]
            out.append(d)
        return out

    def counts(self) -> dict[str, int]:
        row = self.query(
            "SELECT (SELECT count(*) FROM stories), (SELECT count(*) FROM sentences), "
            "(SELECT count(*) FROM events)"
        )[0]
        return {"stories": row[0], "sentences": row[1], "events": row[2]}

    def latest_story_id(self) -> str | None:
        """The newest story by date (then the greatest id); None in an empty store."""
        rows = self.query("SELECT id FROM stories ORDER BY date DESC NULLS LAST, id DESC LIMIT 1")
        return rows[0][0] if rows else None


# -- helpers -------------------------------------------------------------------------


def _setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    return con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


def _set_memory_limit(con: duckdb.DuckDBPyConnection, limit: str | None) -> None:
    """Set ``memory_limit``; None goes back to DuckDB's default (as at connect)."""
    if limit is None:
        con.execute("RESET memory_limit")
    else:
        con.execute("SET memory_limit = " + "'" + str(limit).replace("'", "''") + "'")


_SIZE = re.compile(r"\s*(\d+(?:\.\d*)?)\s*([KMGTP]?i?B|bytes)?\s*", re.IGNORECASE)


def _size_bytes(text: str) -> float:
    """Bytes in a DuckDB size (``488.2 MiB``, ``512MB``, ``1GiB``); inf when unreadable."""
    match = _SIZE.fullmatch(text)
    if match is None:
        return math.inf
    number, unit = float(match[1]), (match[2] or "B").upper()
    if unit == "BYTES":
        unit = "B"
    power = "BKMGTP".index(unit[0])
    return number * (1024 if "I" in unit else 1000) ** power


def paging_sql(limit: int | None, offset: int, params: list[Any]) -> str:
    """`` LIMIT ? OFFSET ?`` as needed (parameters appended to ``params``); checks both."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ConfigError(f"limit must be a non-negative integer, got {limit!r}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ConfigError(f"offset must be a non-negative integer, got {offset!r}")
    sql = ""
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    if offset:
        sql += " OFFSET ?"
        params.append(offset)
    return sql


def empty_columns(spec: tuple[tuple[str, str], ...]) -> dict[str, list[Any]]:
    """One empty list per column of a table spec, to fill and pass to insert_columns."""
    return {name: [] for name, _ in spec}


def insert_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    spec: tuple[tuple[str, str], ...],
    data: dict[str, list[Any]],
) -> None:
    """Insert column lists in one statement: each list is unnested in parallel."""
    if not data[spec[0][0]]:
        return
    names = ", ".join(name for name, _ in spec)
    values = ", ".join(f"unnest(?::{sqltype}[])" for _, sqltype in spec)
    con.execute(f"INSERT INTO {table} ({names}) SELECT {values}", [data[name] for name, _ in spec])


def append_story_rows(
    story: Story,
    digest: str,
    now: dt.datetime,
    stories: dict[str, list[Any]],
    sentences: dict[str, list[Any]],
    events: dict[str, list[Any]],
    actors: dict[str, list[Any]],
) -> None:
    """Append one story's rows to the column lists of the four story tables."""
    for name, value in (
        ("id", story.id),
        ("title", story.title),
        ("date", story.date),
        ("source", story.source),
        ("url", story.url),
        ("origin", story.origin),
        ("content_hash", digest),
        ("text", story.text),
        ("ingested_at", now),
    ):
        stories[name].append(value)
    for sentence in story.sentences:
        sentences["story_id"].append(story.id)
        sentences["sentence_index"].append(sentence.index)
        sentences["text"].append(sentence.text)
        sentences["start_char"].append(sentence.start_char)

    seen: dict[str, int] = {}
    for index, event in enumerate(story.events):
        if event.story_id != story.id:
            raise StoreError(f"story {story.id!r} holds an event of story {event.story_id!r}")
        d = event.to_dict()
        base = event_id(d)
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        eid = base if occurrence == 0 else event_id(d, occurrence)
        loc = d["location"] or {}
        ev = d["evidence"]
        spans = {
            role: ev[role] if ev[role] is not None else [None, None]
            for role in ("source", "predicate", "target")
        }
        row = {
            "event_id": eid,
            "event_index": index,
            **{k: d[k] for k in EVENT_FIELDS if k not in ("location", "evidence")},
            "location_name": loc.get("name"),
            "location_country": loc.get("country"),
            "location_lat": loc.get("lat"),
            "location_lon": loc.get("lon"),
            "location_fips": loc.get("fips"),
            "location_admin1": loc.get("admin1"),
            "location_precision": loc.get("precision"),
            "source_start": spans["source"][0],
            "source_end": spans["source"][1],
            "predicate_start": spans["predicate"][0],
            "predicate_end": spans["predicate"][1],
            "target_start": spans["target"][0],
            "target_end": spans["target"][1],
            "predicate": event.predicate or None,
            "origin": "detente",
        }
        row["date"] = event.date
        for name, _ in EVENT_COLUMNS:
            events[name].append(row[name])
        for role, actor in (("source", event.source), ("target", event.target)):
            if actor is None:
                continue
            actors["event_id"].append(eid)
            actors["story_id"].append(story.id)
            actors["role"].append(role)
            actors["code"].append(actor.code)
            actors["country"].append(actor.country)
            actors["sector"].append(actor.sector)
            actors["name"].append(actor.name)
            actors["secondary"].append(list(actor.secondary))


def _span(start: int | None, end: int | None) -> list[int] | None:
    if start is None and end is None:
        return None
    return [start, end]


def event_dict_from_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """The event-record dict of one row of ``EVENT_SELECT_SQL`` columns."""
    (
        story_id,
        sentence_index,
        sentence,
        source,
        target,
        source_text,
        target_text,
        source_country,
        target_country,
        cameo,
        cameo_name,
        root,
        quad_class,
        goldstein,
        plover,
        plover_mode,
        plover_context,
        modality,
        confidence,
        date,
        loc_name,
        loc_country,
        loc_lat,
        loc_lon,
        loc_fips,
        loc_admin1,
        loc_precision,
        source_start,
        source_end,
        predicate_start,
        predicate_end,
        target_start,
        target_end,
    ) = row
    location = None
    if loc_name is not None:
        location = {
            "name": loc_name,
            "country": loc_country,
            "lat": loc_lat,
            "lon": loc_lon,
            "fips": loc_fips,
            "admin1": loc_admin1,
            "precision": loc_precision,
        }
    return {
        "story_id": story_id,
        "sentence_index": sentence_index,
        "sentence": sentence,
        "source": source,
        "target": target,
        "source_text": source_text,
        "target_text": target_text,
        "source_country": source_country,
        "target_country": target_country,
        "cameo": cameo,
        "cameo_name": cameo_name,
        "root": root,
        "quad_class": quad_class,
        "goldstein": goldstein,
        "plover": plover,
        "plover_mode": plover_mode,
        "plover_context": list(plover_context) if plover_context is not None else [],
        "modality": modality,
        "confidence": confidence,
        "date": date.isoformat() if date is not None else None,
        "location": location,
        "evidence": {
            "source": _span(source_start, source_end),
            "predicate": _span(predicate_start, predicate_end),
            "target": _span(target_start, target_end),
        },
    }


def _story_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    sid, title, date, source, url, origin, digest, ingested = row
    return {
        "id": sid,
        "title": title,
        "date": date.isoformat() if date is not None else None,
        "source": source,
        "url": url,
        "origin": origin,
        "content_hash": digest,
        "ingested_at": ingested.isoformat() if ingested is not None else None,
    }
