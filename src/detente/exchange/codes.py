"""Code tables shared by the exports and imports: countries, actor codes, CAMEO codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from detente.actors.lexicon import ActorLexicon, Country
from detente.events import Ontology

# Three-letter CAMEO chunks that open a non-state actor code (IGOUNO, NGOAMN, MNC...):
# GDELT puts the chunk after them in the KnownGroupCode column.
GROUP_OPENERS = frozenset({"IGO", "NGO", "NGM", "MNC", "UIS"})

# CAMEO regions are not countries in countries.tsv but GDELT keeps them in CountryCode.
CAMEO_REGIONS = frozenset(
    {
        "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR",
        "LAM", "MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF",
        "WST", "WSB",
    }
)  # fmt: skip

# ICEWS sector names -> CAMEO agent codes, in order of preference: an actor with the
# sectors "Military,Government" is coded MIL. Sectors not listed (party positions,
# religions, ethnic groups, IGO kinds...) give no agent code: the actor keeps its
# country only.
ICEWS_SECTORS: tuple[tuple[str, str], ...] = (
    ("Military", "MIL"),
    ("Army", "MIL"),
    ("Navy", "MIL"),
    ("Air Force", "MIL"),
    ("Marines", "MIL"),
    ("Army Special Forces", "MIL"),
    ("Military Intelligence", "SPY"),
    ("Intelligence Ministry", "SPY"),
    ("Police", "COP"),
    ("Judicial", "JUD"),
    ("Legislative / Parliamentary", "LEG"),
    ("Lower House", "LEG"),
    ("Upper House", "LEG"),
    ("Unicameral", "LEG"),
    ("Rebel", "REB"),
    ("Insurgents", "INS"),
    ("Separatists", "SEP"),
    ("Criminals / Gangs", "CRM"),
    ("Refugees / Displaced", "REF"),
    ("Protestors / Popular Opposition / Mobs", "OPP"),
    ("Dissident", "OPP"),
    ("Opposition Major Party (Out Of Government)", "OPP"),
    ("Government", "GOV"),
    ("Executive", "GOV"),
    ("Executive Office", "GOV"),
    ("Cabinet", "GOV"),
    ("Foreign Ministry", "GOV"),
    ("Defense / Security Ministry", "GOV"),
    ("Finance / Economy / Commerce / Trade Ministry", "GOV"),
    ("Media", "MED"),
    ("News", "MED"),
    ("Print News", "MED"),
    ("Television News", "MED"),
    ("State Media", "MED"),
    ("Education", "EDU"),
    ("Business", "BUS"),
    ("Multinational Corporation", "BUS"),
    ("Labor", "LAB"),
    ("Nongovernmental Organizations / Activists", "NGO"),
    ("Human Rights NGOs", "NGO"),
    ("Medical / Health", "HLH"),
    ("Agricultural", "AGR"),
    ("Elite", "ELI"),
    ("General Population / Civilian / Social", "CVL"),
)
_SECTOR_RANK = {name: (rank, code) for rank, (name, code) in enumerate(ICEWS_SECTORS)}


def icews_sector(sectors: str | None) -> str | None:
    """The CAMEO agent code of an ICEWS ``Source/Target Sectors`` cell, if an obvious one."""
    if not sectors:
        return None
    found = [_SECTOR_RANK[s.strip()] for s in sectors.split(",") if s.strip() in _SECTOR_RANK]
    return min(found)[1] if found else None


@dataclass(slots=True)
class CountryTables:
    """Countries by ISO3, by CAMEO code, by FIPS 10-4 code and by name (countries.tsv)."""

    lexicon: ActorLexicon
    by_iso3: dict[str, Country] = field(default_factory=dict)
    by_cameo: dict[str, Country] = field(default_factory=dict)
    by_fips: dict[str, Country] = field(default_factory=dict)

    @classmethod
    def load(cls) -> CountryTables:
        lexicon = ActorLexicon.load()
        tables = cls(lexicon)
        for country in lexicon.countries.values():
            tables.by_iso3[country.iso3] = country
            if len(country.cameo) == 3:
                tables.by_cameo.setdefault(country.cameo, country)
            if country.fips:
                tables.by_fips.setdefault(country.fips, country)
        return tables

    def iso3_of_cameo(self, code: str | None) -> str | None:
        if not code:
            return None
        country = self.by_cameo.get(code) or self.by_iso3.get(code)
        return country.iso3 if country else None

    def iso3_of_fips(self, code: str | None) -> str | None:
        country = self.by_fips.get(code) if code else None
        return country.iso3 if country else None

    def fips_of_iso3(self, iso3: str | None) -> str | None:
        country = self.by_iso3.get(iso3) if iso3 else None
        return country.fips if country else None

    def cameo_of_iso3(self, iso3: str) -> str:
        country = self.by_iso3.get(iso3)
        return country.cameo[:3] if country else iso3

    def iso3_of_name(self, name: str | None) -> str | None:
        """ISO3 of a country name as ICEWS writes them ("Moldova, Republic of" too)."""
        if not name:
            return None
        candidates = [name.strip()]
        head, comma, tail = candidates[0].partition(", ")
        if comma:  # "Korea, Republic of" -> "Republic of Korea"
            candidates.append(f"{tail} {head}")
        candidates += [c[4:] for c in candidates if c.lower().startswith("the ")]
        for candidate in candidates:
            entry = self.lexicon.lookup(candidate)
            if entry is not None and entry.kind == "country" and entry.country:
                return entry.country
        return None

    def igo_code(self, name: str | None) -> str | None:
        """The CAMEO code of an international organisation's name (United Nations -> IGOUNO)."""
        entry = self.lexicon.lookup(name) if name else None
        return entry.code if entry is not None and entry.kind == "igo" else None

    def is_country_code(self, chunk: str) -> bool:
        return chunk in self.by_cameo or chunk in CAMEO_REGIONS


@dataclass(frozen=True, slots=True)
class CodeTables:
    """The tables an export or import codes against: countries and the CAMEO ontology.

    There is no module-level cache: whoever needs the tables loads them (``CodeTables.load()``,
    about 15 ms) and passes them down. ``export_events``/``import_events`` load their own per
    call unless given one, so a caller doing many runs can load once and pass it in.
    """

    countries: CountryTables
    ontology: Ontology

    @classmethod
    def load(cls) -> CodeTables:
        return cls(CountryTables.load(), Ontology.load())


def country_tables() -> CountryTables:
    """The country tables, freshly loaded (keep the result to reuse it)."""
    return CountryTables.load()


def ontology() -> Ontology:
    """The CAMEO ontology, freshly loaded (keep the result to reuse it)."""
    return Ontology.load()


@dataclass(frozen=True, slots=True)
class ActorParts:
    """A CAMEO actor code split the way GDELT's actor columns hold it."""

    country: str = ""
    known_group: str = ""
    types: tuple[str, str, str] = ("", "", "")


def split_actor_code(code: str | None, tables: CountryTables) -> ActorParts:
    """``KORGOV`` -> country KOR, type GOV; ``IGOUNO`` -> type IGO, known group UNO."""
    if not code:
        return ActorParts()
    chunks = [code[i : i + 3] for i in range(0, len(code), 3)]
    country = ""
    if chunks and tables.is_country_code(chunks[0]):
        country = chunks.pop(0)
    known = ""
    types: list[str] = []
    while chunks:
        chunk = chunks.pop(0)
        types.append(chunk)
        if chunk in GROUP_OPENERS and chunks and not known:
            known = chunks.pop(0)
    padded = (types + ["", "", ""])[:3]
    return ActorParts(country, known, (padded[0], padded[1], padded[2]))


_DIGITS = re.compile(r"^\d{1,4}$")


def normalise_cameo(code: str) -> str:
    """A CAMEO event code with its leading zeros ("42" -> "042", "311" -> "0311").

    Raises ValueError when it is not 2-4 digits of a CAMEO root 01-20.
    """
    code = code.strip()
    if not _DIGITS.match(code):
        raise ValueError(f"not a CAMEO event code: {code!r}")
    if len(code) == 1 or (len(code) in (2, 3) and int(code[:2]) > 20):
        code = "0" + code
    if not 1 <= int(code[:2]) <= 20 or len(code) < 2:
        raise ValueError(f"not a CAMEO event code: {code!r}")
    return code


def gdelt_quad_class(cameo: str) -> int:
    """GDELT's quad class from the root: 01-05 verbal cooperation (1), 06-08 material
    cooperation (2), 09-14 verbal conflict (3), 15-20 material conflict (4).

    detente's own quad class is 0 for the neutral 01/02 statements; GDELT counts them
    as verbal cooperation, so they become 1 here.
    """
    root = int(cameo[:2])
    if root <= 5:
        return 1
    if root <= 8:
        return 2
    if root <= 14:
        return 3
    return 4
