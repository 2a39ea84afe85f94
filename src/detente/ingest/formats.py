"""Opening one :class:`~detente.ingest.sources.Source` and handing it to its format reader."""

from __future__ import annotations

import codecs
import io
import itertools
import json
from collections.abc import Iterator
from typing import IO, Any, TextIO

from detente.ingest.fields import Options
from detente.ingest.jsonl import read_json_document, read_jsonl
from detente.ingest.lines import (
    SNIFF_BYTES,
    RawLine,
    binary_reason,
    decode_strict,
    raw_lines,
    read_bounded,
)
from detente.ingest.report import IngestReport
from detente.ingest.sources import Source
from detente.ingest.tabular import read_delimited
from detente.ingest.text import read_text
from detente.ingest.webpage import read_html
from detente.records import Story

_LINE_FORMATS = frozenset(("jsonl", "csv", "tsv"))


def read_source(
    source: Source, stdin: TextIO, opts: Options, report: IngestReport
) -> Iterator[Story]:
    """Stories of one input; problems go to ``report``; OSError is left to the caller."""
    if source.path is None:
        stream: IO[Any] = getattr(stdin, "buffer", stdin)
        yield from _read_stream(stream, source, opts, report)
        return
    with source.path.open("rb") as stream:
        reason = binary_reason(stream.read(SNIFF_BYTES))
        if reason:
            report.add(f"{reason}; skipped", source.name)
            return
        stream.seek(0)
        yield from _read_stream(stream, source, opts, report)


def _read_stream(
    stream: IO[Any], source: Source, opts: Options, report: IngestReport
) -> Iterator[Story]:
    name, stem, limit = source.name, source.stem, opts.max_record_bytes
    fmt = source.format
    if fmt is None or fmt in _LINE_FORMATS:
        lines: Iterator[RawLine] = raw_lines(stream, limit)
        if fmt is None:
            fmt, lines = _sniff(lines)
        if fmt == "jsonl":
            yield from read_jsonl(lines, name, stem, opts, report)
        elif fmt in ("csv", "tsv"):
            delimiter = "\t" if fmt == "tsv" else ","
            yield from read_delimited(lines, name, stem, opts, report, delimiter=delimiter)
        else:
            yield from _read_whole(_join(lines, limit), stream, source, opts, report)
        return
    yield from _read_whole(read_bounded(stream, limit), stream, source, opts, report)


def _read_whole(
    data: bytes | str | None, stream: IO[Any], source: Source, opts: Options, report: IngestReport
) -> Iterator[Story]:
    """Formats read as one piece: plain text, HTML and JSON documents."""
    name, stem, limit = source.name, source.stem, opts.max_record_bytes
    if data is None:
        if source.format == "json" and stream.seekable():
            stream.seek(0)  # too big for one document: it can only be JSON Lines
            yield from read_jsonl(raw_lines(stream, limit), name, stem, opts, report)
        else:
            report.add(f"larger than {limit:,} bytes; skipped", name)
        return
    if source.format == "json":
        yield from _read_json(data, source, opts, report)
    elif source.format == "html":
        yield from read_html(data, name, stem, opts, report)
    else:
        reason = binary_reason(data)
        if reason:
            report.add(f"{reason}; skipped", name)
            return
        yield from read_text(data, name, stem, opts, report)


def _sniff(lines: Iterator[RawLine]) -> tuple[str, Iterator[RawLine]]:
    """Standard input: JSONL if the first non-blank character is ``{``, else plain text."""
    held: list[RawLine] = []
    fmt = "text"
    for raw in lines:
        held.append(raw)
        if raw.data is None:
            break
        if isinstance(raw.data, bytes):
            head = raw.data.removeprefix(codecs.BOM_UTF8).lstrip().decode("latin-1")
        else:
            head = raw.data.removeprefix("\ufeff").lstrip()
        if head:
            fmt = "jsonl" if head.startswith("{") else "text"
            break
    return fmt, itertools.chain(held, lines)


def _join(lines: Iterator[RawLine], limit: int) -> bytes | str | None:
    """Lines joined back into one piece, or None when over ``limit``."""
    parts: list[Any] = []
    size = 0
    for raw in lines:
        size += limit + 1 if raw.data is None else len(raw.data)
        if size > limit:
            return None
        parts.append(raw.data)
    if parts and isinstance(parts[0], str):
        return "".join(parts)
    return b"".join(parts)


def _read_json(
    data: bytes | str, source: Source, opts: Options, report: IngestReport
) -> Iterator[Story]:
    """A whole JSON document if ``data`` is one, else JSON Lines."""
    try:
        value = json.loads(decode_strict(data, first=True))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        value = None
    if isinstance(value, dict | list):
        yield from read_json_document(value, source.name, source.stem, opts, report)
        return
    buffer = io.StringIO(data) if isinstance(data, str) else io.BytesIO(data)
    lines = raw_lines(buffer, opts.max_record_bytes)
    yield from read_jsonl(lines, source.name, source.stem, opts, report)
