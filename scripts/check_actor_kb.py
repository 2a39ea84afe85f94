"""Check the actor knowledge base's hand-typed files: columns, roles, codes and dates.

Usage: .venv/bin/python scripts/check_actor_kb.py [FILE ...]   (default: every actor file)
Prints one line per problem as FILE:LINE: message, and a count per file; exits 1 on problems.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.actors.knowledge import (  # noqa: E402
    GROUP_COLUMNS,
    GROUP_KINDS,
    ORG_ROLES,
    PEOPLE_COLUMNS,
    ROLES,
)

DATA = ROOT / "src" / "detente" / "data"
KB = DATA / "actors"
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CODE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")


def countries() -> set[str]:
    lines = (DATA / "countries.tsv").read_text(encoding="utf-8").splitlines()
    return {line.split("\t")[0] for line in lines[1:] if line and not line.startswith("#")}


def check(path: Path, isos: set[str]) -> list[str]:
    problems: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    body = [(n, line) for n, line in enumerate(lines, 1) if line and not line.startswith("#")]
    if not body:
        return [f"{path}:1: empty file"]
    header_no, header = body[0]
    columns = header.split("\t")
    expected = list(PEOPLE_COLUMNS if path.name.startswith("people") else GROUP_COLUMNS)
    if path.name.endswith("_generated.tsv"):
        expected = [*expected, "code"]
    if columns != expected:
        return [f"{path}:{header_no}: header must be {' '.join(expected)}"]
    rows = 0
    for number, line in body[1:]:
        cells = line.split("\t")
        where = f"{path}:{number}"
        if len(cells) != len(columns):
            problems.append(f"{where}: {len(cells)} cells, expected {len(columns)}")
            continue
        row = dict(zip(columns, cells, strict=True))
        rows += 1
        if not row["name"].strip():
            problems.append(f"{where}: empty name")
        if row["country"] not in isos:
            problems.append(
                f"{where}: country {row['country']!r} is not an ISO3 code in countries.tsv"
            )
        for key in ("start", "end"):
            if row[key] and not DATE.match(row[key]):
                problems.append(f"{where}: {key} {row[key]!r} is not YYYY[-MM[-DD]]")
        if (
            row["start"]
            and row["end"]
            and row["end"][: len(row["start"])] < row["start"][: len(row["end"])]
        ):
            problems.append(f"{where}: ends before it starts")
        if "role" in row:
            if row["role"] not in ROLES:
                problems.append(f"{where}: role {row['role']!r} is not one of {sorted(ROLES)}")
            if row["role"] in ORG_ROLES and not CODE.match(row["org"]):
                problems.append(f"{where}: {row['role']} needs org, a CAMEO code")
        else:
            if row["kind"] not in GROUP_KINDS:
                problems.append(f"{where}: kind {row['kind']!r} is not one of {GROUP_KINDS}")
            if not CODE.match(row["code"]):
                problems.append(f"{where}: code {row['code']!r} is not a CAMEO code")
    print(f"{path.name}: {rows} rows, {len(problems)} problems", file=sys.stderr)
    return problems


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or sorted(
        p for p in KB.glob("*.tsv") if p.name.startswith(("people_", "groups_"))
    )
    isos = countries()
    problems = [p for f in files for p in check(f, isos)]
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
