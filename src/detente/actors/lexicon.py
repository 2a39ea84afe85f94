"""Names, adjectives, capitals, organisations and titles that identify actors."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..data_files import data_path, read_tsv, split_cell
from .knowledge import KB_DIR, KnowledgeBase

PHRASE_KINDS = ("country", "adjective", "capital", "metonym", "igo", "agent", "user", "known")
# Name forms longer than this are left out of the phrase table: every extra word makes the
# longest-match search of every sentence slower, and such long forms are rare in news.
KNOWN_FORM_WORDS = 6


def normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text.strip().lower())


def _is_acronym(phrase: str) -> bool:
    letters = phrase.replace(".", "").replace("-", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper() and "." not in phrase


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    cameo: str
    name: str
    fips: str | None = None
    capital: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase names. For agents, ``sector``/``secondary``/``is_title`` apply."""

    kind: str
    code: str | None = None  # country CAMEO code, IGO code or full actor code
    country: str | None = None  # ISO3
    sector: str | None = None
    secondary: tuple[str, ...] = ()
    is_title: bool = False
    # Date-bounded alternatives, from user dictionaries ("LEE JAE-MYUNG": KORGOV from
    # 2025-06-04): on a story date the first period holding it gives the entry.
    periods: tuple[Period, ...] = ()

    def on(self, date: dt.date | None) -> Entry | None:
        """The entry in force on ``date``; without a holding period, this one if it has a
        code (the undated default), else none."""
        if not self.periods:
            return self
        if date is not None:
            for period in self.periods:
                if period.holds(date):
                    return period.entry
        return self if self.code is not None else None


def merge_user_entries(first: Entry, second: Entry) -> Entry:
    """Two user entries for one phrase: every dated period applies on its dates, ahead of
    either undated code; the later undated code overrides the earlier."""
    default = second if second.code is not None else first
    return Entry(
        "user",
        default.code,
        default.country,
        default.sector,
        default.secondary,
        periods=(*second.periods, *first.periods),
    )


@dataclass(frozen=True, slots=True)
class Period:
    entry: Entry | None  # None: the phrase names no actor then (PETRARCH's [---])
    start: dt.date | None = None  # inclusive; None is open
    end: dt.date | None = None  # inclusive; None is open

    def holds(self, date: dt.date) -> bool:
        return (self.start is None or self.start <= date) and (self.end is None or date <= self.end)


@dataclass(slots=True)
class ActorLexicon:
    phrases: dict[str, Entry] = field(default_factory=dict)
    acronyms: dict[str, Entry] = field(default_factory=dict)  # matched case-sensitively
    countries: dict[str, Country] = field(default_factory=dict)  # by ISO3
    max_words: int = 1
    # People and groups by name (``kind="known"`` phrases); the actor stage resolves them
    # by the story's date and context.
    knowledge: KnowledgeBase | None = None

    def add(self, phrase: str, entry: Entry, *, replace: bool = False) -> None:
        if _is_acronym(phrase):
            # "NAM" the movement, not "Nam" the ambassador; "WHO", not "who".
            if phrase not in self.acronyms or replace:
                self.acronyms[phrase] = entry
            return
        key = normalise(phrase)
        if not key:
            return
        known = self.phrases.get(key)
        if known is not None and not replace:
            if known.kind == "known" and entry.kind == "user":
                replace = True  # a user's dictionary overrides the knowledge base
            elif known.kind == "user" and entry.kind == "user":
                self.phrases[key] = merge_user_entries(known, entry)
                return
            else:
                return
        self.phrases[key] = entry
        self.max_words = max(self.max_words, len(key.split(" ")) + key.count(".") // 2)

    def lookup(self, phrase: str, date: dt.date | None = None) -> Entry | None:
        """What ``phrase`` names on ``date`` (dated entries need one; None: undated)."""
        entry = self.acronyms.get(phrase.strip()) or self.phrases.get(normalise(phrase))
        if entry is None and self.knowledge is not None and ("-" in phrase or not phrase.isascii()):
            # "Erdoğan", "Myung-bak": the knowledge base folds accents and hyphens away.
            if self.knowledge.candidates(phrase):
                entry = KNOWN
        return entry.on(date) if entry is not None else None

    def country(self, iso3: str | None) -> Country | None:
        return self.countries.get(iso3) if iso3 else None

    @classmethod
    def load(cls, data_dir: Path | None = None, *, knowledge: bool = True) -> ActorLexicon:
        """The packaged tables (or ``data_dir``'s), with the actor knowledge base unless
        ``knowledge`` is false."""

        def path(name: str) -> Path:
            return data_dir / name if data_dir else data_path(name)

        lexicon = cls()
        lexicon._load_countries(path("countries.tsv"))
        lexicon._load_igos(path("igos.tsv"))
        lexicon._load_metonyms(path("metonyms.tsv"))
        lexicon._load_agents(path("agents.tsv"))
        if knowledge:
            folder = path(KB_DIR)
            cameo_of = {iso3: c.cameo for iso3, c in lexicon.countries.items()}
            lexicon.add_knowledge(
                KnowledgeBase.load(folder if folder.is_dir() else None, cameo_of=cameo_of)
            )
        return lexicon

    def add_knowledge(self, knowledge: KnowledgeBase) -> None:
        """Make every name form of ``knowledge`` a phrase; the tables' own phrases win."""
        self.knowledge = knowledge
        for form in knowledge.forms():
            if len(form.split()) <= KNOWN_FORM_WORDS:
                self.add(form, KNOWN)

    def _load_countries(self, path: Path) -> None:
        rows = list(read_tsv(path, ("iso3", "cameo", "name", "aliases", "adjectives", "capital")))
        for row in rows:
            iso3 = row["iso3"]
            self.countries[iso3] = Country(
                iso3=iso3,
                cameo=row["cameo"] or iso3,
                name=row["name"],
                fips=row.get("fips") or None,
                capital=row["capital"] or None,
                lat=float(row["lat"]) if row.get("lat") else None,
                lon=float(row["lon"]) if row.get("lon") else None,
            )
        # Names first over all countries, so that no adjective or capital shadows a name.
        for row in rows:
            entry = Entry("country", row["cameo"] or row["iso3"], row["iso3"])
            for name in [row["name"], *split_cell(row["aliases"])]:
                self.add(name, entry)
        for row in rows:
            entry = Entry("adjective", row["cameo"] or row["iso3"], row["iso3"])
            for name in split_cell(row["adjectives"]):
                self.add(name, entry)
        for row in rows:
            entry = Entry("capital", row["cameo"] or row["iso3"], row["iso3"])
            for name in [row["capital"], *split_cell(row.get("capital_aliases", ""))]:
                self.add(name, entry)

    def _load_igos(self, path: Path) -> None:
        for row in read_tsv(path, ("code", "name", "aliases")):
            entry = Entry("igo", row["code"])
            for name in [row["name"], *split_cell(row["aliases"])]:
                self.add(name, entry, replace=True)

    def _load_metonyms(self, path: Path) -> None:
        for row in read_tsv(path, ("phrase", "code", "country")):
            code = row["code"]
            entry = Entry("metonym", code[:3], row["country"] or None, sector=code[3:6] or None)
            for name in split_cell(row["phrase"]):
                self.add(name, entry, replace=True)

    def _load_agents(self, path: Path) -> None:
        for row in read_tsv(path, ("phrase", "sector", "secondary", "is_title")):
            entry = Entry(
                "agent",
                sector=row["sector"],
                secondary=tuple(split_cell(row["secondary"])),
                is_title=row["is_title"] == "1",
            )
            for name in split_cell(row["phrase"]):
                self.add(name, entry)


# The phrase-table entry of every knowledge-base name: which person or group it is depends
# on the story's date and context, so the actor stage resolves it.
KNOWN = Entry("known")
