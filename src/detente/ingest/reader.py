"""``read_stories``: every input named, read as a stream of :class:`Story` records."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from detente.errors import ConfigError
from detente.ingest.fields import Options
from detente.ingest.formats import read_source
from detente.ingest.lines import DEFAULT_MAX_RECORD_BYTES
from detente.ingest.report import IngestReport
from detente.ingest.sources import FORMATS, Source, expand
from detente.records import Story

PathArg = str | os.PathLike[str]


def read_stories(
    paths: Sequence[PathArg] | PathArg,
    *,
    default_date: dt.date | None = None,
    text_column: str = "text",
    input_format: str | None = None,
    stdin: TextIO | None = None,
    report: IngestReport | None = None,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Iterator[Story]:
    """Stream the stories found in ``paths``, lazily, one record in memory at a time.

    ``paths`` holds files, directories, glob patterns and ``-`` (read ``stdin``, by
    default ``sys.stdin``). ``input_format`` (``text``, ``jsonl``, ``json``, ``csv``,
    ``tsv``, ``html``) forces the format of every input; without it the file extension
    decides and standard input is sniffed. ``default_date`` dates stories that carry no
    (readable) date. ``text_column`` names the CSV/TSV text column. A record, line or
    file over ``max_record_bytes`` is skipped.

    Bad input never stops the run: each problem is logged and added to ``report``
    (an :class:`IngestReport`, filled in as the iterator is consumed) and reading goes
    on. Story ids are unique: a later story with an id already read is skipped and
    reported. Raises :class:`~detente.errors.ConfigError` for invalid arguments.
    """
    if input_format is not None and input_format not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise ConfigError(f"unknown input format {input_format!r} (known: {known})")
    if max_record_bytes < 1:
        raise ConfigError(f"max_record_bytes must be positive, not {max_record_bytes}")
    if not text_column:
        raise ConfigError("text_column must not be empty")
    if isinstance(default_date, dt.datetime):
        default_date = default_date.date()
    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    opts = Options(default_date, text_column, max_record_bytes, input_format)
    return _stories(list(paths), opts, stdin, IngestReport() if report is None else report)


def _stories(
    paths: list[PathArg], opts: Options, stdin: TextIO | None, report: IngestReport
) -> Iterator[Story]:
    first_seen: dict[str, str] = {}
    for source in expand(paths, opts.input_format, report):
        report.files += 1
        for story in _read_guarded(source, stdin, opts, report):
            origin = story.origin or source.name
            if story.id in first_seen:
                report.add(
                    f"duplicate story id {story.id!r} (first read at "
                    f"{first_seen[story.id]}); skipped",
                    origin,
                )
                continue
            first_seen[story.id] = origin
            report.stories += 1
            yield story


def _read_guarded(
    source: Source, stdin: TextIO | None, opts: Options, report: IngestReport
) -> Iterator[Story]:
    """The stories of one input; an OS error ends that input only."""
    try:
        yield from read_source(source, sys.stdin if stdin is None else stdin, opts, report)
    except OSError as err:
        report.add(f"cannot read: {err.strerror or err}", source.name)
