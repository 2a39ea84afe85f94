"""`detente classify`: the event type of a given dyad (the caller brings the actors)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .errors import InputError
from .events.ontology import Ontology

BATCH = 256


@dataclass(frozen=True, slots=True)
class DyadRecord:
    id: str
    text: str
    source_text: str | None
    target_text: str | None


def read_dyad_records(
    paths: Sequence[str], problems: list[InputError], stdin: TextIO | None = None
) -> Iterator[DyadRecord]:
    """JSONL records ``{id, text, source_text, target_text}``; bad lines go to ``problems``."""
    for path in paths:
        if path == "-":
            if stdin is None:
                raise InputError("standard input is not available", "-")
            yield from _records(stdin, "<stdin>", problems)
            continue
        try:
            handle = Path(path).open(encoding="utf-8")
        except OSError as exc:
            problems.append(InputError(f"cannot open: {exc.strerror}", path))
            continue
        with handle:
            yield from _records(handle, path, problems)


def _records(lines: Iterable[str], name: str, problems: list[InputError]) -> Iterator[DyadRecord]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(InputError(f"not valid JSON ({exc.msg})", where))
            continue
        if (
            not isinstance(raw, dict)
            or not isinstance(raw.get("text"), str)
            or not raw["text"].strip()
        ):
            problems.append(InputError("field 'text' must be a non-empty string", where))
            continue
        bad = [
            k
            for k in ("source_text", "target_text")
            if raw.get(k) is not None and not isinstance(raw[k], str)
        ]
        if bad:
            problems.append(InputError(f"field {bad[0]!r} must be a string", where))
            continue
        yield DyadRecord(
            str(raw.get("id", where)), raw["text"], raw.get("source_text"), raw.get("target_text")
        )


def _batches(records: Iterable[DyadRecord], size: int) -> Iterator[list[DyadRecord]]:
    batch: list[DyadRecord] = []
    for record in records:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def classify_records(
    records: Iterable[DyadRecord], classifier: Any | None = None, ontology: Ontology | None = None
) -> Iterator[dict[str, Any]]:
    """``{id, cameo, plover, quad_class, confidence}`` for each record, in input order."""
    from .learn import DyadClassifier, DyadInput

    classifier = classifier or DyadClassifier.load_best()
    ontology = ontology or Ontology.load()
    for batch in _batches(records, BATCH):
        inputs = [DyadInput(r.text, r.source_text, r.target_text) for r in batch]
        for record, (label, probability) in zip(batch, classifier.predict(inputs), strict=True):
            cameo = ontology.default_for_plover(label)
            yield {
                "id": record.id,
                "cameo": cameo.code,
                "plover": label,
                "quad_class": cameo.quad_class,
                "confidence": round(float(probability), 3),
            }
