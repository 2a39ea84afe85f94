"""Reading ICEWS event files (tab-separated, with a header line).

The columns used (by name, in any order): Event ID, Event Date, Source Name,
Source Sectors, Source Country, CAMEO Code, Intensity, Target Name, Target Sectors,
Target Country, Story ID, Sentence Number, City, Province, Country, Latitude, Longitude.
``NA`` and empty cells are unknown.

- Countries: ICEWS country names -> ISO3 through countries.tsv names and aliases
  ("North Korea" -> PRK, "South Korea" -> KOR; "Korea, Republic of" and
  "Moldova, Republic of" are read inverted, a leading "the " is dropped). An actor
  without a country whose name is an organisation of igos.tsv gets its code
  ("United Nations" -> IGOUNO). Otherwise the actor keeps its name only.
- Actor codes: the country's CAMEO code plus the agent code of the most telling sector
  (``codes.ICEWS_SECTORS``: Military -> MIL, Police -> COP, Government -> GOV, ...).
- CAMEO code with its leading zeros; Goldstein from Intensity; quad class, name and
  PLOVER type/mode/context from cameo.tsv.
- Location: City, else Province, else Country, with Latitude/Longitude.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from detente.errors import ConfigError
from detente.events import Ontology
from detente.exchange.codes import CountryTables, icews_sector, normalise_cameo
from detente.exchange.gdelt import RowError

REQUIRED = (
    "Event ID",
    "Event Date",
    "Source Name",
    "Source Sectors",
    "Source Country",
    "CAMEO Code",
    "Intensity",
    "Target Name",
    "Target Sectors",
    "Target Country",
)
OPTIONAL = ("Story ID", "Sentence Number", "City", "Province", "Country", "Latitude", "Longitude")

MISSING = frozenset({"", "NA", "N/A", "NULL", "None"})


def _value(cell: str | None) -> str | None:
    if cell is None:
        return None
    cell = cell.strip()
    return None if cell in MISSING else cell


class IcewsHeader:
    """Column positions from a header line; raises RowError naming missing columns."""

    def __init__(self, header: list[str]) -> None:
        self.names = [h.strip().lstrip("\ufeff") for h in header]
        self.index = {name: i for i, name in enumerate(self.names)}
        missing = [c for c in REQUIRED if c not in self.index]
        if missing:
            raise RowError(f"not an ICEWS event file: missing columns {', '.join(missing)}")

    def get(self, cells: list[str], column: str) -> str | None:
        i = self.index.get(column)
        return _value(cells[i]) if i is not None and i < len(cells) else None


def _actor(
    h: IcewsHeader, cells: list[str], role: str, tables: CountryTables, unknown: dict[str, int]
) -> dict[str, Any] | None:
    name = h.get(cells, f"{role} Name")
    country_name = h.get(cells, f"{role} Country")
    iso3 = tables.iso3_of_name(country_name)
    if country_name and iso3 is None:
        unknown[country_name] = unknown.get(country_name, 0) + 1
    sector = icews_sector(h.get(cells, f"{role} Sectors"))
    if iso3 is not None:
        code: str | None = tables.cameo_of_iso3(iso3) + (sector or "")
    else:  # no country: an organisation of igos.tsv, else the name only
        code, sector = tables.igo_code(name), None
    if name is None and code is None:
        return None
    return {"code": code, "name": name, "country": iso3, "sector": sector, "secondary": []}


def _float(text: str | None, column: str) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        raise RowError(f"not a number: {text!r}", column) from None


def _location(h: IcewsHeader, cells: list[str], tables: CountryTables) -> dict[str, Any] | None:
    city = h.get(cells, "City")
    province = h.get(cells, "Province")
    country_name = h.get(cells, "Country")
    lat = _float(h.get(cells, "Latitude"), "Latitude")
    lon = _float(h.get(cells, "Longitude"), "Longitude")
    name = city or province or country_name
    if name is None:
        return None
    iso3 = tables.iso3_of_name(country_name)
    country = tables.by_iso3.get(iso3) if iso3 else None
    if city:
        precision = "city"
    elif province:
        precision = "admin1"
    else:
        precision = "country"
        name = country.name if country else name
    return {
        "name": name,
        "country": iso3,
        "lat": lat,
        "lon": lon,
        "fips": country.fips if country else None,
        "admin1": province,
        "precision": precision,
    }


def parse_icews_row(
    h: IcewsHeader,
    cells: list[str],
    tables: CountryTables,
    onto: Ontology,
    unknown: dict[str, int],
) -> dict[str, Any]:
    """One ICEWS row as an imported event; ``unknown`` counts country names not known."""
    if len(cells) != len(h.names):
        raise RowError(
            f"expected {len(h.names)} tab-separated columns as in the header, found {len(cells)}"
        )
    eid = h.get(cells, "Event ID")
    if eid is None:
        raise RowError("no event id", "Event ID")
    date_text = h.get(cells, "Event Date")
    try:
        day = dt.date.fromisoformat(date_text or "")
    except ValueError:
        raise RowError(f"not a date (YYYY-MM-DD): {date_text!r}", "Event Date") from None
    raw_code = h.get(cells, "CAMEO Code") or ""
    try:
        cameo = normalise_cameo(raw_code)
        known = onto.get(cameo)
    except ValueError as exc:
        raise RowError(str(exc), "CAMEO Code") from None
    except ConfigError:
        raise RowError(f"unknown CAMEO code {raw_code!r}", "CAMEO Code") from None
    goldstein = _float(h.get(cells, "Intensity"), "Intensity")
    if goldstein is None:
        goldstein = known.goldstein_icews
    story = h.get(cells, "Story ID")
    sentence = h.get(cells, "Sentence Number")
    try:
        sentence_index = max(int(sentence) - 1, 0) if sentence else 0
    except ValueError:
        raise RowError(f"not a sentence number: {sentence!r}", "Sentence Number") from None
    return {
        "event_id": f"icews:{eid}",
        "story_id": f"icews:{story}" if story else f"icews:event:{eid}",
        "sentence_index": sentence_index,
        "source": _actor(h, cells, "Source", tables, unknown),
        "target": _actor(h, cells, "Target", tables, unknown),
        "cameo": cameo,
        "goldstein": goldstein,
        "date": day,
        "location": _location(h, cells, tables),
    }
