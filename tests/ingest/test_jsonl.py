from __future__ import annotations

import datetime as dt
from pathlib import Path

from .helpers import collect, locations, messages


def test_good_jsonl_fields_ids_dates_and_origins(fixtures: Path) -> None:
    path = str(fixtures / "good.jsonl")
    stories, report = collect([path], default_date=dt.date(2020, 1, 1))
    assert [s.id for s in stories] == ["s1", "good-3", "7"]
    first = stories[0]
    assert first.text == "Russia and China signed a trade agreement."
    assert first.title == "Trade deal"
    assert first.url == "https://example.org/s1"
    assert first.source == "Example Wire"
    assert first.date == dt.date(2024, 3, 1)
    assert first.origin == f"{path}:1"
    assert stories[1].date == dt.date(2024, 3, 2)  # date-time keeps its own calendar date
    assert stories[1].origin == f"{path}:3"  # the blank line still counts
    assert stories[2].date == dt.date(2020, 1, 1)  # default_date when the record has none
    assert report.ok and report.stories == 3 and report.files == 1


def test_bad_lines_are_named_and_good_ones_kept(fixtures: Path) -> None:
    path = str(fixtures / "mixed.jsonl")
    stories, report = collect([path])
    assert [s.id for s in stories] == ["m1", "m6", "m9"]
    assert locations(report) == [
        f"{path}:2",  # malformed JSON
        f"{path}:3",  # text missing
        f"{path}:4",  # text not a string
        f"{path}:5",  # text blank
        f"{path}:6:date",  # bad date: kept
        f"{path}:7",  # not an object
        f"{path}:8",  # id of a wrong type
        f"{path}:9:title",  # title not a string: ignored, kept
    ]
    text = messages(report)
    assert "malformed JSON" in text
    assert "missing 'text'" in text
    assert "'text' must be a string, not int" in text
    assert "'text' is empty" in text
    assert "'date' 'next Tuesday'" in text
    assert "expected a JSON object, got array" in text
    assert report.skipped == 6 and report.skipped_any


def test_bad_date_keeps_record_with_default_date(fixtures: Path) -> None:
    stories, report = collect([str(fixtures / "mixed.jsonl")], default_date=dt.date(2021, 5, 4))
    bad = next(s for s in stories if s.id == "m6")
    assert bad.date == dt.date(2021, 5, 4)
    assert any("record kept with 2021-05-04" in str(p) for p in report.problems)


def test_invalid_utf8_line_is_skipped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "fine"}\n{"id": "b", "text": "caf\xe9"}\n{"id": "c", "text": "ok"}\n'
    )
    stories, report = collect([str(path)])
    assert [s.id for s in stories] == ["a", "c"]
    assert locations(report) == [f"{path}:2"]
    assert "invalid UTF-8 (byte 0xe9" in messages(report)


def test_utf8_bom_on_first_line_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"id": "a", "text": "fine"}\n')
    stories, report = collect([str(path)])
    assert [s.id for s in stories] == ["a"] and report.ok


def test_empty_and_blank_files_are_reported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.ndjson"
    blank.write_text("\n  \n\n")
    stories, report = collect([str(empty), str(blank)])
    assert stories == []
    assert locations(report) == [str(empty), str(blank)]
    assert "empty file" in messages(report)
    assert report.files == 2


def test_huge_line_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as out:
        out.write(b'{"id": "before", "text": "first"}\n')
        out.write(b'{"id": "huge", "text": "')
        chunk = b"x" * (1 << 20)
        for _ in range(50):
            out.write(chunk)
        out.write(b'"}\n{"id": "after", "text": "last"}\n')
    stories, report = collect([str(path)])
    assert [s.id for s in stories] == ["before", "after"]
    assert locations(report) == [f"{path}:2"]
    assert "longer than 10,485,760 bytes" in messages(report)


def test_record_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "small.jsonl"
    path.write_text('{"text": "short"}\n{"text": "' + "y" * 200 + '"}\n{"text": "end"}\n')
    stories, report = collect([str(path)], max_record_bytes=100)
    assert [s.id for s in stories] == ["small-1", "small-3"]
    assert locations(report) == [f"{path}:2"]


def test_json_array_document(fixtures: Path) -> None:
    path = str(fixtures / "document.json")
    stories, report = collect([path])
    assert [(s.id, s.origin) for s in stories] == [("j1", f"{path}[0]")]
    assert locations(report) == [f"{path}[1]"]


def test_json_single_object_document(fixtures: Path) -> None:
    path = str(fixtures / "single.json")
    stories, report = collect([path])
    assert [(s.id, s.origin) for s in stories] == [("single", path)]
    assert report.ok


def test_json_file_holding_json_lines(fixtures: Path) -> None:
    path = str(fixtures / "lines.json")
    stories, report = collect([path])
    assert [(s.id, s.origin) for s in stories] == [("l1", f"{path}:1"), ("l2", f"{path}:2")]
    assert report.ok


def test_json_lines_file_too_big_for_a_document_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text("".join(f'{{"id": "r{i}", "text": "story {i}"}}\n' for i in range(20)))
    stories, report = collect([str(path)], max_record_bytes=100)
    assert len(stories) == 20 and report.ok
