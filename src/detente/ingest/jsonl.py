"""JSON Lines (``.jsonl``, ``.ndjson``) and JSON documents (``.json``).

JSONL is read line by line. Blank lines are ignored. A line that is too long, not UTF-8,
not JSON or not a JSON object is reported (``path:line``) and skipped; reading goes on.
A ``.json`` file that parses as a whole is one object (one story, origin ``path``) or an
array of objects (origin ``path[i]``, i counted from 0); anything else is read as JSONL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from detente.ingest.fields import Options, story_from_record
from detente.ingest.lines import RawLine, decode_error_detail, decode_strict
from detente.ingest.report import IngestReport
from detente.records import Story


def read_jsonl(
    lines: Iterable[RawLine], name: str, stem: str, opts: Options, report: IngestReport
) -> Iterator[Story]:
    """Stories from JSON Lines; ``name`` is used in locations, ``stem`` in fallback ids."""
    records = 0
    for raw in lines:
        origin = f"{name}:{raw.number}"
        if raw.data is None:
            records += 1
            report.add(f"line longer than {opts.max_record_bytes:,} bytes; skipped", origin)
            continue
        try:
            line = decode_strict(raw.data, first=raw.number == 1)
        except UnicodeDecodeError as err:
            records += 1
            report.add(f"{decode_error_detail(err)}; line skipped", origin)
            continue
        if not line.strip():
            continue
        records += 1
        value = _parse_json(line, origin, report)
        if value is None:
            continue
        story = _story(value, f"{stem}-{raw.number}", origin, opts, report)
        if story is not None:
            yield story
    if records == 0:
        report.add("empty file: no records", name)


def read_json_document(
    value: Any, name: str, stem: str, opts: Options, report: IngestReport
) -> Iterator[Story]:
    """Stories from an already parsed JSON document (one object or an array of objects)."""
    if isinstance(value, dict):
        story = _story(value, stem, name, opts, report)
        if story is not None:
            yield story
        return
    if not isinstance(value, list):
        report.add(f"expected a JSON object or array, got {_kind(value)}; skipped", name)
        return
    if not value:
        report.add("empty file: the JSON array has no records", name)
    for index, item in enumerate(value):
        story = _story(item, f"{stem}-{index}", f"{name}[{index}]", opts, report)
        if story is not None:
            yield story


def _parse_json(line: str, origin: str, report: IngestReport) -> Any | None:
    try:
        return json.loads(line)
    except json.JSONDecodeError as err:
        report.add(f"malformed JSON ({err.msg} at column {err.colno}); line skipped", origin)
    except RecursionError:
        report.add("malformed JSON (nested too deeply); line skipped", origin)
    return None


def _story(
    value: Any, fallback_id: str, origin: str, opts: Options, report: IngestReport
) -> Story | None:
    if not isinstance(value, dict):
        report.add(f"expected a JSON object, got {_kind(value)}; skipped", origin)
        return None
    return story_from_record(
        value, fallback_id=fallback_id, origin=origin, opts=opts, report=report
    )


def _kind(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
