from __future__ import annotations

import io

from detente.ingest.lines import binary_reason, raw_lines, read_bounded


def test_raw_lines_skips_long_lines_and_keeps_numbering() -> None:
    stream = io.BytesIO(b"short\n" + b"x" * 50 + b"\nlast")
    lines = list(raw_lines(stream, 10))
    assert [(raw.number, raw.data) for raw in lines] == [(1, b"short\n"), (2, None), (3, b"last")]


def test_raw_lines_limit_counts_content_without_newline() -> None:
    lines = list(raw_lines(io.BytesIO(b"1234567890\nabc\n"), 10))
    assert [raw.data for raw in lines] == [b"1234567890\n", b"abc\n"]


def test_raw_lines_on_text_streams() -> None:
    lines = list(raw_lines(io.StringIO("a\n" + "y" * 30 + "\nb\n"), 10))
    assert [raw.data for raw in lines] == ["a\n", None, "b\n"]


def test_read_bounded() -> None:
    assert read_bounded(io.BytesIO(b"abc"), 3) == b"abc"
    assert read_bounded(io.BytesIO(b"abcd"), 3) is None


def test_binary_reason() -> None:
    assert binary_reason(b"plain text") is None
    assert "NUL" in (binary_reason(b"a\x00b") or "")
    assert "UTF-16" in (binary_reason("x".encode("utf-16")) or "")
    assert binary_reason("text") is None
