"""Whole jobs the CLI and the server call: code files, ingest them into a store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from .coder import Coder
from .ingest import IngestReport, read_stories
from .progress import Progress
from .records import Story
from .store import EventStore, StoreReport
from .store.near_duplicates import mark_near_duplicates


@dataclass(slots=True)
class ReadOptions:
    default_date: dt.date | None = None
    input_format: str | None = None
    text_column: str = "text"


@dataclass(slots=True)
class IngestResult:
    input: IngestReport = field(default_factory=IngestReport)
    stored: StoreReport = field(default_factory=StoreReport)
    near_duplicates: int = 0  # stored stories that copy an earlier one


def code_paths(
    paths: Sequence[str],
    coder: Coder,
    options: ReadOptions | None = None,
    report: IngestReport | None = None,
    stdin: TextIO | None = None,
    progress: Progress | None = None,
) -> Iterator[Story]:
    """Read and code every story in ``paths``; bad records land in ``report``."""
    for story in coder.code_stories(read_paths(paths, options, report, stdin)):
        if progress is not None:
            progress.advance()
        yield story


def ingest(
    paths: Sequence[str],
    store: EventStore,
    coder: Coder,
    options: ReadOptions | None = None,
    stdin: TextIO | None = None,
    progress: Progress | None = None,
    batch_size: int = 100,
) -> IngestResult:
    """Code ``paths`` and store stories, sentences and events, one transaction per batch."""
    result = IngestResult()
    coded = code_paths(paths, coder, options, result.input, stdin, progress)
    return store_coded(store, coded, result, batch_size)


def read_paths(
    paths: Sequence[str],
    options: ReadOptions | None = None,
    report: IngestReport | None = None,
    stdin: TextIO | None = None,
) -> Iterator[Story]:
    """The stories in ``paths`` as the reading options say."""
    options = options or ReadOptions()
    return read_stories(
        paths,
        default_date=options.default_date,
        input_format=options.input_format,
        text_column=options.text_column,
        stdin=stdin,
        report=report,
    )


# DuckDB's memory limit while an ingest job writes and marks near-duplicates. Writing
# batches needs a few MiB of the buffer pool; the rest would fill with blocks already
# written (see EventStore.memory_capped), so the writer's memory would grow with the
# store up to the store's own limit. The near-duplicate pass spills to disk what does
# not fit.
INGEST_MEMORY_LIMIT = "128MB"


def store_coded(
    store: EventStore, coded: Iterable[Story], result: IngestResult, batch_size: int
) -> IngestResult:
    """Write coded stories batch by batch, then mark near-duplicate stories."""
    with store.memory_capped(INGEST_MEMORY_LIMIT):
        result.stored = store.add_stories(coded, batch_size=batch_size)
        result.near_duplicates = mark_near_duplicates(store)
    return result
