from __future__ import annotations

import datetime as dt

import pytest

from detente.ingest import IngestReport
from detente.ingest.fields import Options, parse_date, story_from_record

OPTS = Options(default_date=None, text_column="text", max_record_bytes=1000, input_format=None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-01", dt.date(2024, 3, 1)),
        (" 2024-03-01T23:30:00-05:00 ", dt.date(2024, 3, 1)),
        ("2024-03-01T10:00:00Z", dt.date(2024, 3, 1)),
        ("20240301", dt.date(2024, 3, 1)),
    ],
)
def test_parse_date(value: str, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["March 1, 2024", "2024-13-01", ""])
def test_parse_date_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_non_string_date_is_reported_by_field() -> None:
    report = IngestReport()
    story = story_from_record(
        {"text": "t", "date": 20240301}, fallback_id="f", origin="p:1", opts=OPTS, report=report
    )
    assert story is not None and story.date is None and story.id == "f"
    assert [p.location for p in report.problems] == ["p:1:date"]
    assert "'date' must be an ISO date string, not int" in str(report.problems[0])


def test_blank_id_and_blank_optional_fields_count_as_absent() -> None:
    report = IngestReport()
    story = story_from_record(
        {"id": "  ", "text": "t", "title": " ", "url": None},
        fallback_id="f-1",
        origin="p:1",
        opts=OPTS,
        report=report,
    )
    assert story is not None
    assert (story.id, story.title, story.url) == ("f-1", None, None)
    assert report.ok


def test_boolean_id_is_rejected() -> None:
    report = IngestReport()
    assert (
        story_from_record(
            {"id": True, "text": "t"}, fallback_id="f", origin="p:1", opts=OPTS, report=report
        )
        is None
    )
    assert report.skipped == 1
