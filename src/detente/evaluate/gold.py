"""Reading gold JSONL files (shared/gold/FORMAT.md)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

YIELD_ALIASES = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}


def plover_label(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().upper()
    return YIELD_ALIASES.get(value, value)


@dataclass(frozen=True, slots=True)
class GoldEvent:
    source_text: str | None = None
    target_text: str | None = None
    source: str | None = None
    target: str | None = None
    cameo: str | None = None
    plover: str | None = None


@dataclass(frozen=True, slots=True)
class GoldItem:
    id: str
    text: str
    date: dt.date | None = None
    events: tuple[GoldEvent, ...] = field(default_factory=tuple)
    no_event: bool = False
    penta: int | None = None


def read_gold(path: Path, limit: int | None = None) -> Iterator[GoldItem]:
    """Gold items; a malformed line raises InputError naming the file and line."""
    with path.open(encoding="utf-8") as handle:
        count = 0
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            yield _item(line, f"{path}:{number}")
            count += 1


def _item(line: str, where: str) -> GoldItem:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", where) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise InputError("a gold record needs a string field 'text'", where)
    date = None
    if raw.get("date"):
        try:
            date = dt.date.fromisoformat(str(raw["date"])[:10])
        except ValueError:
            raise InputError(f"field 'date' is not an ISO date: {raw['date']!r}", where) from None
    events = tuple(
        GoldEvent(
            source_text=e.get("source_text"),
            target_text=e.get("target_text"),
            source=e.get("source"),
            target=e.get("target"),
            cameo=str(e["cameo"]) if e.get("cameo") is not None else None,
            plover=plover_label(e.get("plover")),
        )
        for e in raw.get("events") or []
        if isinstance(e, dict)
    )
    penta = raw.get("penta")
    return GoldItem(
        id=str(raw.get("id", where)),
        text=raw["text"],
        date=date,
        events=events,
        no_event=bool(raw.get("no_event")),
        penta=int(penta) if penta is not None else None,
    )
