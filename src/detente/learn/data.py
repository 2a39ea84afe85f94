"""Readers for training data: gold JSONL (dyad events, penta sentences) and NGEC synthetic stories.

These are only used when training or benchmarking; nothing read here is shipped.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from importlib import resources
from pathlib import Path

from detente.errors import InputError
from detente.learn.features import DyadInput

PLOVER_LABELS: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "YIELD", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
PLOVER_ALIASES = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
_SENT_END = re.compile(r"(?<=[.!?])[\"”’']?\s+(?=[A-Z\"“])")


def normalise_plover(label: str) -> str:
    """Upper-case a PLOVER type and fold CONCEDE/RETREAT into YIELD."""
    up = label.strip().upper()
    return PLOVER_ALIASES.get(up, up)


def _read_jsonl(path: str | Path) -> list[dict]:
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(exc), str(p)) from exc
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputError(f"bad JSON: {exc.msg}", f"{p}:{n}") from exc
    return rows


def read_dyad_examples(path: str | Path) -> list[tuple[DyadInput, str, str]]:
    """(input, PLOVER label, sentence id) for every gold event that carries a PLOVER type."""
    out = []
    for row in _read_jsonl(path):
        for ev in row.get("events") or []:
            if ev.get("plover"):
                item = DyadInput(row["text"], ev.get("source_text"), ev.get("target_text"))
                out.append((item, normalise_plover(ev["plover"]), str(row.get("id", ""))))
    return out


def read_penta_examples(path: str | Path) -> list[tuple[str, int]]:
    """(sentence, penta class 0-4) pairs."""
    return [(row["text"], int(row["penta"])) for row in _read_jsonl(path) if "penta" in row]


def lead_sentence(story: str) -> str:
    """The first sentence of a story's first paragraph."""
    para = story.strip().split("\n", 1)[0].strip()
    return _SENT_END.split(para, 1)[0].strip()


def read_ngec_stories(path: str | Path) -> list[tuple[str, str]]:
    """(lead sentence, PLOVER label) from the NGEC synthetic stories (CSV, or a zip of one)."""
    p = Path(path)
    try:
        if p.suffix == ".zip":
            with zipfile.ZipFile(p) as zf:
                name = next(n for n in zf.namelist() if n.endswith(".csv"))
                raw = zf.read(name).decode("utf-8")
        else:
            raw = p.read_text(encoding="utf-8")
    except (OSError, StopIteration, zipfile.BadZipFile) as exc:
        raise InputError(f"cannot read NGEC stories: {exc}", str(p)) from exc
    out = []
    for row in csv.DictReader(io.StringIO(raw)):
        label = normalise_plover(row.get("label") or "")
        text = lead_sentence(row.get("text") or "")
        if label in PLOVER_LABELS and text:
            out.append((text, label))
    return out


PENTA_OF_TYPE = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1,
    "COOPERATE": 2, "AID": 2, "YIELD": 2,
    "ACCUSE": 3, "REQUEST": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
    "NONE": 0,
}  # fmt: skip


def synthetic_paths() -> list[Path]:
    """The developers' own synthetic example files shipped with the package (see its README)."""
    folder = Path(str(resources.files("detente") / "data" / "training"))
    return sorted(folder.glob("synthetic_dyads*.jsonl"))


def _read_synthetic(path: str | Path | None) -> list[dict]:
    paths = [path] if path is not None else synthetic_paths()
    return [row for p in paths for row in _read_jsonl(p)]


def read_synthetic_dyads(path: str | Path | None = None) -> list[tuple[DyadInput, str]]:
    """(input, PLOVER type) pairs from one synthetic file (default: all of them); lines
    labelled NONE are left out."""
    rows = _read_synthetic(path)
    return [
        (DyadInput(r["text"], r.get("source_text"), r.get("target_text")), r["plover"])
        for r in rows
        if r["plover"] != "NONE"
    ]


def read_synthetic_penta(path: str | Path | None = None) -> list[tuple[str, int]]:
    """(sentence, five-class label) pairs from the synthetic file, NONE lines as class 0."""
    return [(r["text"], PENTA_OF_TYPE[r["plover"]]) for r in _read_synthetic(path)]
