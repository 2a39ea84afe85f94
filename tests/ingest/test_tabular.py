from __future__ import annotations

import datetime as dt
from pathlib import Path

from .helpers import collect, locations, messages


def test_csv_rows_columns_and_multiline_fields(fixtures: Path) -> None:
    path = str(fixtures / "stories.csv")
    stories, report = collect([path])
    assert [s.id for s in stories] == ["c1", "c2", "stories-5"]
    first = stories[0]
    assert first.title == "Sanctions"  # header "Title" matched ignoring case
    assert first.date == dt.date(2024, 1, 5)
    assert first.url == "https://example.org/c1"
    assert first.origin == f"{path}:2"
    assert stories[1].text == "Leaders met in Paris.\nThey agreed to meet again."
    assert stories[1].title is None and stories[1].date is None
    assert stories[2].origin == f"{path}:5"  # the quoted newline made row 3 two lines
    assert locations(report) == [f"{path}:6", f"{path}:7"]
    assert "row has 6 fields but the header has 5" in messages(report)
    assert "missing 'text'" in messages(report)


def test_tsv_and_bad_date(fixtures: Path) -> None:
    path = str(fixtures / "stories.tsv")
    stories, report = collect([path], default_date=dt.date(2024, 2, 2))
    assert [(s.id, s.date) for s in stories] == [
        ("t1", dt.date(2024, 2, 1)),
        ("t2", dt.date(2024, 2, 2)),
    ]
    assert locations(report) == [f"{path}:3:date"]
    assert not report.skipped_any


def test_text_column_option(fixtures: Path) -> None:
    stories, report = collect([str(fixtures / "body.csv")], text_column="body")
    assert [(s.id, s.text) for s in stories] == [("b1", "Egypt mediated between the parties.")]
    assert report.ok


def test_missing_text_column_is_named(fixtures: Path) -> None:
    path = str(fixtures / "body.csv")
    stories, report = collect([path])
    assert stories == []
    assert locations(report) == [f"{path}:1"]
    assert "no column 'text' in the header (columns: 'id', 'body')" in messages(report)


def test_empty_csv_and_header_only(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    header = tmp_path / "header.csv"
    header.write_text("id,text\n")
    stories, report = collect([str(empty), str(header)])
    assert stories == []
    assert locations(report) == [str(empty), str(header)]
    assert "no header row" in messages(report) and "no records after the header" in messages(report)


def test_invalid_utf8_csv_line_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"id,text\na,Fine.\nb,Caf\xe9 talks.\nc,Also fine.\n")
    stories, report = collect([str(path)])
    assert [s.id for s in stories] == ["a", "c"]
    assert locations(report) == [f"{path}:3"]


def test_long_article_fits_but_runaway_record_is_bounded(tmp_path: Path) -> None:
    long_text = "word " * 60_000  # 300 kB: over the csv module's default field limit
    path = tmp_path / "long.csv"
    path.write_text(f'id,text\nlong,"{long_text}"\nnext,Short.\n')
    stories, report = collect([str(path)])
    assert [s.id for s in stories] == ["long", "next"] and report.ok

    runaway = tmp_path / "runaway.csv"
    body = "".join(f"line {i} of an unclosed quote\n" for i in range(100))
    runaway.write_text(f'id,text\nr1,"{body}')
    stories, report = collect([str(runaway)], max_record_bytes=500)
    assert locations(report)[0] == f"{runaway}:2"
    assert "record longer than 500 bytes" in messages(report)
