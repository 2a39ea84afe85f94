"""Reading the package's own TSV data files (tables and lexicons)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from .errors import InputError


def data_path(name: str) -> Path:
    """Path of a data file shipped inside the package."""
    return Path(str(resources.files("detente") / "data" / name))


def read_tsv(path: Path, required: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """Rows of a TSV with a header; ``#`` lines are comments. Errors name file and line."""
    for _, row in read_tsv_numbered(path, required):
        yield row


def read_tsv_numbered(
    path: Path, required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """``read_tsv`` with each row's line number, for messages that point at a row."""
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        raise InputError(f"cannot open data file: {exc.strerror}", str(path)) from exc
    with handle:
        lines = ((n, line) for n, line in enumerate(handle, 1) if line.strip())
        lines = ((n, line) for n, line in lines if not line.startswith("#"))
        try:
            header_line, header = next(lines)
        except StopIteration:
            raise InputError("data file is empty", str(path)) from None
        columns = header.rstrip("\r\n").split("\t")
        missing = [c for c in required if c not in columns]
        if missing:
            raise InputError(f"missing columns {missing}", f"{path}:{header_line}")
        for number, line in lines:
            values = next(csv.reader([line.rstrip("\r\n")], delimiter="\t", quoting=csv.QUOTE_NONE))
            if len(values) < len(required):
                raise InputError(
                    f"expected {len(columns)} tab-separated fields, found {len(values)}",
                    f"{path}:{number}",
                )
            values += [""] * (len(columns) - len(values))
            yield number, dict(zip(columns, (v.strip() for v in values), strict=False))


def split_cell(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]
