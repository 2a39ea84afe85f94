"""Code stories with N worker processes on one machine, in input order, in bounded memory.

Each worker builds its own :class:`~detente.coder.Coder` (and so loads the spaCy model)
once, in the pool's initializer; only plain records cross process boundaries. The input
is read lazily: at most ``jobs * prefetch`` chunks are in flight at any time, so a
corpus of any size streams through in constant memory. Results come back in the order
the stories went in, so a single writer in the calling process (``EventStore``) stores
exactly what ``jobs=1`` would.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import ConfigError
from ..records import Story

if TYPE_CHECKING:
    from ..coder import Coder


@dataclass(slots=True)
class _WorkerState:
    """What one pool process holds: its Coder, built once by the initializer, or the
    exception building it raised (reported with the first chunk, not as a broken pool)."""

    keep_tokens: bool
    coder: Coder | None = None
    error: BaseException | None = None

    def code(self, stories: list[Story]) -> list[Story]:
        if self.coder is None:
            if self.error is not None:
                raise self.error
            raise RuntimeError("detente worker has no coder")
        coded = list(self.coder.code_stories(stories))
        return coded if self.keep_tokens else [slim(story) for story in coded]


# The per-process worker state: set by _init_worker in each pool process, never in the
# parent. It has to be a module global: the pool runs the initializer and each task as
# separate calls in the worker, and a module attribute is the one place they share
# (a worker object passed with each task would be pickled, and its Coder rebuilt, per
# chunk).
_WORKER: _WorkerState | None = None


def default_jobs() -> int:
    """The number of CPUs this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int) -> int:
    """``jobs`` as given, or every usable CPU for 0; negative is an error."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0:
        raise ConfigError(f"jobs must be a non-negative integer (0 = all CPUs), got {jobs!r}")
    return jobs or default_jobs()


def mp_context() -> multiprocessing.context.BaseContext:
    """forkserver where the platform has it (Linux), else spawn: never plain fork.

    A forked child would inherit the parent's threads, open DuckDB handles and any
    loaded model; forkserver and spawn start clean interpreters.
    """
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _init_worker(config: Config, keep_tokens: bool) -> None:
    global _WORKER
    state = _WorkerState(keep_tokens)
    try:
        from ..coder import Coder

        state.coder = Coder(config)
    except Exception as exc:  # reported with the first chunk, not as a broken pool
        state.error = exc
    _WORKER = state


def slim(story: Story) -> Story:
    """Drop what the store never reads (tokens, mentions) to shrink what is pickled back."""
    for sentence in story.sentences:
        sentence.tokens = []
    story.mentions = []
    return story


def _code_chunk(stories: list[Story]) -> list[Story]:
    if _WORKER is None:
        raise RuntimeError("detente worker used before its initializer ran")
    return _WORKER.code(stories)


def _chunks(stories: Iterable[Story], size: int) -> Iterator[list[Story]]:
    iterator = iter(stories)
    while chunk := list(islice(iterator, size)):
        yield chunk


def code_parallel(
    stories: Iterable[Story],
    config: Config | None = None,
    jobs: int = 2,
    batch_size: int | None = None,
    *,
    prefetch: int = 2,
    keep_tokens: bool = True,
) -> Iterator[Story]:
    """Code ``stories`` with ``jobs`` worker processes; yield them coded, in input order.

    ``batch_size`` stories go to a worker at a time (default: ``config.batch_size``); it
    is rounded up to a multiple of ``config.batch_size`` so that the parser sees the
    same batches as in one process, and the output is the same. At most
    ``jobs * prefetch`` chunks are read ahead of the consumer. ``jobs=1`` codes in this
    process, without a pool; ``jobs=0`` uses every CPU. ``keep_tokens=False`` drops
    the tokens and mentions the store does not need (less to pickle).

    A worker's exception is raised here, at the chunk it belongs to. Closing the
    iterator early (or an exception in the consumer) shuts the pool down.
    """
    config = config or Config()
    jobs = resolve_jobs(jobs)
    chunk = config.batch_size if batch_size is None else batch_size
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ConfigError(f"batch_size must be a positive integer, got {batch_size!r}")
    if prefetch < 1:
        raise ConfigError(f"prefetch must be at least 1, got {prefetch!r}")
    chunk = -(-chunk // config.batch_size) * config.batch_size
    if jobs == 1:
        from ..coder import Coder

        coded = Coder(config).code_stories(stories)
        return coded if keep_tokens else (slim(story) for story in coded)
    return _pooled(stories, config, jobs, chunk, prefetch, keep_tokens)


def _pooled(
    stories: Iterable[Story],
    config: Config,
    jobs: int,
    chunk: int,
    prefetch: int,
    keep_tokens: bool,
) -> Iterator[Story]:
    executor = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=mp_context(),
        initializer=_init_worker,
        initargs=(config, keep_tokens),
    )
    pending: deque[Future[list[Story]]] = deque()
    limit = jobs * prefetch
    try:
        chunks = _chunks(stories, chunk)
        for part in chunks:
            pending.append(executor.submit(_code_chunk, part))
            if len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()
        executor.shutdown(wait=True, cancel_futures=True)
