"""``read_stories``: every input named, read as a stream of :class:`Story` records."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

import numpy as np

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
    seen = SeenIds(SEEN_IDS_BUFFER)
    for source in expand(paths, opts.input_format, report):
        report.files += 1
        for story in _read_guarded(source, stdin, opts, report):
            origin = story.origin or source.name
            first = seen.get(story.id)
            if first is not None:
                report.add(
                    f"duplicate story id {story.id!r} (first read at {first}); skipped",
                    origin,
                )
                continue
            seen.add(story.id, origin, source.name)
            report.stories += 1
            yield story


SEEN_IDS_BUFFER = 65_536  # ids held in a dict before they are merged into the arrays

# An origin is its input's name, or the name followed by ":line" (JSON Lines, CSV,
# TSV) or "[index]" (a JSON array).
_POSITION = re.compile(r"(?::(\d{1,12})|\[(\d{1,12})\])\Z")
_NUMBER_BITS = 40
_KIND_BITS = 2
_MAX_INPUTS = 1 << (63 - _NUMBER_BITS - _KIND_BITS)  # so that a packed origin fits int64
_NAME_ONLY, _LINE, _INDEX, _OTHER = range(4)


class SeenIds:
    """The story ids read so far, with where each was first read: about 24 bytes an id.

    A long ingest reads every id once, so a plain ``{id: origin}`` dict grew by some 200
    bytes a story (two strings and an entry). Here an id is kept as a 128-bit digest
    (blake2b: a collision among a billion ids has a chance below 1e-20) and its origin as
    one integer: the number of its input (names are stored once per input) and the line
    or index in it. Recent ids sit in a dict; every ``buffer`` ids they are merged into
    sorted numpy arrays (24 bytes an id), which are searched by bisection.
    """

    def __init__(self, buffer: int = SEEN_IDS_BUFFER) -> None:
        self.buffer = buffer
        self._high = np.empty(0, dtype=np.uint64)  # sorted: first 64 bits of the digest
        self._low = np.empty(0, dtype=np.uint64)  # the other 64 bits, same order
        self._where = np.empty(0, dtype=np.int64)  # packed origins, same order
        self._recent: dict[int, int] = {}  # digest -> packed origin
        self._names: list[str] = []  # input names, by number
        self._numbers: dict[str, int] = {}
        self._others: list[str] = []  # origins of another shape, kept whole

    def __len__(self) -> int:
        return len(self._high) + len(self._recent)

    @staticmethod
    def _digest(story_id: str) -> int:
        raw = hashlib.blake2b(story_id.encode("utf-8", "surrogatepass"), digest_size=16)
        return int.from_bytes(raw.digest(), "big")

    def get(self, story_id: str) -> str | None:
        """Where ``story_id`` was first read, or None when it has not been read."""
        digest = self._digest(story_id)
        packed = self._recent.get(digest)
        if packed is None and len(self._high):
            high, low = np.uint64(digest >> 64), np.uint64(digest & 0xFFFF_FFFF_FFFF_FFFF)
            at = int(np.searchsorted(self._high, high))
            while at < len(self._high) and self._high[at] == high:
                if self._low[at] == low:
                    packed = int(self._where[at])
                    break
                at += 1
        return None if packed is None else self._unpack(packed)

    def add(self, story_id: str, origin: str, name: str) -> None:
        """Remember ``story_id`` as read at ``origin``, from the input called ``name``."""
        self._recent[self._digest(story_id)] = self._pack(origin, name)
        if len(self._recent) >= self.buffer:
            self._merge()

    def _pack(self, origin: str, name: str) -> int:
        number = self._number(name)
        if number is not None:
            if origin == name:
                return self._packed(number, _NAME_ONLY, 0)
            match = _POSITION.search(origin) if origin.startswith(name) else None
            if match is not None and match.start() == len(name):
                line, index = match.groups()
                kind, value = (_LINE, line) if line is not None else (_INDEX, index)
                if str(int(value)) == value and int(value) < 1 << _NUMBER_BITS:
                    return self._packed(number, kind, int(value))
        self._others.append(origin)
        return self._packed(0, _OTHER, len(self._others) - 1)

    def _number(self, name: str) -> int | None:
        """The number of the input called ``name``; None past what a packed origin holds."""
        number = self._numbers.get(name)
        if number is None and len(self._names) < _MAX_INPUTS:
            number = self._numbers[name] = len(self._names)
            self._names.append(name)
        return number

    @staticmethod
    def _packed(number: int, kind: int, value: int) -> int:
        return (number << (_KIND_BITS + _NUMBER_BITS)) | (kind << _NUMBER_BITS) | value

    def _unpack(self, packed: int) -> str:
        value = packed & ((1 << _NUMBER_BITS) - 1)
        kind = (packed >> _NUMBER_BITS) & ((1 << _KIND_BITS) - 1)
        if kind == _OTHER:
            return self._others[value]
        name = self._names[packed >> (_KIND_BITS + _NUMBER_BITS)]
        if kind == _LINE:
            return f"{name}:{value}"
        if kind == _INDEX:
            return f"{name}[{value}]"
        return name

    def _merge(self) -> None:
        digests = list(self._recent)
        high = np.fromiter((d >> 64 for d in digests), dtype=np.uint64, count=len(digests))
        low = np.fromiter(
            (d & 0xFFFF_FFFF_FFFF_FFFF for d in digests), dtype=np.uint64, count=len(digests)
        )
        where = np.fromiter(self._recent.values(), dtype=np.int64, count=len(digests))
        high = np.concatenate([self._high, high])
        order = np.argsort(high, kind="stable")
        self._high = high[order]
        self._low = np.concatenate([self._low, low])[order]
        self._where = np.concatenate([self._where, where])[order]
        self._recent = {}


def _read_guarded(
    source: Source, stdin: TextIO | None, opts: Options, report: IngestReport
) -> Iterator[Story]:
    """The stories of one input; an OS error ends that input only."""
    try:
        yield from read_source(source, sys.stdin if stdin is None else stdin, opts, report)
    except OSError as err:
        report.add(f"cannot read: {err.strerror or err}", source.name)
