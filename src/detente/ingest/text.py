"""Plain text files: one file, one story.

* id: the file name without its extension (``stdin`` for standard input);
* text: the whole file, newlines normalised to ``\\n`` (a UTF-8 byte-order mark dropped);
* title: the first non-blank line, stripped, when it looks like a headline: at most
  :data:`TITLE_MAX_CHARS` characters, not ending in ``. , ; :`` and followed by more text.
  The title line stays part of ``text``.
* Bytes that are not UTF-8 are replaced by U+FFFD and reported as a warning (the story is
  kept): a mostly readable article is worth more than a perfect one that is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from detente.ingest.fields import Options
from detente.ingest.lines import decode_error_detail, decode_strict, normalize_newlines
from detente.ingest.report import IngestReport
from detente.records import Story

TITLE_MAX_CHARS = 150
_NOT_TITLE_ENDINGS = (".", ",", ";", ":")


def read_text(
    data: bytes | str, name: str, stem: str, opts: Options, report: IngestReport
) -> Iterator[Story]:
    text = decode_lenient(data, name, report)
    text = normalize_newlines(text)
    if not text.strip():
        report.add("empty file: no text", name)
        return
    yield Story(id=stem, text=text, title=guess_title(text), date=opts.default_date, origin=name)


def decode_lenient(data: bytes | str, name: str, report: IngestReport) -> str:
    """UTF-8 text; undecodable bytes are replaced and reported (not skipped)."""
    try:
        return decode_strict(data, first=True)
    except UnicodeDecodeError as err:
        assert isinstance(data, bytes)
        report.add(
            f"{decode_error_detail(err)}; undecodable bytes replaced by U+FFFD", name, skipped=False
        )
        return data.decode("utf-8", errors="replace").removeprefix("\ufeff")


def guess_title(text: str) -> str | None:
    """The first line when it reads like a headline (see the module docstring), else None."""
    head, _, rest = text.lstrip().partition("\n")
    head = head.strip()
    if not rest.strip() or len(head) > TITLE_MAX_CHARS or head.endswith(_NOT_TITLE_ENDINGS):
        return None
    return head
