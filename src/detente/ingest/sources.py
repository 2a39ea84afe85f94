"""Turning the ``paths`` argument into a sequence of inputs to read.

Each item is ``-`` (standard input), an existing file, an existing directory (searched
recursively in sorted order for files with a known extension; names starting with ``.``
are left out), or a glob pattern (``*``, ``?``, ``[...]``; ``**`` recurses) whose
matches are handled the same way, in sorted order. A file's format is ``input_format``
when given, else its extension's; a file named explicitly with an unknown extension is
read as plain text. A missing path, or a pattern that matches nothing, is reported and
the others are still read. A file reached twice is read once.
"""

from __future__ import annotations

import glob
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from detente.ingest.report import IngestReport

logger = logging.getLogger(__name__)

STDIN = "-"
STDIN_NAME = "<stdin>"
EXTENSION_FORMATS = {
    ".txt": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".html": "html",
    ".htm": "html",
}
FORMATS = frozenset(EXTENSION_FORMATS.values())
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file, or standard input when ``path`` is None."""

    name: str  # as shown in locations and origins
    format: str | None  # None: sniff it (standard input only)
    path: Path | None = None

    @property
    def stem(self) -> str:
        return "stdin" if self.path is None else self.path.stem


def expand(
    paths: Iterable[str | os.PathLike[str]], input_format: str | None, report: IngestReport
) -> Iterator[Source]:
    """The inputs named by ``paths``, in order, each file at most once."""
    seen: set[Path] = set()
    for item in paths:
        for source in _expand_one(os.fspath(item), input_format, report):
            if source.path is not None:
                key = source.path.resolve()
                if key in seen:
                    logger.info("%s: already read, not read again", source.name)
                    continue
                seen.add(key)
            yield source


def _expand_one(item: str, input_format: str | None, report: IngestReport) -> Iterator[Source]:
    if item == STDIN:
        yield Source(STDIN_NAME, input_format)
        return
    path = Path(item)
    if path.is_dir():
        yield from _directory(path, input_format, report)
    elif path.is_file():
        yield Source(item, input_format or EXTENSION_FORMATS.get(path.suffix.lower(), "text"), path)
    elif _GLOB_CHARS.intersection(item):
        yield from _pattern(item, input_format, report)
    elif path.exists():
        report.add("not a regular file; skipped", item)
    else:
        report.add("no such file or directory", item)


def _pattern(pattern: str, input_format: str | None, report: IngestReport) -> Iterator[Source]:
    matches = sorted(glob.iglob(pattern, recursive=True))
    if not matches:
        report.add("no file matches this pattern", pattern)
        return
    for match in matches:
        path = Path(match)
        if path.is_dir():
            yield from _directory(path, input_format, report)
        elif path.is_file() and (fmt := _known_format(path, input_format)):
            yield Source(match, fmt, path)


def _directory(root: Path, input_format: str | None, report: IngestReport) -> Iterator[Source]:
    found = False
    for path in sorted(root.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(root).parts)
        if hidden or not path.is_file():
            continue
        fmt = _known_format(path, input_format)
        if fmt:
            found = True
            yield Source(str(path), fmt, path)
    if not found:
        known = ", ".join(sorted(EXTENSION_FORMATS))
        report.add(
            f"directory holds no file with a known extension ({known})", str(root), skipped=False
        )


def _known_format(path: Path, input_format: str | None) -> str | None:
    fmt = EXTENSION_FORMATS.get(path.suffix.lower())
    return fmt and (input_format or fmt)
