"""Bounded reading of raw input: lines, whole files, binary sniffing, UTF-8 decoding.

Nothing here holds more than ``max_bytes`` (plus one line-drain chunk) of one input at a
time. Streams may be binary (files, ``sys.stdin.buffer``) or text (``io.StringIO``); for
text streams the limits count characters instead of bytes.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

DEFAULT_MAX_RECORD_BYTES = 10 * 1024 * 1024
SNIFF_BYTES = 8192
_DRAIN_CHUNK = 1 << 20
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class RawLine:
    """One physical line (newline included) as read; ``data`` is None when it was too long."""

    number: int
    data: bytes | str | None


def raw_lines(stream: IO[Any], max_bytes: int) -> Iterator[RawLine]:
    """Yield the lines of ``stream``; a line over ``max_bytes`` is skipped, not kept."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not ends_line(line):
            drain_line(stream)
            yield RawLine(number, None)
        else:
            yield RawLine(number, line)


def ends_line(line: bytes | str) -> bool:
    return line[-1:] in (b"\n", "\n")


def drain_line(stream: IO[Any]) -> None:
    """Read and throw away the rest of the current line, one chunk at a time."""
    while True:
        chunk = stream.readline(_DRAIN_CHUNK)
        if not chunk or ends_line(chunk):
            return


def read_bounded(stream: IO[Any], max_bytes: int) -> bytes | str | None:
    """The whole rest of ``stream``, or None when it is longer than ``max_bytes``."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        return None
    return data


def binary_reason(head: bytes | str) -> str | None:
    """Why ``head`` (the first bytes of an input) is not UTF-8 text, or None if it may be."""
    if isinstance(head, str):
        return "not text (contains NUL characters)" if "\x00" in head else None
    if head.startswith(_WIDE_BOMS):
        return "looks like UTF-16 or UTF-32 text; only UTF-8 is read, convert it first"
    if b"\x00" in head:
        return "binary file (contains NUL bytes), not text"
    return None


def decode_strict(data: bytes | str, *, first: bool) -> str:
    """Decode UTF-8 (raising UnicodeDecodeError); a byte-order mark on the first line goes."""
    text = data if isinstance(data, str) else data.decode("utf-8")
    if first and text.startswith("\ufeff"):
        text = text[1:]
    return text


def decode_error_detail(err: UnicodeDecodeError) -> str:
    bad = err.object[err.start : err.start + 1]
    return f"invalid UTF-8 (byte 0x{bad.hex()} at offset {err.start})"


def normalize_newlines(text: str) -> str:
    """Universal newlines, as text-mode ``open`` would give."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
