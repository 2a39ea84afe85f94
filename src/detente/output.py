"""Writing records as JSON Lines, CSV or a terminal table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from .errors import ConfigError

FORMATS = ("jsonl", "csv", "table")
TABLE_COLUMNS = (
    "date",
    "source",
    "target",
    "cameo",
    "cameo_name",
    "modality",
    "confidence",
    "sentence",
)
TABLE_WIDTHS = {"cameo_name": 28, "sentence": 60}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_records(
    records: Iterable[dict[str, Any]],
    fmt: str,
    stream: TextIO,
    *,
    fields: Sequence[str] | None = None,
    table_columns: Sequence[str] = TABLE_COLUMNS,
) -> int:
    """Write records in ``fmt``; returns how many were written."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown output format {fmt!r} (choose from {', '.join(FORMATS)})")
    count = 0
    if fmt == "jsonl":
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    if fmt == "csv":
        writer: csv.DictWriter | None = None
        for record in records:
            if writer is None:
                writer = csv.DictWriter(stream, fieldnames=list(fields or record.keys()))
                writer.writeheader()
            writer.writerow({k: _cell(record.get(k)) for k in writer.fieldnames})
            count += 1
        return count
    rows = [[_cell(r.get(c)) for c in table_columns] for r in records]
    stream.write(format_table(table_columns, rows))
    return len(rows)


def format_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    clipped = [
        [_clip(value, TABLE_WIDTHS.get(col, 40)) for col, value in zip(columns, row, strict=True)]
        for row in rows
    ]
    widths = [max([len(c)] + [len(r[i]) for r in clipped]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip() for r in clipped
    ]
    return "\n".join(lines) + "\n"


def _clip(value: str, width: int) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= width else value[: width - 1] + "…"
