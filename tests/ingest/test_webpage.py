from __future__ import annotations

import datetime as dt
from pathlib import Path

from detente.ingest.webpage import page_metadata

from .helpers import collect, locations, messages


def test_html_main_text_title_date_and_meta(fixtures: Path) -> None:
    path = str(fixtures / "article.html")
    stories, report = collect([path])
    assert len(stories) == 1
    story = stories[0]
    assert story.id == "article"
    assert "Negotiators from both countries met in Geneva" in story.text
    assert "Home" not in story.text and "Copyright" not in story.text
    assert story.title == "Talks resume in Geneva"  # og:title before <title>
    assert story.date == dt.date(2024, 3, 1)
    assert story.url == "https://example.org/talks"
    assert story.source == "Example News"
    assert story.origin == path
    assert report.ok


def test_html_title_tag_and_bad_meta_date(fixtures: Path) -> None:
    path = str(fixtures / "plain.htm")
    stories, report = collect([path], default_date=dt.date(2024, 1, 1))
    assert stories[0].title == "Border clash"
    assert stories[0].date == dt.date(2024, 1, 1)
    assert locations(report) == [f"{path}:date"]
    assert "meta 'date' 'yesterday'" in messages(report)


def test_html_without_main_text_is_skipped(fixtures: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    path = str(fixtures / "empty_body.html")
    stories, report = collect([path, str(empty)])
    assert stories == []
    assert locations(report) == [path, str(empty)]
    assert "no main text" in messages(report) and "empty file" in messages(report)


def test_page_metadata_canonical_link_and_itemprop() -> None:
    meta = page_metadata(
        b'<html><head><link rel="canonical" href="https://e.org/a">'
        b'<meta itemprop="datePublished" content="2023-12-31"></head><body></body></html>'
    )
    assert meta["canonical"] == "https://e.org/a"
    assert meta["datepublished"] == "2023-12-31"
