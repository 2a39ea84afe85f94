"""Coded stories as Parquet partitions, and loading those partitions into an event store.

A partition directory holds one file per table and partition::

    OUT/stories/part-000000.parquet    OUT/sentences/part-000000.parquet
    OUT/events/part-000000.parquet     OUT/actors/part-000000.parquet

with exactly the rows :meth:`EventStore.add_stories` would write (same columns, same
event ids). DuckDB writes and reads the files; pyarrow is not needed. A partition
counts as present only when all four of its files are: each file is written to a
temporary name and renamed into place, so a crash never leaves a half-written file.

:func:`load_parquet` loads partitions in order, one transaction each, with the store's
idempotency: a story already stored with the same content hash is skipped, one with a
different hash is replaced, and a rerun after a crash completes the work without
duplicates.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb

from ..errors import ConfigError, StoreError
from ..records import Story
from ..store import EventStore, StoreReport
from ..store.eventstore import (
    append_story_rows,
    content_hash,
    delete_stories,
    empty_columns,
    insert_columns,
    write_transaction,
)
from ..store.schema import ACTOR_COLUMNS, EVENT_COLUMNS, SENTENCE_COLUMNS, STORY_COLUMNS

TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "stories": STORY_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "events": EVENT_COLUMNS,
    "actors": ACTOR_COLUMNS,
}
PART_PATTERN = "part-*.parquet"


def part_name(index: int) -> str:
    return f"part-{index:06d}.parquet"


@dataclass(slots=True)
class PartitionReport:
    """What one partition holds."""

    index: int
    stories: int = 0
    sentences: int = 0
    events: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


def story_rows(stories: Iterable[Story]) -> dict[str, dict[str, list[Any]]]:
    """Column lists per table, as the store would insert them.

    A story id seen twice keeps its last version (as one store batch does).
    """
    latest: dict[str, Story] = {}
    for story in stories:
        if not isinstance(story, Story):
            raise StoreError(f"expected Story records, got {type(story).__name__}")
        latest[story.id] = story
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    tables = {name: empty_columns(spec) for name, spec in TABLES.items()}
    for story in latest.values():
        append_story_rows(
            story,
            content_hash(story),
            now,
            tables["stories"],
            tables["sentences"],
            tables["events"],
            tables["actors"],
        )
    return tables


def _write_table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    spec: tuple[tuple[str, str], ...],
    data: dict[str, list[Any]],
    dest: Path,
) -> None:
    columns = ", ".join(f"{column} {sqltype}" for column, sqltype in spec)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    insert_columns(con, name, spec, data)
    con.execute(f"COPY {name} TO ? (FORMAT parquet)", [str(dest)])


def parquet_bytes(stories: Iterable[Story]) -> dict[str, bytes]:
    """Each table's rows for ``stories`` as the bytes of one Parquet file."""
    tables = story_rows(stories)
    out: dict[str, bytes] = {}
    con = duckdb.connect()
    try:
        with tempfile.TemporaryDirectory(prefix="detente-parquet-") as tmp:
            for name, spec in TABLES.items():
                path = Path(tmp) / f"{name}.parquet"
                _write_table(con, name, spec, tables[name], path)
                out[name] = path.read_bytes()
    finally:
        con.close()
    return out


def write_partition_bytes(
    out_dir: str | os.PathLike[str], index: int, files: dict[str, bytes]
) -> None:
    """Place one partition's files under ``out_dir``; stories last, so it marks completion."""
    root = Path(out_dir)
    for name in (*[t for t in TABLES if t != "stories"], "stories"):
        folder = root / name
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / part_name(index)
        tmp = folder / f".{final.name}.tmp"
        tmp.write_bytes(files[name])
        os.replace(tmp, final)


def write_partition(
    stories: Iterable[Story], out_dir: str | os.PathLike[str], index: int
) -> PartitionReport:
    """Write coded ``stories`` as partition ``index`` of ``out_dir``."""
    latest = list({story.id: story for story in stories}.values())
    write_partition_bytes(out_dir, index, parquet_bytes(latest))
    return partition_report(index, latest)


def partition_report(index: int, stories: list[Story]) -> PartitionReport:
    return PartitionReport(
        index=index,
        stories=len(stories),
        sentences=sum(len(s.sentences) for s in stories),
        events=sum(len(s.events) for s in stories),
    )


def existing_parts(out_dir: str | os.PathLike[str]) -> list[str]:
    """Names of the complete partitions in ``out_dir``, in order."""
    root = Path(out_dir)
    names = sorted(p.name for p in (root / "stories").glob(PART_PATTERN))
    return [n for n in names if all((root / table / n).is_file() for table in TABLES)]


def clear_parts(out_dir: str | os.PathLike[str]) -> int:
    """Remove detente's partition files (and only those) from ``out_dir``."""
    removed = 0
    root = Path(out_dir)
    for table in TABLES:
        for path in (root / table).glob(PART_PATTERN):
            path.unlink()
            removed += 1
    return removed


def load_parquet(
    out_dir: str | os.PathLike[str], store: EventStore, *, replace: bool = False
) -> StoreReport:
    """Load every complete partition of ``out_dir`` into ``store``, one transaction each.

    Same rules as :meth:`EventStore.add_stories`: same id and content hash → skipped
    (unless ``replace``), different hash → old rows replaced. ``ingested_at`` is the
    time of loading.
    """
    root = Path(out_dir)
    if not root.is_dir():
        raise ConfigError(f"{out_dir}: no such directory of Parquet partitions")
    if store.read_only:
        raise StoreError(f"{store.path}: the event store is open read-only")
    report = StoreReport()
    for name in existing_parts(root):
        report.merge(_load_part(store, {t: root / t / name for t in TABLES}, replace))
    return report


def _load_part(store: EventStore, files: dict[str, Path], replace: bool) -> StoreReport:
    con = store.con
    report = StoreReport()
    path = {t: str(p) for t, p in files.items()}
    try:
        rows = con.execute(
            "SELECT n.id, n.content_hash, s.content_hash FROM read_parquet(?) n "
            "LEFT JOIN stories s ON s.id = n.id",
            [path["stories"]],
        ).fetchall()
    except duckdb.Error as exc:
        raise StoreError(f"{path['stories']}: cannot read the partition: {exc}") from exc
    # the stories table has no key (schema v3): refuse what it used to refuse
    seen: set[str] = set()
    for sid, _, _ in rows:
        if sid in seen:
            raise StoreError(f"{path['stories']}: story {sid!r} is in the partition twice")
        seen.add(sid)
    todo: list[str] = []
    to_delete: list[str] = []
    for sid, digest, known in rows:
        if known is None:
            report.stories_added += 1
        elif known == digest and not replace:
            report.stories_skipped += 1
            continue
        else:
            report.stories_replaced += 1
            to_delete.append(sid)
        todo.append(sid)
    if not todo:
        return report

    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    story_cols = ", ".join(c for c, _ in STORY_COLUMNS)
    story_select = ", ".join("?::TIMESTAMP" if c == "ingested_at" else c for c, _ in STORY_COLUMNS)
    failure = f"{store.path}: loading {files['stories'].name} failed"
    with write_transaction(con, failure):
        if to_delete:
            delete_stories(con, to_delete)
        con.execute(
            f"INSERT INTO stories ({story_cols}) SELECT {story_select} "
            "FROM read_parquet(?) WHERE id = ANY(?)",
            [now, path["stories"], todo],
        )
        for table, spec in (
            ("sentences", SENTENCE_COLUMNS),
            ("events", EVENT_COLUMNS),
            ("actors", ACTOR_COLUMNS),
        ):
            cols = ", ".join(c for c, _ in spec)
            count = con.execute(
                f"INSERT INTO {table} ({cols}) SELECT {cols} FROM read_parquet(?) "
                "WHERE story_id = ANY(?)",
                [path[table], todo],
            ).fetchone()[0]
            if table == "sentences":
                report.sentences_added = count
            elif table == "events":
                report.events_added = count
    return report
