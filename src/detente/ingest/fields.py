"""Turning one record (a JSON object or a CSV row) into a :class:`Story`.

Rules shared by the JSONL, JSON and CSV/TSV readers:

* ``text`` must be a non-empty string, else the record is skipped.
* ``id`` may be a string or an integer; missing, null or blank gives ``<stem>-<line>``.
  Any other type skips the record.
* ``date`` is an ISO 8601 date or date-time string (a date-time keeps its own calendar
  date, whatever its time zone). A bad date is reported with the field named
  (location ``path:line:date``) and the record is *kept* with ``default_date``.
* ``title``, ``url`` and ``source`` are optional strings; empty means absent; a value of
  another type is reported and ignored (the record is kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from detente.ingest.report import IngestReport
from detente.records import Story

OPTIONAL_TEXT_FIELDS = ("title", "url", "source")


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of one run, passed to every format reader."""

    default_date: dt.date | None
    text_column: str
    max_record_bytes: int
    input_format: str | None


def parse_date(value: str) -> dt.date:
    """An ISO 8601 date or date-time string as a date (ValueError if it is neither)."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return dt.datetime.fromisoformat(value).date()


def story_from_record(
    record: Mapping[str, Any],
    *,
    fallback_id: str,
    origin: str,
    opts: Options,
    report: IngestReport,
    text_field: str = "text",
) -> Story | None:
    """Build a Story from ``record``, or report why not and return None."""
    text = record.get(text_field)
    if text is None:
        report.add(f"missing {text_field!r} field; record skipped", origin)
        return None
    if not isinstance(text, str):
        kind = type(text).__name__
        report.add(f"{text_field!r} must be a string, not {kind}; record skipped", origin)
        return None
    if not text.strip():
        report.add(f"{text_field!r} is empty; record skipped", origin)
        return None
    story_id = _record_id(record.get("id"), fallback_id, origin, report)
    if story_id is None:
        return None
    optional = {
        name: _optional_text(record.get(name), name, origin, report)
        for name in OPTIONAL_TEXT_FIELDS
    }
    return Story(
        id=story_id,
        text=text,
        date=_record_date(record.get("date"), origin, opts, report),
        origin=origin,
        **optional,
    )


def _record_id(value: Any, fallback: str, origin: str, report: IngestReport) -> str | None:
    if value is None:
        return fallback
    if isinstance(value, bool) or not isinstance(value, str | int):
        kind = type(value).__name__
        report.add(f"'id' must be a string or an integer, not {kind}; record skipped", origin)
        return None
    text = str(value).strip()
    return text or fallback


def _record_date(value: Any, origin: str, opts: Options, report: IngestReport) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return opts.default_date
    if not isinstance(value, str):
        problem = f"'date' must be an ISO date string, not {type(value).__name__}"
    else:
        try:
            return parse_date(value)
        except ValueError:
            problem = f"'date' {value[:40]!r} is not an ISO date or date-time"
    fallback = opts.default_date.isoformat() if opts.default_date else "no date"
    report.add(f"{problem}; record kept with {fallback}", f"{origin}:date", skipped=False)
    return opts.default_date


def _optional_text(value: Any, name: str, origin: str, report: IngestReport) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        kind = type(value).__name__
        report.add(
            f"{name!r} must be a string, not {kind}; ignored", f"{origin}:{name}", skipped=False
        )
        return None
    return value.strip() or None
