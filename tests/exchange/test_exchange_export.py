"""Exports: GDELT 2.0 event table, PLOVER JSONL, CSV, JSONL and Parquet."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import duckdb
import pytest
from exchange_fixtures import make_event

from detente import cli
from detente.errors import ConfigError
from detente.exchange import (
    GDELT_COLUMNS,
    PLOVER_FIELDS,
    ExportReport,
    export_events,
)
from detente.exchange.codes import country_tables, normalise_cameo, split_actor_code
from detente.exchange.rows import has_dedup_view
from detente.records import EVENT_FIELDS, Actor, Story
from detente.store import EventStore

# The GDELT 2.0 Event Codebook's columns, typed out here independently of the constant.
CODEBOOK = """
GLOBALEVENTID SQLDATE MonthYear Year FractionDate
Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode
Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code
Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode
Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code
IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale
NumMentions NumSources NumArticles AvgTone
Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code
Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID
Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code
Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID
ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code
ActionGeo_ADM2Code ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID
DATEADDED SOURCEURL
""".split()


def export(store_path, fmt, **kw):
    out = io.StringIO()
    report = ExportReport()
    with EventStore(store_path, read_only=True) as store:
        n = export_events(store, fmt, out, report=report, **kw)
    return out.getvalue(), n, report


def gdelt_rows(text):
    rows = [line.split("\t") for line in text.splitlines()]
    assert all(len(r) == 61 for r in rows)
    return [dict(zip(GDELT_COLUMNS, r, strict=True)) for r in rows]


def by_code(rows, code):
    (row,) = [r for r in rows if r["EventCode"] == code]
    return row


def test_gdelt_columns_are_the_codebook_order():
    assert len(GDELT_COLUMNS) == 61
    assert list(GDELT_COLUMNS) == CODEBOOK
    assert GDELT_COLUMNS.index("EventCode") == 26
    assert GDELT_COLUMNS.index("ActionGeo_Type") == 51
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")


def test_gdelt_export_codes_dates_and_actors(store_path):
    text, n, report = export(store_path, "gdelt")
    rows = gdelt_rows(text)
    assert n == len(rows) == 4
    assert report.undated == 1  # story s2 has no date at all
    visit = by_code(rows, "042")
    assert visit["SQLDATE"] == "20251001"
    assert visit["MonthYear"] == "202510" and visit["Year"] == "2025"
    assert visit["FractionDate"] == f"{2025 + (9 * 30 + 1) / 365:.4f}"
    assert (visit["Actor1Code"], visit["Actor1CountryCode"], visit["Actor1Type1Code"]) == (
        "KORGOV",
        "KOR",
        "GOV",
    )
    assert visit["Actor1Name"] == "KORGOV words"
    assert (visit["Actor2CountryCode"], visit["Actor2Type1Code"]) == ("JPN", "GOV")
    assert (visit["EventCode"], visit["EventBaseCode"], visit["EventRootCode"]) == (
        "042",
        "042",
        "04",
    )
    assert visit["QuadClass"] == "1" and float(visit["GoldsteinScale"]) == 1.9
    assert visit["IsRootEvent"] == "1"
    assert visit["NumMentions"] == visit["NumSources"] == visit["NumArticles"] == "1"
    assert visit["SOURCEURL"] == "https://example.org/s1"
    assert len(visit["DATEADDED"]) == 14 and visit["DATEADDED"].isdigit()
    assert visit["Actor1Geo_Type"] == "0" and visit["Actor1Geo_FullName"] == ""
    fine = by_code(rows, "0311")
    assert (fine["EventBaseCode"], fine["EventRootCode"], fine["QuadClass"]) == ("031", "03", "1")
    assert fine["Actor1Type1Code"] == "MIL" and fine["ActionGeo_Type"] == "0"


def test_gdelt_quad_class_of_statements_is_verbal_cooperation(store_path):
    rows = gdelt_rows(export(store_path, "gdelt")[0])
    statement = by_code(rows, "010")  # detente quad 0
    assert statement["QuadClass"] == "1"
    assert statement["EventRootCode"] == "01"
    assert statement["SQLDATE"] == "20251002"  # no event date: the story's
    assert statement["IsRootEvent"] == "0"
    assert by_code(rows, "190")["QuadClass"] == "4"


def test_gdelt_geo_fields_use_fips(store_path):
    rows = gdelt_rows(export(store_path, "gdelt")[0])
    seoul = by_code(rows, "042")
    assert seoul["ActionGeo_Type"] == "4"  # world city
    assert seoul["ActionGeo_FullName"] == "Seoul, South Korea"
    assert seoul["ActionGeo_CountryCode"] == "KS"  # FIPS, not ISO
    assert seoul["ActionGeo_ADM1Code"] == "KS"
    assert float(seoul["ActionGeo_Lat"]) == 37.5665
    assert float(seoul["ActionGeo_Long"]) == 126.978
    japan = by_code(rows, "010")
    assert (japan["ActionGeo_Type"], japan["ActionGeo_CountryCode"]) == ("1", "JA")
    assert japan["ActionGeo_FeatureID"] == "JA" and japan["ActionGeo_Lat"] == ""
    washington = by_code(rows, "190")
    assert washington["ActionGeo_Type"] == "3"  # US city
    assert washington["ActionGeo_CountryCode"] == "US"
    # IGO actors: type IGO, known group UNO, no country
    assert washington["Actor2Code"] == "IGOUNO"
    assert washington["Actor2CountryCode"] == ""
    assert washington["Actor2KnownGroupCode"] == "UNO"
    assert washington["Actor2Type1Code"] == "IGO"


def test_gdelt_ids_are_stable_and_distinct(store_path):
    first = [r["GLOBALEVENTID"] for r in gdelt_rows(export(store_path, "gdelt")[0])]
    second = [r["GLOBALEVENTID"] for r in gdelt_rows(export(store_path, "gdelt")[0])]
    assert first == second
    assert len(set(first)) == len(first)
    assert all(i.isdigit() and int(i) < 2**63 for i in first)


def test_gdelt_header_option(store_path):
    text = export(store_path, "gdelt", header=True)[0]
    assert text.splitlines()[0].split("\t") == list(GDELT_COLUMNS)


def test_split_actor_code():
    tables = country_tables()
    parts = split_actor_code("KORGOVMIL", tables)
    assert (parts.country, parts.types) == ("KOR", ("GOV", "MIL", ""))
    assert split_actor_code("USA", tables).country == "USA"
    assert split_actor_code(None, tables).country == ""


@pytest.mark.parametrize(
    ("raw", "code"), [("042", "042"), ("42", "042"), ("311", "0311"), ("4", "04"), ("14", "14")]
)
def test_normalise_cameo_keeps_leading_zeros(raw, code):
    assert normalise_cameo(raw) == code


@pytest.mark.parametrize("raw", ["", "abc", "2101", "00", "12345"])
def test_normalise_cameo_rejects(raw):
    with pytest.raises(ValueError):
        normalise_cameo(raw)


def test_plover_skips_statements(store_path):
    text, n, report = export(store_path, "plover")
    records = [json.loads(line) for line in text.splitlines()]
    assert n == len(records) == 4
    assert report.no_plover == 1
    assert any("01/02" in m for m in report.messages())
    assert all(tuple(r) == PLOVER_FIELDS for r in records)
    assert "010" not in {r["cameo"] for r in records}
    visit = next(r for r in records if r["cameo"] == "042" and r["story_id"] == "s1")
    assert visit["event"] == "CONSULT" and visit["mode"] == "visit"
    assert visit["context"] == ["diplomatic"]
    assert visit["actor"] == "KORGOV" and visit["recipient_country"] == "JPN"
    assert visit["event_text"] == "Sentence 0 of s1."
    assert visit["date"] == "2025-10-01"
    assert visit["location"]["fips"] == "KS"


def test_jsonl_and_csv_are_the_event_contract(store_path):
    with EventStore(store_path, read_only=True) as store:
        expected = store.events()
    text, n, _ = export(store_path, "jsonl")
    assert [json.loads(line) for line in text.splitlines()] == expected
    text, n, _ = export(store_path, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert n == len(rows) == len(expected)
    assert tuple(rows[0]) == EVENT_FIELDS
    for row, record in zip(rows, expected, strict=True):
        assert row["cameo"] == record["cameo"]  # leading zeros kept
        assert json.loads(row["evidence"]) == record["evidence"]
        assert json.loads(row["plover_context"]) == record["plover_context"]
        assert (json.loads(row["location"]) if row["location"] else None) == record["location"]


def test_filters(store_path):
    text, n, _ = export(store_path, "jsonl", dyad=("JPN", "KOR"))
    assert {json.loads(line)["cameo"] for line in text.splitlines()} == {"042", "010"}
    text, n, _ = export(store_path, "jsonl", dyad=("KOR", "JPN"), directed=True)
    assert n == 1
    _, n, _ = export(store_path, "jsonl", since="2025-10-02", until="2025-10-02")
    assert n == 2  # the 190 event and the undated statement of a story of that day
    with pytest.raises(ConfigError):
        export(store_path, "jsonl", since="2025-10-03", until="2025-10-01")


def test_parquet_reads_back(store_path, tmp_path):
    target = tmp_path / "out" / "events.parquet"
    with EventStore(store_path, read_only=True) as store:
        n = export_events(store, "parquet", target)
        expected = store.events()
    assert n == 5
    con = duckdb.connect()
    rows = con.execute(f"SELECT cameo, location, plover_context FROM '{target}'").fetchall()
    assert [r[0] for r in rows] == [e["cameo"] for e in expected]
    names = [d[0] for d in con.execute(f"SELECT * FROM '{target}'").description]
    assert tuple(names) == EVENT_FIELDS
    seoul = next(r for r in rows if r[0] == "042" and r[1] is not None)
    assert seoul[1]["fips"] == "KS" and seoul[2] == ["diplomatic"]


def test_parquet_needs_a_path(store_path):
    with EventStore(store_path, read_only=True) as store, pytest.raises(ConfigError):
        export_events(store, "parquet", io.StringIO())


def test_unknown_format(store_path):
    with EventStore(store_path, read_only=True) as store, pytest.raises(ConfigError):
        export_events(store, "xml", io.StringIO())


@pytest.fixture
def plugged(monkeypatch):
    monkeypatch.setitem(cli.PLUGGED, "export", "detente.exchange.cli_export")
    monkeypatch.setitem(cli.PLUGGED, "import", "detente.exchange.cli_import")


def test_cli_export(plugged, store_path, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["export", "--db", str(store_path), "--format", "plover", "--dyad", "JPN", "KOR"],
        out,
        err,
    )
    assert code == 0
    assert len(out.getvalue().splitlines()) == 2
    assert "01/02" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["export", "--db", str(store_path), "--format", "parquet"], out, err)
    assert code == 2 and "parquet needs a file path" in err.getvalue()
    target = tmp_path / "g.export.CSV"
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        ["export", "--db", str(store_path), "--format", "gdelt", "--out", str(target)], out, err
    )
    assert code == 0 and out.getvalue() == ""
    assert len(target.read_text().splitlines()) == 4
    assert "4 events written" in err.getvalue()


def test_cli_export_missing_db(plugged, tmp_path):
    err = io.StringIO()
    code = cli.main(
        ["export", "--db", str(tmp_path / "none.duckdb"), "--format", "csv"], io.StringIO(), err
    )
    assert code == 1 and "no such file" in err.getvalue()


def test_cli_help_shows_an_example(plugged, capsys):
    for name in ("export", "import"):
        with pytest.raises(SystemExit):
            cli.main([name, "--help"])
        assert "example:" in capsys.readouterr().out


def test_dedupe_fills_mention_counts(tmp_path):
    kor, jpn = Actor("KORGOV", country="KOR"), Actor("JPNGOV", country="JPN")
    day = dt.date(2025, 10, 1)
    stories = [
        Story(
            id=sid,
            text="x",
            date=day,
            source=outlet,
            events=[
                make_event(sid, 0, kor, jpn, "042", name="visit", quad=1, goldstein=1.9, date=day)
            ],
        )
        for sid, outlet in (("a", "Wire A"), ("b", "Wire B"))
    ]
    db = tmp_path / "d.duckdb"
    with EventStore(db) as store:
        store.add_stories(stories)
        if not has_dedup_view(store):
            pytest.skip("this schema has no deduped_events view")
    every, n_every, _ = export(db, "gdelt")
    deduped, n_deduped, _ = export(db, "gdelt", dedupe=True)
    assert (n_every, n_deduped) == (2, 1)
    (row,) = gdelt_rows(deduped)
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == ("2", "2", "2")
