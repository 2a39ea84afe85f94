from __future__ import annotations

from pathlib import Path

from detente.ingest import IngestReport
from detente.ingest.sources import expand

from .helpers import collect, locations


def _names(paths: list[str], input_format: str | None = None) -> tuple[list[str], IngestReport]:
    report = IngestReport()
    return [s.name for s in expand(paths, input_format, report)], report


def test_directory_is_recursed_sorted_known_extensions_only(fixtures: Path) -> None:
    corpus = fixtures / "corpus"
    names, report = _names([str(corpus)])
    assert names == [str(corpus / "a.jsonl"), str(corpus / "b.txt"), str(corpus / "sub/c.csv")]
    assert report.ok


def test_glob_pattern_matches_in_order(fixtures: Path) -> None:
    names, report = _names([str(fixtures / "*.jsonl")])
    assert names == [str(fixtures / "good.jsonl"), str(fixtures / "mixed.jsonl")]
    names, _ = _names([str(fixtures / "corpus" / "**" / "*.csv")])
    assert names == [str(fixtures / "corpus" / "sub" / "c.csv")]


def test_missing_file_and_empty_glob_are_reported(fixtures: Path) -> None:
    missing = str(fixtures / "nope.jsonl")
    pattern = str(fixtures / "*.nothing")
    names, report = _names([missing, pattern, str(fixtures / "good.jsonl")])
    assert names == [str(fixtures / "good.jsonl")]
    assert locations(report) == [missing, pattern]
    assert "no such file" in str(report.problems[0])
    assert "no file matches" in str(report.problems[1])


def test_explicit_unknown_extension_is_text_and_format_can_be_forced(fixtures: Path) -> None:
    notes = fixtures / "corpus" / "notes.md"
    report = IngestReport()
    assert [s.format for s in expand([str(notes)], None, report)] == ["text"]
    assert [s.format for s in expand([str(notes)], "jsonl", report)] == ["jsonl"]


def test_same_file_is_read_once(fixtures: Path) -> None:
    good = str(fixtures / "good.jsonl")
    names, _ = _names([good, good, str(fixtures / "*.jsonl")])
    assert names == [good, str(fixtures / "mixed.jsonl")]


def test_directory_without_known_files_is_reported(tmp_path: Path) -> None:
    (tmp_path / "readme.md").write_text("x")
    names, report = _names([str(tmp_path)])
    assert names == [] and locations(report) == [str(tmp_path)]


def test_whole_corpus_directory_reads(fixtures: Path) -> None:
    stories, report = collect([str(fixtures / "corpus")])
    assert [s.id for s in stories] == ["a1", "b", "c1"]
    assert report.files == 3 and report.stories == 3 and report.ok
