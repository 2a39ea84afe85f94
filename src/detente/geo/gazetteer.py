"""Place names → candidate places: a protocol and the embedded GeoNames-based implementation."""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..actors.lexicon import ActorLexicon
from ..data_files import split_cell
from ..errors import InputError
from ..records import Place
from .names import fold

log = logging.getLogger(__name__)

PRECISIONS = ("city", "admin1", "country", "feature", "actor")
# Added to the log10-population prior. A country name beats a town of the same name; a
# national capital beats a namesake; a hinted country's candidates beat far bigger namesakes.
KIND_BONUS = {"country": 2.0, "admin1": -0.5, "city": 0.0, "feature": 1.5}
# "Busan", "Idlib", "Washington": a city and its province or state share the name; news means
# the city unless it says "province" or "state".
SAME_NAME_ADMIN_PENALTY = 1.0
DESIGNATORS = {
    "province": "admin1",
    "state": "admin1",
    "region": "admin1",
    "prefecture": "admin1",
    "governorate": "admin1",
    "oblast": "admin1",
    "county": "admin1",
    "do": "admin1",
    "city": "city",
    "town": "city",
    "island": "any",
    "islands": "any",
}
CAPITAL_BONUS = 1.0
ALIAS_PENALTY = 0.75
HINT_BONUS = 3.0
# A story about several countries ("US and Chinese envoys met in Geneva") often meets on
# neutral ground: its hints only tip near-ties.
MULTI_HINT_BONUS = 0.75
# Seas, straits and regions carry no population; they rank as a city of a million would.
FEATURE_POPULATION = 1_000_000
SEAT_BONUS = 2.0


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    """One reading of a name, with the score that ranks it (higher is likelier)."""

    place: Place
    score: float
    population: int = 0
    kind: str = "city"  # city | admin1 | country | feature
    geonameid: int | None = None
    admin1_name: str | None = None
    matched: str = ""  # the folded name that matched
    seat: bool = False  # matched a seat of government ("the Kremlin") standing for its capital

    @property
    def country(self) -> str | None:
        return self.place.country


@runtime_checkable
class Gazetteer(Protocol):
    """Anything that maps a place name to ranked candidates; plug in a larger one freely."""

    def lookup(
        self, name: str, *, country_hint: Collection[str] | None = None
    ) -> list[PlaceCandidate]:
        """Candidates for ``name``, best first; ``country_hint`` (ISO3) favours those countries."""
        ...

    def country_place(self, iso3: str, precision: str = "country") -> Place | None:
        """The place that stands for a whole country (its settlement centroid)."""
        ...


@dataclass(slots=True)
class _Entry:
    place: Place
    population: int
    kind: str
    capital: bool = False
    geonameid: int | None = None
    admin1_name: str | None = None


def _rows(path: Path) -> Iterator[dict[str, str]]:
    """A plain tab-separated table with a header; ``#`` lines are comments. Faster than
    ``read_tsv`` for the 34,000-row city table (no quoting in these files)."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot open data file: {exc.strerror}", str(path)) from exc
    with handle:
        header: list[str] | None = None
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            values = line.rstrip("\r\n").split("\t")
            if header is None:
                header = values
                continue
            if len(values) < len(header):
                values += [""] * (len(header) - len(values))
            yield dict(zip(header, (v.strip() for v in values), strict=False))


def _geo_data(name: str) -> Path:
    return Path(str(resources.files("detente.geo") / "data" / name))


class EmbeddedGazetteer:
    """GeoNames cities (15,000+ people), admin1 units, detente's countries and capitals, and a
    few seas and regions. Tables are read on the first lookup, not at import or construction."""

    def __init__(self, actors: ActorLexicon | None = None, data_dir: Path | None = None) -> None:
        self._actors = actors
        self._data_dir = data_dir
        self._index: dict[str, list[tuple[_Entry, bool]]] | None = None
        self._countries: dict[str, _Entry] = {}
        self._seats: set[str] = set()
        self._lock = threading.Lock()

    # -- loading -----------------------------------------------------------------------
    def _path(self, name: str) -> Path:
        return self._data_dir / name if self._data_dir else _geo_data(name)

    def _ensure(self) -> dict[str, list[tuple[_Entry, bool]]]:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._load()
        return self._index

    def _load(self) -> dict[str, list[tuple[_Entry, bool]]]:
        actors = self._actors or ActorLexicon.load()
        index: dict[str, list[tuple[_Entry, bool]]] = {}

        def add(name: str, entry: _Entry, alias: bool) -> None:
            key = fold(name)
            if not key:
                return
            bucket = index.setdefault(key, [])
            if not any(e is entry for e, _ in bucket):
                bucket.append((entry, alias))

        centroids = {row["iso3"]: row for row in _rows(self._path("countries.tsv"))}
        fips = {iso3: (c.fips or "").split("|")[0] or None for iso3, c in actors.countries.items()}
        # Palestine has two FIPS codes (WE, GZ) that are also its GeoNames admin1 codes.
        multi = {
            iso3: c.fips.split("|")
            for iso3, c in actors.countries.items()
            if c.fips and "|" in c.fips
        }

        def adm1(iso3: str, code: str) -> tuple[str | None, str | None]:
            if code in multi.get(iso3, ()):
                return code, code
            fp = fips.get(iso3)
            return fp, (f"{fp}{code}" if fp and code and code != "00" else None)

        for iso3, country in actors.countries.items():
            row = centroids.get(iso3)
            lat = float(row["lat"]) if row else country.lat
            lon = float(row["lon"]) if row else country.lon
            pop = int(row["population"] or 0) if row else 0
            entry = _Entry(
                Place(country.name, iso3, lat, lon, fips.get(iso3), None, "country"), pop, "country"
            )
            self._countries[iso3] = entry
            add(country.name, entry, False)
        for phrase, lex in actors.phrases.items():
            if lex.kind == "country" and lex.country in self._countries:
                add(phrase, self._countries[lex.country], False)

        admin_names: dict[tuple[str, str], str] = {}
        for row in _rows(self._path("admin1.tsv")):
            iso3, code = row["country"], row["code"]
            admin_names[(iso3, code)] = row["name"]
            fp, code1 = adm1(iso3, code)
            entry = _Entry(
                Place(row["name"], iso3, float(row["lat"]), float(row["lon"]), fp, code1, "admin1"),
                int(row["population"] or 0),
                "admin1",
                admin1_name=row["name"],
            )
            add(row["name"], entry, False)
            for alias in split_cell(row["aliases"]):
                add(alias, entry, True)

        capitals = {(c.iso3, fold(c.capital)) for c in actors.countries.values() if c.capital}
        seen_capitals: set[str] = set()
        for row in _rows(self._path("cities.tsv")):
            iso3, code = row["country"], row["admin1"]
            fp, code1 = adm1(iso3, code)
            folded = fold(row["name"])
            capital = (iso3, folded) in capitals and iso3 not in seen_capitals
            if capital:
                seen_capitals.add(iso3)
            entry = _Entry(
                Place(row["name"], iso3, float(row["lat"]), float(row["lon"]), fp, code1, "city"),
                int(row["population"] or 0),
                "city",
                capital=capital,
                geonameid=int(row["geonameid"]),
                admin1_name=admin_names.get((iso3, code)),
            )
            add(row["name"], entry, False)
            for alias in split_cell(row["aliases"]):
                add(alias, entry, True)

        # Capitals the city table lacks (or names differently) come from countries.tsv.
        capital_names: dict[str, list[str]] = {}
        for phrase, lex in actors.phrases.items():
            if lex.kind == "capital" and lex.country:
                capital_names.setdefault(lex.country, []).append(phrase)
        for iso3, country in actors.countries.items():
            if not country.capital:
                continue
            names = [country.capital, *capital_names.get(iso3, [])]
            hit = next(
                (
                    e
                    for n in names
                    for e, _ in index.get(fold(n), [])
                    if e.kind == "city" and e.place.country == iso3 and e.capital
                ),
                None,
            )
            if hit is None:
                hit = _Entry(
                    Place(
                        country.capital,
                        iso3,
                        country.lat,
                        country.lon,
                        fips.get(iso3),
                        None,
                        "city",
                    ),
                    0,
                    "city",
                    capital=True,
                )
            for n in names:
                add(n, hit, fold(n) != fold(hit.place.name))

        # "talks at the Kremlin", "a summit at the Blue House": the seat stands in its capital.
        for phrase, lex in actors.phrases.items():
            if lex.kind != "metonym" or not lex.country:
                continue
            country = actors.countries.get(lex.country)
            if not country or not country.capital:
                continue
            capital = next((e for e, _ in index.get(fold(country.capital), []) if e.capital), None)
            if capital is not None:
                add(phrase, capital, True)
                self._seats.add(fold(phrase))

        for row in _rows(self._path("features.tsv")):
            iso3 = row["country"] or None
            entry = _Entry(
                Place(
                    row["name"],
                    iso3,
                    float(row["lat"]),
                    float(row["lon"]),
                    fips.get(iso3) if iso3 else None,
                    None,
                    row["precision"] or "feature",
                ),
                0,
                "feature",
            )
            add(row["name"], entry, False)
            for alias in split_cell(row["aliases"]):
                add(alias, entry, True)
        log.debug("gazetteer: %d names", len(index))
        return index

    # -- the protocol ------------------------------------------------------------------
    def lookup(
        self, name: str, *, country_hint: Collection[str] | None = None
    ) -> list[PlaceCandidate]:
        key = fold(name)
        index = self._ensure()
        found = index.get(key, [])
        wanted = None
        words = key.split(" ")
        if len(words) > 1 and words[-1] in DESIGNATORS:
            # "Gyeonggi Province", "Gaza City": the bare name, restricted to that kind.
            wanted = DESIGNATORS[words[-1]]
            if not found:
                # "Odesa region" where GeoNames spells the oblast "Odessa": the bare name.
                bare = index.get(" ".join(words[:-1]), [])
                found = [(e, a) for e, a in bare if e.kind in (wanted, "feature")] or bare
        hint = set(country_hint or ())
        cities = {e.place.country for e, _ in found if e.kind == "city"}
        out = []
        for entry, alias in found:
            pop = FEATURE_POPULATION if entry.kind == "feature" else entry.population
            score = math.log10(pop + 10) + KIND_BONUS[entry.kind]
            if entry.kind == "admin1" and entry.place.country in cities and wanted != "admin1":
                score -= SAME_NAME_ADMIN_PENALTY
            if entry.capital:
                score += CAPITAL_BONUS
            if alias:
                score -= ALIAS_PENALTY
            if entry.place.country in hint:
                score += HINT_BONUS if len(hint) == 1 else MULTI_HINT_BONUS
            if key in self._seats and entry.capital:
                score += SEAT_BONUS
            out.append(
                PlaceCandidate(
                    entry.place,
                    round(score, 3),
                    entry.population,
                    entry.kind,
                    entry.geonameid,
                    entry.admin1_name,
                    key,
                    key in self._seats and entry.capital,
                )
            )
        out.sort(key=lambda c: (-c.score, -c.population, c.place.name))
        return out

    def country_place(self, iso3: str, precision: str = "country") -> Place | None:
        self._ensure()
        entry = self._countries.get(iso3)
        if entry is None:
            return None
        return entry.place if precision == "country" else replace(entry.place, precision=precision)

    def admin1_of(self, iso3: str, name: str) -> PlaceCandidate | None:
        """The admin1 unit of ``iso3`` called ``name`` ("Texas"), if any."""
        for cand in self.lookup(name, country_hint={iso3}):
            if cand.kind == "admin1" and cand.place.country == iso3:
                return cand
        return None
