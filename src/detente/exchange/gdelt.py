"""The GDELT 2.0 event table: writing stored events as its rows, and reading its rows.

GDELT 2.0 event files are tab-separated, 61 columns, no header line, one event a line
(published as ``YYYYMMDDHHMMSS.export.CSV.zip``). The column order is the one of the
GDELT 2.0 Event Codebook.

How detente's fields fill the columns:

- ``GLOBALEVENTID``: a stable integer from the stored event id (the original number for
  events imported from GDELT).
- ``SQLDATE``/``MonthYear``/``Year``/``FractionDate``: the event date, else its story's;
  ``FractionDate`` is GDELT's ``YYYY + ((month - 1) * 30 + day) / 365``, 4 decimals.
- Actor codes: the CAMEO code whole in ``Actor1Code``; its first three letters in
  ``Actor1CountryCode`` when they are a country or region, the following three-letter
  chunks in ``Actor1Type1Code``..``Type3Code`` (``KORGOV`` -> ``KOR``, ``GOV``); after
  ``IGO``/``NGO``/``MNC`` the next chunk is the ``KnownGroupCode`` (``IGOUNO``).
  Ethnic and religion columns stay empty. Names are the words of the sentence.
- ``IsRootEvent``: 1 for events of a story's first sentence (GDELT: the lead paragraph).
- ``EventCode``/``EventBaseCode``/``EventRootCode``: strings with their leading zeros.
- ``QuadClass``: GDELT's classes 1-4 from the root; detente's quad 0 for the neutral
  01/02 statements becomes 1 (GDELT counts 01-05 as verbal cooperation).
- ``NumMentions``/``NumSources``/``NumArticles``: the counts of the store's
  ``deduped_events`` view for the event that stands for its group (export with
  ``dedupe`` to write only those), else 1;
  ``AvgTone``: 0 (detente measures no tone).
- ``ActionGeo_*``: the event's location: type 1 country, 2 US state, 3 US city,
  4 world city, 5 world state; FIPS 10-4 country code; ``ADM1Code`` the FIPS country
  code (followed by an admin1 code when one is known); ``FeatureID`` the FIPS code for
  countries. ``Actor1Geo_*``/``Actor2Geo_*`` stay empty (type 0): detente does not place
  actors.
- ``DATEADDED``: when the story was stored (``YYYYMMDDHHMMSS``), else the event date at
  midnight. ``SOURCEURL``: the story's url, else its id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from detente.errors import ConfigError
from detente.events import Ontology
from detente.exchange.codes import (
    CountryTables,
    gdelt_quad_class,
    normalise_cameo,
    split_actor_code,
)
from detente.exchange.rows import event_date

_ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO_FIELDS = (
    "Type",
    "FullName",
    "CountryCode",
    "ADM1Code",
    "ADM2Code",
    "Lat",
    "Long",
    "FeatureID",
)

# The 61 columns of the GDELT 2.0 event table, in the codebook's order.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{f}" for f in _ACTOR_FIELDS),
    *(f"Actor2{f}" for f in _ACTOR_FIELDS),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{f}" for f in _GEO_FIELDS),
    *(f"Actor2Geo_{f}" for f in _GEO_FIELDS),
    *(f"ActionGeo_{f}" for f in _GEO_FIELDS),
    "DATEADDED",
    "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61
COLUMN_INDEX = {name: i for i, name in enumerate(GDELT_COLUMNS)}

GEO_COUNTRY, GEO_US_STATE, GEO_US_CITY, GEO_WORLD_CITY, GEO_WORLD_STATE = 1, 2, 3, 4, 5
_GDELT_ID = re.compile(r"^gdelt:(\d+)$")


def global_event_id(event_id: str) -> int:
    """A stable positive integer for a stored event id (below 2**60)."""
    match = _GDELT_ID.match(event_id)
    if match:
        return int(match.group(1))
    return int(hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:15], 16)


def fraction_date(day: dt.date) -> str:
    return f"{day.year + ((day.month - 1) * 30 + day.day) / 365:.4f}"


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return repr(float(value))


def _text(value: str | None) -> str:
    """A cell value: tabs and line breaks would break the row, so they become spaces."""
    if value is None:
        return ""
    return re.sub(r"[\t\r\n]+", " ", str(value))


def geo_type(precision: str | None, iso3: str | None, has_point: bool) -> int:
    us = iso3 == "USA"
    if precision in ("country", "actor"):
        return GEO_COUNTRY
    if precision in ("admin1", "state", "province", "region"):
        return GEO_US_STATE if us else GEO_WORLD_STATE
    if precision == "city" or has_point:
        return GEO_US_CITY if us else GEO_WORLD_CITY
    return GEO_COUNTRY


def _geo_cells(row: dict[str, Any], tables: CountryTables) -> list[str]:
    name = row["location_name"]
    if name is None:
        return ["0", "", "", "", "", "", "", ""]
    iso3 = row["location_country"]
    fips = row["location_fips"] or tables.fips_of_iso3(iso3) or ""
    has_point = row["location_lat"] is not None and row["location_lon"] is not None
    kind = geo_type(row["location_precision"], iso3, has_point)
    full = name
    country = tables.by_iso3.get(iso3) if iso3 else None
    if kind != GEO_COUNTRY and country is not None and not name.endswith(country.name):
        full = f"{name}, {country.name}"
    admin1 = row["location_admin1"]
    adm1 = fips + admin1 if fips and admin1 and len(admin1) <= 3 and admin1.isalnum() else fips
    return [
        str(kind),
        _text(full),
        fips,
        adm1,
        "",
        _number(row["location_lat"]),
        _number(row["location_lon"]),
        fips if kind == GEO_COUNTRY else "",
    ]


def _actor_cells(code: str | None, name: str | None, tables: CountryTables) -> list[str]:
    parts = split_actor_code(code, tables)
    return [
        code or "",
        _text(name),
        parts.country,
        parts.known_group,
        "",
        "",
        "",
        *parts.types,
    ]


def gdelt_row(row: dict[str, Any], tables: CountryTables) -> list[str] | None:
    """The 61 cells of one stored event; None when the event has no date at all."""
    day = event_date(row)
    if day is None:
        return None
    cameo = row["cameo"]
    added = row["story_ingested_at"]
    counts = [str(row.get(c) or 1) for c in ("num_mentions", "num_sources", "num_articles")]
    cells = [
        str(global_event_id(row["event_id"])),
        day.strftime("%Y%m%d"),
        day.strftime("%Y%m"),
        str(day.year),
        fraction_date(day),
        *_actor_cells(row["source"], row["source_text"], tables),
        *_actor_cells(row["target"], row["target_text"], tables),
        "1" if row["sentence_index"] == 0 else "0",
        cameo,
        cameo[:3],
        cameo[:2],
        str(gdelt_quad_class(cameo)),
        _number(row["goldstein"]),
        *counts,
        "0",
        "0", "", "", "", "", "", "", "",
        "0", "", "", "", "", "", "", "",
        *_geo_cells(row, tables),
        added.strftime("%Y%m%d%H%M%S") if added is not None else day.strftime("%Y%m%d000000"),
        _text(row["story_url"] or row["story_id"]),
    ]  # fmt: skip
    assert len(cells) == len(GDELT_COLUMNS)
    return cells


# -- reading ---------------------------------------------------------------------------


class RowError(ValueError):
    """A bad cell: ``column`` names it."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def _float(value: str, column: str) -> float | None:
    value = value.strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise RowError(f"not a number: {value!r}", column) from None


def _sqldate(value: str) -> dt.date:
    try:
        return dt.datetime.strptime(value.strip(), "%Y%m%d").date()
    except ValueError:
        raise RowError(f"not a date (YYYYMMDD): {value!r}", "SQLDATE") from None


PRECISION_OF_TYPE = {
    GEO_COUNTRY: "country",
    GEO_US_STATE: "admin1",
    GEO_WORLD_STATE: "admin1",
    GEO_US_CITY: "city",
    GEO_WORLD_CITY: "city",
}


def _actor(cells: list[str], n: int, tables: CountryTables) -> dict[str, Any]:
    def cell(field: str) -> str:
        return cells[COLUMN_INDEX[f"Actor{n}{field}"]].strip()

    code = cell("Code") or None
    country_code = cell("CountryCode")
    country = tables.iso3_of_cameo(country_code) if country_code else None
    sector = cell("Type1Code") or None
    return {
        "code": code,
        "name": cell("Name") or None,
        "country": country,
        "sector": sector,
        "secondary": [c for c in (cell("Type2Code"), cell("Type3Code")) if c],
    }


def _location(cells: list[str], tables: CountryTables) -> dict[str, Any] | None:
    def cell(field: str) -> str:
        return cells[COLUMN_INDEX[f"ActionGeo_{field}"]].strip()

    name = cell("FullName")
    kind_text = cell("Type") or "0"
    try:
        kind = int(kind_text)
    except ValueError:
        raise RowError(f"not a geo type: {kind_text!r}", "ActionGeo_Type") from None
    if kind == 0 or not name:
        return None
    fips = cell("CountryCode") or None
    iso3 = tables.iso3_of_fips(fips)
    country = tables.by_iso3.get(iso3) if iso3 else None
    if kind != GEO_COUNTRY and country is not None and name.endswith(", " + country.name):
        name = name[: -len(country.name) - 2]
    adm1 = cell("ADM1Code")
    admin1 = adm1[2:] if fips and adm1.startswith(fips) and len(adm1) > len(fips) else None
    return {
        "name": name,
        "country": iso3,
        "lat": _float(cell("Lat"), "ActionGeo_Lat"),
        "lon": _float(cell("Long"), "ActionGeo_Long"),
        "fips": fips,
        "admin1": admin1,
        "precision": PRECISION_OF_TYPE.get(kind),
    }


def parse_gdelt_row(cells: list[str], tables: CountryTables, onto: Ontology) -> dict[str, Any]:
    """One GDELT 2.0 row (61 cells) as an imported event (see importer.ImportedEvent)."""
    if len(cells) != len(GDELT_COLUMNS):
        raise RowError(
            f"expected {len(GDELT_COLUMNS)} tab-separated columns (GDELT 2.0 event table), "
            f"found {len(cells)}"
        )
    gid = cells[0].strip()
    if not gid.isdigit():
        raise RowError(f"not an event id: {gid!r}", "GLOBALEVENTID")
    day = _sqldate(cells[COLUMN_INDEX["SQLDATE"]])
    raw_code = cells[COLUMN_INDEX["EventCode"]]
    try:
        cameo = normalise_cameo(raw_code)
        known = onto.get(cameo)
    except ValueError as exc:
        raise RowError(str(exc), "EventCode") from None
    except ConfigError:  # a well-formed code the ontology lacks
        raise RowError(f"unknown CAMEO code {raw_code!r}", "EventCode") from None
    goldstein = _float(cells[COLUMN_INDEX["GoldsteinScale"]], "GoldsteinScale")
    if goldstein is None:
        goldstein = known.goldstein_gdelt
    url = cells[COLUMN_INDEX["SOURCEURL"]].strip()
    return {
        "event_id": f"gdelt:{int(gid)}",
        "story_id": url or f"gdelt:{int(gid)}",
        "sentence_index": 0,
        "source": _actor(cells, 1, tables),
        "target": _actor(cells, 2, tables),
        "cameo": cameo,
        "goldstein": goldstein,
        "date": day,
        "location": _location(cells, tables),
    }
