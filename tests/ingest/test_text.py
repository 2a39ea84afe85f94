from __future__ import annotations

import datetime as dt
from pathlib import Path

from detente.ingest.text import guess_title

from .helpers import collect, locations, messages


def test_plain_text_file_is_one_story(fixtures: Path) -> None:
    path = str(fixtures / "article.txt")
    stories, report = collect([path], default_date=dt.date(2024, 3, 1))
    assert len(stories) == 1
    story = stories[0]
    assert story.id == "article"
    assert story.title == "Ceasefire talks resume in Geneva"
    assert story.text.startswith("Ceasefire talks resume in Geneva\n\nNegotiators")
    assert story.date == dt.date(2024, 3, 1)
    assert story.origin == path
    assert report.ok


def test_first_sentence_is_not_a_title(fixtures: Path) -> None:
    stories, _ = collect([str(fixtures / "note.txt")])
    assert stories[0].title is None


def test_guess_title_rules() -> None:
    assert guess_title("\n  Will talks resume?\nBody.") == "Will talks resume?"
    assert guess_title("Only one line") is None
    assert guess_title("A sentence.\nBody.") is None
    assert guess_title("x" * 151 + "\nBody.") is None


def test_crlf_newlines_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Title\r\n\r\nBody text.\r\n")
    stories, _ = collect([str(path)])
    assert stories[0].text == "Title\n\nBody text.\n"


def test_invalid_utf8_text_is_kept_with_replacement_and_warned(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Caf\xe9 diplomacy\nMinisters met.\n")
    stories, report = collect([str(path)])
    assert stories[0].text.startswith("Caf\ufffd diplomacy")
    assert locations(report) == [str(path)]
    assert "replaced by U+FFFD" in messages(report)
    assert not report.skipped_any


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n")
    stories, report = collect([str(empty), str(blank)])
    assert stories == []
    assert locations(report) == [str(empty), str(blank)]
    assert report.skipped == 2


def test_binary_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    good = tmp_path / "good.txt"
    good.write_text("Still read.\n")
    stories, report = collect([str(path), str(good)])
    assert [s.id for s in stories] == ["good"]
    assert locations(report) == [str(path)]
    assert "binary file" in messages(report)


def test_utf16_file_is_skipped_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_text("Talks resumed.\n", encoding="utf-16")
    stories, report = collect([str(path)])
    assert stories == []
    assert "UTF-16" in messages(report)


def test_file_over_the_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("z" * 1000)
    stories, report = collect([str(path)], max_record_bytes=100)
    assert stories == []
    assert "larger than 100 bytes" in messages(report)
