"""Imports: GDELT 2.0 and ICEWS event files, bad rows, idempotence, the round trip."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from exchange_fixtures import make_event

from detente import cli
from detente.analysis import dyad_series
from detente.errors import StoreError
from detente.exchange import ExportReport, ImportReport, export_events, import_events
from detente.exchange.codes import icews_sector
from detente.exchange.gdelt import global_event_id
from detente.exchange.rows import contract_record, iter_event_rows
from detente.records import Actor, Story
from detente.store import EventStore

# CI has shared/ beside the checkout.
ICEWS_SAMPLE = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "corpora"
    / "icews_events_2018_sample.tab"
)

# One GDELT 2.0 event row in the published layout, every one of the 61 columns in place.
GDELT_ROW = [
    "1169203488",  # GLOBALEVENTID
    "20240101", "202401", "2024", "2024.0027",  # SQLDATE MonthYear Year FractionDate
    # Actor1: Code Name CountryCode KnownGroup Ethnic Religion1 Religion2 Type1 Type2 Type3
    "KORGOV", "SOUTH KOREA", "KOR", "", "", "", "", "GOV", "", "",
    # Actor2
    "PRKMIL", "NORTH KOREA", "PRK", "", "", "", "", "MIL", "", "",
    "1",  # IsRootEvent
    "042", "042", "04",  # EventCode EventBaseCode EventRootCode
    "1", "1.9",  # QuadClass GoldsteinScale
    "10", "2", "10", "-1.52",  # NumMentions NumSources NumArticles AvgTone
    # Actor1Geo_: Type FullName CountryCode ADM1Code ADM2Code Lat Long FeatureID
    "1", "South Korea", "KS", "KS", "", "37", "127.5", "KS",
    # Actor2Geo_
    "1", "North Korea", "KN", "KN", "", "40", "127", "KN",
    # ActionGeo_
    "4", "Seoul, Seoul-t'ukpyolsi, South Korea", "KS", "KS11", "", "37.5664", "127", "-716583",
    "20240101001500",  # DATEADDED
    "https://news.example.org/2024/01/01/korea",  # SOURCEURL
]  # fmt: skip

ICEWS_HEADER = (
    "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\t"
    "CAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\t"
    "Sentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude"
)


def icews_line(*cells: str) -> str:
    return "\t".join(cells)


ICEWS_GOOD = [
    icews_line(
        "1", "2018-06-01", "Military (North Korea)", "Military,Government",
        "Korea, Democratic People's Republic of", "Make a visit", "42", "1.9",
        "Government (South Korea)", "Government", "Korea, Republic of", "900", "3",
        "Wire", "Seoul", "NA", "Seoul-teukbyeolsi", "South Korea", "37.5683", "126.978",
    ),
    icews_line(
        "2", "2018-06-02", "United Nations", "International Government Organization", "NA",
        "Appeal", "020", "3", "Police (India)", "Police", "India", "901", "1",
        "Wire", "NA", "NA", "NA", "India", "NA", "NA",
    ),
    icews_line(
        "3", "2018-06-02", "Party (Japan)", "Parties,(National) Major Party", "Japan",
        "Intend", "311", "5.2", "Citizen (Atlantis)", "Social", "Atlantis", "902", "1",
        "Wire", "NA", "NA", "NA", "NA", "NA", "NA",
    ),
]  # fmt: skip


def write(path, lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def events_of(path):
    with EventStore(path, read_only=True) as store:
        rows = store.query("SELECT event_id, origin FROM events ORDER BY event_id")
        records = store.events()
    return rows, records


def test_gdelt_row_in_the_published_layout(tmp_path):
    assert len(GDELT_ROW) == 61
    src = write(tmp_path / "20240101000000.export.CSV", ["\t".join(GDELT_ROW)])
    db = tmp_path / "g.duckdb"
    with EventStore(db) as store:
        report = import_events(store, "gdelt", [src])
        assert (report.rows, report.added, report.skipped) == (1, 1, 0)
        ((eid, origin, story_id),) = store.query("SELECT event_id, origin, story_id FROM events")
        (event,) = store.events()
    assert (eid, origin) == ("gdelt:1169203488", "gdelt")
    assert story_id == "https://news.example.org/2024/01/01/korea"
    assert (event["source"], event["source_country"]) == ("KORGOV", "KOR")
    assert (event["target"], event["target_country"]) == ("PRKMIL", "PRK")
    assert (event["source_text"], event["target_text"]) == ("SOUTH KOREA", "NORTH KOREA")
    assert (event["cameo"], event["root"], event["quad_class"]) == ("042", "04", 1)
    assert event["goldstein"] == 1.9
    assert (event["plover"], event["plover_mode"]) == ("CONSULT", "visit")
    assert event["date"] == "2024-01-01"
    assert event["location"] == {
        "name": "Seoul, Seoul-t'ukpyolsi",
        "country": "KOR",
        "lat": 37.5664,
        "lon": 127.0,
        "fips": "KS",
        "admin1": "11",
        "precision": "city",
    }


def test_gdelt_zip_and_idempotent(tmp_path):
    archive = tmp_path / "20240101000000.export.CSV.zip"
    second = list(GDELT_ROW)
    second[0] = "1169203489"
    second[26:29] = ["190", "190", "19"]
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("20240101000000.export.CSV", "\t".join(GDELT_ROW) + "\n" + "\t".join(second))
    db = tmp_path / "g.duckdb"
    with EventStore(db) as store:
        first = import_events(store, "gdelt", [archive])
        again = import_events(store, "gdelt", [archive])
        quads = store.query("SELECT cameo, quad_class FROM events ORDER BY cameo")
    assert (first.added, first.duplicates) == (2, 0)
    assert (again.added, again.duplicates, again.rows) == (0, 2, 2)
    assert quads == [("042", 1), ("190", 4)]


def test_gdelt_bad_rows_are_skipped_with_their_place(tmp_path):
    short = GDELT_ROW[:57]  # a GDELT 1.0-like row
    bad_date = list(GDELT_ROW)
    bad_date[0], bad_date[1] = "2", "2024-01-01"
    bad_code = list(GDELT_ROW)
    bad_code[0], bad_code[26] = "3", "X42"
    good = list(GDELT_ROW)
    good[0] = "4"
    src = write(tmp_path / "bad.CSV", ["\t".join(r) for r in (short, bad_date, bad_code, good)])
    with EventStore(tmp_path / "g.duckdb") as store:
        report = import_events(store, "gdelt", [src])
    assert (report.rows, report.added, report.skipped) == (4, 1, 3)
    where = [p.location for p in report.problems]
    assert where == [f"{src}:1", f"{src}:2:SQLDATE", f"{src}:3:EventCode"]
    assert "expected 61" in str(report.problems[0])


def test_round_trip_through_gdelt(store_path, tmp_path):
    target = tmp_path / "rt.export.CSV"
    with EventStore(store_path, read_only=True) as store:
        export_events(store, "gdelt", target, report=ExportReport())
        original = {
            global_event_id(row["event_id"]): (contract_record(row), row["story_date"])
            for row in iter_event_rows(store)
        }
    db = tmp_path / "back.duckdb"
    with EventStore(db) as store:
        report = import_events(store, "gdelt", [target])
        assert report.added == 4 and not report.skipped_any
        back = {
            int(row["event_id"].removeprefix("gdelt:")): (contract_record(row), row["origin"])
            for row in iter_event_rows(store)
        }
    assert len(back) == 4
    keys = ("source", "target", "source_country", "target_country", "cameo", "root")
    keys += ("quad_class", "goldstein", "plover", "plover_mode", "source_text", "target_text")
    for gid, (got, origin) in back.items():
        want, story_date = original[gid]
        assert origin == "gdelt"
        assert {k: got[k] for k in keys} == {k: want[k] for k in keys}
        assert got["date"] == (want["date"] or story_date.isoformat())
        if want["location"] is None:
            assert got["location"] is None
        else:
            for k in ("name", "country", "fips", "lat", "lon", "precision"):
                assert got["location"][k] == want["location"][k], k


def test_icews_hand_made_file(tmp_path):
    src = write(tmp_path / "events.tab", [ICEWS_HEADER, *ICEWS_GOOD])
    db = tmp_path / "i.duckdb"
    with EventStore(db) as store:
        report = import_events(store, "icews", [src])
        rows = {
            eid: (source, target, sc, tc, cameo, quad, gold, date, loc, story, origin)
            for eid, source, target, sc, tc, cameo, quad, gold, date, loc, story, origin in (
                store.query(
                    "SELECT event_id, source, target, source_country, target_country, cameo, "
                    "quad_class, goldstein, date, location_name, story_id, origin FROM events"
                )
            )
        }
    assert (report.rows, report.added, report.skipped) == (3, 3, 0)
    assert report.unknown_countries == {"Atlantis": 1}
    first = rows["icews:1"]
    assert first[:7] == ("PRKMIL", "KORGOV", "PRK", "KOR", "042", 1, 1.9)
    assert first[7] == dt.date(2018, 6, 1) and first[8] == "Seoul"
    assert first[9:] == ("icews:900", "icews")
    second = rows["icews:2"]
    assert second[:6] == ("IGOUNO", "INDCOP", None, "IND", "020", 0)
    assert second[8] == "India"  # country-level place
    third = rows["icews:3"]
    assert third[:5] == ("JPN", None, "JPN", None, "0311")


def test_icews_sectors():
    assert icews_sector("Military,Government") == "MIL"
    assert icews_sector("Executive,Foreign Ministry,Government") == "GOV"
    assert icews_sector("Police") == "COP"
    assert icews_sector("Parties,Center Right") is None
    assert icews_sector(None) is None


def test_icews_bad_rows_and_exit_code(tmp_path, monkeypatch):
    bad_date = ICEWS_GOOD[0].replace("\t2018-06-01\t", "\t01/06/2018\t").replace("1\t", "10\t", 1)
    bad_code = ICEWS_GOOD[1].replace("\t020\t", "\tABC\t").replace("2\t", "20\t", 1)
    short = "30\t2018-06-01\tJapan"
    bad_intensity = ICEWS_GOOD[2].replace("\t5.2\t", "\thigh\t").replace("3\t", "40\t", 1)
    src = write(
        tmp_path / "bad.tab", [ICEWS_HEADER, bad_date, *ICEWS_GOOD, bad_code, short, bad_intensity]
    )
    monkeypatch.setitem(cli.PLUGGED, "import", "detente.exchange.cli_import")
    db = tmp_path / "i.duckdb"
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["import", "--db", str(db), "--format", "icews", str(src)], out, err)
    assert code == 3
    text = err.getvalue()
    assert f"{src}:2:Event Date" in text
    assert f"{src}:6:CAMEO Code" in text
    assert f"{src}:7: expected 20" in text
    assert f"{src}:8:Intensity" in text
    assert '"added": 3' in out.getvalue() and '"skipped": 4' in out.getvalue()
    rows, _ = events_of(db)
    assert [r[0] for r in rows] == ["icews:1", "icews:2", "icews:3"]


def test_icews_file_without_the_header(tmp_path):
    src = write(tmp_path / "nohead.tab", ICEWS_GOOD)
    with EventStore(tmp_path / "i.duckdb") as store:
        report = import_events(store, "icews", [src])
    assert report.added == 0 and report.skipped_any
    assert "missing columns" in str(report.problems[0])


def test_missing_file_and_read_only(tmp_path, store_path):
    with EventStore(tmp_path / "i.duckdb") as store:
        report = import_events(store, "icews", [tmp_path / "absent.tab"])
    assert isinstance(report, ImportReport)
    assert report.skipped == 1 and "no such file" in str(report.problems[0])
    with EventStore(store_path, read_only=True) as store, pytest.raises(StoreError):
        import_events(store, "gdelt", [])


@pytest.mark.skipif(not ICEWS_SAMPLE.exists(), reason="shared ICEWS sample not present")
def test_icews_shared_sample(tmp_path):
    db = tmp_path / "icews.duckdb"
    with EventStore(db) as store:
        report = import_events(store, "icews", [ICEWS_SAMPLE])
        assert (report.rows, report.added, report.skipped) == (3705, 3705, 0)
        assert report.unknown_countries == {}
        again = import_events(store, "icews", [ICEWS_SAMPLE])
        assert (again.added, again.duplicates) == (0, 3705)
        assert store.counts()["events"] == 3705
        korea = store.events(dyad=("PRK", "KOR"))
        points = dyad_series(store, "PRK", "KOR", freq="day")
    assert len(korea) == 53
    assert {(e["source_country"], e["target_country"]) for e in korea} == {
        ("PRK", "KOR"),
        ("KOR", "PRK"),
    }
    assert sum(p.events for p in points) == 53
    assert [p.period for p in points] == [dt.date(2018, 6, 1), dt.date(2018, 6, 2)]


def test_round_trip_keeps_the_dyad_series(tmp_path):
    kor, jpn = Actor("KORGOV", country="KOR", sector="GOV"), Actor("JPN", country="JPN")
    day = dt.date(2025, 10, 1)
    events = [
        make_event("a", 0, kor, jpn, "042", name="visit", quad=1, goldstein=1.9, date=day),
        make_event(
            "a", 0, jpn, kor, "190", name="fight", quad=4, goldstein=-10.0, date=day, pred=(1, 2)
        ),
        make_event("a", 0, jpn, kor, "173", name="arrest", quad=4, goldstein=-5.0, pred=(3, 4)),
    ]
    events[1].modality = "negated"  # did not happen: not a GDELT row
    db = tmp_path / "a.duckdb"
    with EventStore(db) as store:
        store.add_stories([Story(id="a", text="x", date=dt.date(2025, 11, 5), events=events)])
        report = ExportReport()
        target = tmp_path / "a.export.CSV"
        assert export_events(store, "gdelt", target, report=report) == 2
        assert report.not_occurred == 1
        want = dyad_series(store, "KOR", "JPN", freq="day")
    with EventStore(tmp_path / "b.duckdb") as store:
        import_events(store, "gdelt", [target])
        got = dyad_series(store, "KOR", "JPN", freq="day")
    assert got == want
    assert sum(p.events for p in got) == 2


def test_code_tables_are_explicit_and_reused_when_passed(store_path, tmp_path, monkeypatch):
    from detente.exchange import codes as codes_module

    # no hidden module-level cache: each factory call loads its own tables
    assert codes_module.country_tables() is not codes_module.country_tables()
    loaded = codes_module.CodeTables.load()
    assert loaded.countries.by_iso3["KOR"].iso3 == "KOR" and "042" in loaded.ontology

    def no_loading():
        raise AssertionError("the tables passed in should be used")

    monkeypatch.setattr(codes_module.CodeTables, "load", classmethod(lambda cls: no_loading()))
    target = tmp_path / "rt.export.CSV"
    with EventStore(store_path, read_only=True) as store:
        written = export_events(store, "gdelt", target, codes=loaded)
    with EventStore(tmp_path / "back.duckdb") as store:
        report = import_events(store, "gdelt", [target], codes=loaded)
    assert written == report.added == 4
