"""Extract who held which office when from CountryInfo.txt into detente's people format.

CountryInfo.txt (MIT licence, see src/detente/data/SOURCES.md) lists, per country, leaders
with their terms (<Leaders>, from rulers.org, to about 2009) and government members with a
CAMEO code and dates (<Government>, from the CIA World Leaders lists, 2003-2011). Only facts
are taken: names, countries, roles, codes and dates. The output is
src/detente/data/actors/people_countryinfo_generated.tsv; the hand-typed files of the same
folder win wherever they cover the same person and period.

Usage: python scripts/extract_actor_facts.py [PATH/TO/CountryInfo.txt]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.actors.knowledge import PEOPLE_COLUMNS  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "ontology" / "CountryInfo.120116.txt"
OUTPUT = ROOT / "src" / "detente" / "data" / "actors" / "people_countryinfo_generated.tsv"
COLUMNS = (*PEOPLE_COLUMNS, "code")

HEAD_OF_STATE = re.compile(
    r"president|king|queen|emperor|sultan|emir|head|monarch|chairm|sovereign"
)
HEAD_OF_GOVERNMENT = re.compile(r"prime minister|premier|chancellor|chief minister")
TERM = re.compile(r"\[\s*(>|<)?\s*(\d{8})?\s*(?:-\s*(\d{8}))?\s*\]")
GOV_CODE = re.compile(r"\[([A-Z]{3,})\s+([<>]?)\s*(\d{8})?\s*(?:-\s*(\d{8}))?\s*\]")
TITLE_ROLES = (
    (
        re.compile(r"foreign affairs|foreign minister|external affairs|external relations"),
        "foreign_minister",
    ),
    (re.compile(r"\bdefen[cs]e\b"), "defence_minister"),
    (
        re.compile(r"\binterior\b|home affairs|internal security|public security"),
        "interior_minister",
    ),
    (re.compile(r"\bfinance\b|treasury"), "finance_minister"),
    (
        re.compile(r"governor.*(central|national|reserve) bank|central bank"),
        "central_bank_governor",
    ),
    (re.compile(r"^\s*prime minister|^\s*premier\b"), "head_of_government"),
    (re.compile(r"^\s*president\b"), "head_of_state"),
)


@dataclass
class Row:
    name: str
    aliases: list[str]
    country: str
    role: str
    start: str
    end: str
    code: str = ""

    def cells(self) -> list[str]:
        return [self.name, "", "|".join(self.aliases), self.country, self.role, "",
                self.start, self.end, self.code]  # fmt: skip


def iso(date: str | None) -> str:
    if not date:
        return ""
    year, month, day = date[:4], date[4:6], date[6:8]
    if month == "00":
        return year
    # The source writes month ends like 20090931 (a 31st in a 30-day month); keep the month.
    if day in ("00", "31") or int(day) > 28:
        return f"{year}-{month}"
    return f"{year}-{month}-{day}"


def person_name(raw: str) -> tuple[str, list[str]]:
    """``LEE_MYUNG-BAK_`` → ``Lee Myung-Bak``; ``{A} {B}`` synonyms become aliases."""
    parts = re.findall(r"\{([^}]*)\}", raw) or [raw]
    names = []
    for part in parts:
        words = part.replace("_", " ").split()
        if words:
            names.append(" ".join(w.capitalize() if w.isupper() else w for w in words))
    return (names[0], names[1:]) if names else ("", [])


def leader_role(tag: str) -> str | None:
    tag = tag.lower()
    if "vice" in tag or "deputy" in tag or "governor" in tag or "commission" in tag:
        return None  # colonial governors, vice presidents: not this table's roles
    if HEAD_OF_GOVERNMENT.search(tag):
        return "head_of_government"
    if HEAD_OF_STATE.search(tag):
        return "head_of_state"
    return None


def title_role(title: str) -> str:
    title = title.lower()
    if "deputy" in title or "vice" in title or "state minister" in title:
        return "other_official"
    for pattern, role in TITLE_ROLES:
        if pattern.search(title):
            return role
    return "other_official"


def leaders(country: str, lines: list[str]) -> list[Row]:
    """Terms from a <Leaders> block; an open term (``>date``) ends where the next begins."""
    rows: list[Row] = []
    role: str | None = None
    for line in lines:
        stripped = line.strip()
        tag = re.fullmatch(r"<([^/][^>]*)>", stripped)
        if tag:
            role = leader_role(tag.group(1))
            block: list[Row] = []
            continue
        if stripped.startswith("</"):
            role = None
            continue
        if role is None or not stripped:
            continue
        head = stripped.split("[", 1)[0].split("#", 1)[0].strip()
        term = TERM.search(stripped)
        name, aliases = person_name(head)
        if not name or term is None:
            continue
        marker, first, last = term.groups()
        if marker == "<" and first and not last:
            first, last = None, first
        row = Row(name, aliases, country, role, iso(first), iso(last))
        if block and not block[-1].end and row.start:
            block[-1].end = row.start  # the list is chronological
        block.append(row)
        rows.append(row)
    for row in rows:
        if not row.end and row.start and row.start < "2009":
            row.end = "2009"  # "in office at the last update, around 2009": no later claim
    return rows


def government(country: str, lines: list[str]) -> list[Row]:
    rows = []
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("<"):
            continue
        head, _, title = stripped.partition("#")
        name, aliases = person_name(head.split("[", 1)[0].strip())
        groups = GOV_CODE.findall(head)
        titles = [t.strip() for t in title.split("&")]
        for index, (code, marker, first, last) in enumerate(groups):
            if not name:
                continue
            if marker == "<":  # in office when the lists began (Jan 2003)
                first, last = None, first
            elif marker == ">":  # in office at the last update (Feb 2011)
                last = "20110228"
            each = titles[index] if len(titles) == len(groups) else titles[0] if titles else ""
            role = title_role(each)
            rows.append(Row(name, aliases, country, role, iso(first), iso(last), code))
    return rows


def ends_before_start(row: Row) -> bool:
    if not row.start or not row.end:
        return False
    width = min(len(row.start), len(row.end))
    return row.end[:width] < row.start[:width]


def extract(source: Path) -> list[Row]:
    text = source.read_text(encoding="latin-1")
    rows: list[Row] = []
    for block in re.findall(r"<Country>(.*?)</Country>", text, flags=re.S):
        code = re.search(r"<CountryCode>\s*([A-Z]{3})\s*</CountryCode>", block)
        if code is None:
            continue
        country = code.group(1)
        for part in re.findall(r"<Leaders>(.*?)</Leaders>", block, flags=re.S):
            rows.extend(leaders(country, part.splitlines()))
        for part in re.findall(r"<Government>(.*?)</Government>", block, flags=re.S):
            rows.extend(government(country, part.splitlines()))
    return rows


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    rows = extract(source)
    countries = {
        line.split("\t")[0]
        for line in (ROOT / "src/detente/data/countries.tsv").read_text().splitlines()[1:]
    }
    # Rows the source dates inconsistently (an end before the start: a list out of
    # chronological order, a "still in office" mark older than the start) claim nothing.
    rows = [r for r in rows if r.country in countries and not ends_before_start(r)]
    with OUTPUT.open("w", encoding="utf-8") as out:
        out.write(
            "# Generated by scripts/extract_actor_facts.py from CountryInfo.txt (MIT licence;\n"
            "# see ../SOURCES.md): leaders to about 2009 and government members 2003-2011.\n"
            "# Do not edit by hand: fix the script or add a hand-typed row elsewhere.\n"
        )
        out.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            out.write("\t".join(row.cells()) + "\n")
    print(f"{len(rows)} rows written to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
