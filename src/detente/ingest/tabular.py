"""CSV and TSV files with a header row.

The story text comes from the ``text_column`` column (matched exactly, else ignoring
case); ``id``, ``date``, ``title``, ``url`` and ``source`` columns (any case) are used
when present, with the rules of :mod:`detente.ingest.fields`. Both formats use the
``csv`` module's default (minimal) quoting, so quoted fields may hold newlines;
``origin`` is the line where a record starts. A record longer than ``max_record_bytes``,
a line that is not UTF-8, or a row with more fields than the header is reported and
skipped. Empty values count as absent.

The ``csv`` module's process-wide field size limit is raised (never lowered) to
``max_record_bytes`` so that long articles fit; this module bounds records itself.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from detente.ingest.fields import Options, story_from_record
from detente.ingest.lines import RawLine, decode_error_detail, decode_strict
from detente.ingest.report import IngestReport
from detente.records import Story

STANDARD_COLUMNS = ("id", "date", "title", "url", "source")


class _RecordTooLong(Exception):
    """Raised through the csv reader when one record outgrows the limit."""


class _LineFeed:
    """Decoded lines for ``csv.reader``; remembers where the current record started."""

    def __init__(
        self, lines: Iterable[RawLine], name: str, opts: Options, report: IngestReport
    ) -> None:
        self._lines = iter(lines)
        self._name = name
        self._limit = opts.max_record_bytes
        self._report = report
        self._size = 0
        self.start = 0
        self._marking = True

    def mark(self) -> None:
        """The next line yielded starts a new record."""
        self._marking = True
        self._size = 0

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        while True:
            raw = next(self._lines)
            location = f"{self._name}:{raw.number}"
            if raw.data is None:
                self._report.add(f"line longer than {self._limit:,} bytes; skipped", location)
                continue
            try:
                line = decode_strict(raw.data, first=raw.number == 1)
            except UnicodeDecodeError as err:
                self._report.add(f"{decode_error_detail(err)}; line skipped", location)
                continue
            if self._marking:
                self.start, self._marking = raw.number, False
            self._size += len(raw.data)
            if self._size > self._limit:
                raise _RecordTooLong
            return line


def read_delimited(
    lines: Iterable[RawLine],
    name: str,
    stem: str,
    opts: Options,
    report: IngestReport,
    *,
    delimiter: str = ",",
) -> Iterator[Story]:
    """Stories from CSV (``delimiter=","``) or TSV (``delimiter="\\t"``)."""
    if csv.field_size_limit() < opts.max_record_bytes:
        csv.field_size_limit(opts.max_record_bytes)
    feed = _LineFeed(lines, name, opts, report)
    rows = _rows(csv.reader(feed, delimiter=delimiter), feed, name, opts, report)
    header = next(rows, None)
    if header is None:
        report.add("empty file: no header row", name)
        return
    columns = _columns(header[1], opts.text_column, f"{name}:{header[0]}", report)
    if columns is None:
        return
    records = 0
    for line, row in rows:
        records += 1
        origin = f"{name}:{line}"
        if len(row) > len(columns):
            report.add(
                f"row has {len(row)} fields but the header has {len(columns)}; record skipped",
                origin,
            )
            continue
        record = {key: value for key, value in zip(columns, row, strict=False) if value != ""}
        story = story_from_record(
            record,
            fallback_id=f"{stem}-{line}",
            origin=origin,
            opts=opts,
            report=report,
            text_field=opts.text_column,
        )
        if story is not None:
            yield story
    if records == 0:
        report.add("empty file: no records after the header", name)


def _rows(
    reader: Iterator[list[str]], feed: _LineFeed, name: str, opts: Options, report: IngestReport
) -> Iterator[tuple[int, list[str]]]:
    """Non-empty rows with their first line; malformed or oversized records are reported."""
    while True:
        feed.mark()
        try:
            row = next(reader)
        except StopIteration:
            return
        except _RecordTooLong:
            report.add(
                f"record longer than {opts.max_record_bytes:,} bytes; skipped",
                f"{name}:{feed.start}",
            )
            continue
        except csv.Error as err:
            report.add(f"malformed CSV ({err}); record skipped", f"{name}:{feed.start}")
            continue
        if row:
            yield feed.start, row


def _columns(
    header: list[str], text_column: str, location: str, report: IngestReport
) -> list[str] | None:
    """Header names normalised: standard columns lower-cased, the text column found."""
    columns = [
        cell.strip().lower() if cell.strip().lower() in STANDARD_COLUMNS else cell.strip()
        for cell in header
    ]
    if text_column in columns:
        return columns
    folded = [cell.lower() for cell in columns]
    if text_column.lower() in folded:
        columns[folded.index(text_column.lower())] = text_column
        return columns
    shown = ", ".join(repr(c) for c in columns)
    report.add(
        f"no column {text_column!r} in the header (columns: {shown}); file skipped", location
    )
    return None
