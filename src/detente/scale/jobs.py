"""Whole jobs for several processes: the parallel counterpart of :func:`detente.jobs.ingest`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TextIO

from ..config import Config
from ..ingest import IngestReport
from ..jobs import IngestResult, ReadOptions, read_paths, store_coded
from ..progress import Progress
from ..records import Story
from ..store import EventStore
from .parallel import code_parallel


def code_paths_parallel(
    paths: Sequence[str],
    config: Config,
    jobs: int,
    options: ReadOptions | None = None,
    report: IngestReport | None = None,
    stdin: TextIO | None = None,
    progress: Progress | None = None,
    *,
    keep_tokens: bool = True,
) -> Iterator[Story]:
    """:func:`detente.jobs.code_paths` with ``jobs`` worker processes, same order and output."""
    stories = read_paths(paths, options, report, stdin)
    for story in code_parallel(stories, config, jobs, keep_tokens=keep_tokens):
        if progress is not None:
            progress.advance()
        yield story


def ingest_parallel(
    paths: Sequence[str],
    store: EventStore,
    config: Config,
    jobs: int,
    options: ReadOptions | None = None,
    stdin: TextIO | None = None,
    progress: Progress | None = None,
    batch_size: int = 100,
) -> IngestResult:
    """:func:`detente.jobs.ingest` with ``jobs`` coding processes and one writer (this one).

    The store ends up exactly as with ``jobs=1``: stories arrive in input order and are
    written ``batch_size`` per transaction by this process.
    """
    result = IngestResult()
    coded = code_paths_parallel(
        paths, config, jobs, options, result.input, stdin, progress, keep_tokens=False
    )
    return store_coded(store, coded, result, batch_size)
