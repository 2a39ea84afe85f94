from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

import pytest

from detente.errors import ConfigError, InputError
from detente.ingest import IngestReport, read_stories

from .helpers import collect, locations, messages


def test_stdin_sniffed_as_jsonl() -> None:
    stdin = io.StringIO('\n{"id": "x", "text": "From a pipe."}\n{"text": "Second."}\n')
    stories, report = collect(["-"], stdin=stdin)
    assert [(s.id, s.origin) for s in stories] == [("x", "<stdin>:2"), ("stdin-3", "<stdin>:3")]
    assert report.files == 1 and report.ok


def test_stdin_sniffed_as_text_from_a_binary_buffer() -> None:
    class Stdin(io.TextIOWrapper):
        pass

    stdin = Stdin(io.BytesIO(b"Headline here\nBody of the story.\n"), encoding="utf-8")
    stories, _ = collect(["-"], stdin=stdin, default_date=dt.date(2024, 1, 1))
    assert [(s.id, s.title, s.origin) for s in stories] == [("stdin", "Headline here", "<stdin>")]
    assert stories[0].text == "Headline here\nBody of the story.\n"
    assert stories[0].date == dt.date(2024, 1, 1)


def test_stdin_with_forced_format() -> None:
    stdin = io.StringIO("id,text\ns,Piped CSV.\n")
    stories, _ = collect(["-"], stdin=stdin, input_format="csv")
    assert [s.id for s in stories] == ["s"]


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    path = tmp_path / "dups.jsonl"
    path.write_text('{"id": "a", "text": "one"}\n{"id": "a", "text": "two"}\n')
    other = tmp_path / "a.txt"
    other.write_text("three\n")
    stories, report = collect([str(path), str(other)])
    assert [s.text for s in stories] == ["one"]
    assert locations(report) == [f"{path}:2", str(other)]
    assert f"duplicate story id 'a' (first read at {path}:1)" in messages(report)
    assert report.stories == 1 and report.skipped == 2


def test_reading_goes_on_after_bad_files(fixtures: Path, tmp_path: Path) -> None:
    binary = tmp_path / "blob.jsonl"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    stories, report = collect(
        [str(tmp_path / "missing.txt"), str(binary), str(fixtures / "good.jsonl")]
    )
    assert len(stories) == 3
    assert locations(report) == [str(tmp_path / "missing.txt"), str(binary)]
    assert report.files == 2  # the missing file was never an input


def test_problems_are_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{oops\n")
    with caplog.at_level(logging.WARNING, logger="detente.ingest"):
        collect([str(path)])
    assert any(f"{path}:1: malformed JSON" in r.getMessage() for r in caplog.records)


def test_stream_is_lazy_and_report_fills_as_it_goes(fixtures: Path) -> None:
    report = IngestReport()
    stories = read_stories([str(fixtures / "mixed.jsonl")], report=report)
    first = next(stories)
    assert first.id == "m1" and report.problems == []
    list(stories)
    assert all(isinstance(p, InputError) for p in report.problems)


def test_single_path_string_and_pathlike_are_accepted(fixtures: Path) -> None:
    assert len(list(read_stories(str(fixtures / "good.jsonl")))) == 3
    assert len(list(read_stories([fixtures / "good.jsonl"]))) == 3


def test_default_datetime_becomes_a_date(fixtures: Path) -> None:
    stories, _ = collect(
        [str(fixtures / "article.txt")], default_date=dt.datetime(2024, 5, 6, 7, 8)
    )
    assert stories[0].date == dt.date(2024, 5, 6)


@pytest.mark.parametrize(
    "kwargs",
    [{"input_format": "xml"}, {"max_record_bytes": 0}, {"text_column": ""}],
)
def test_bad_arguments_raise_config_error_at_once(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        read_stories(["-"], **kwargs)  # type: ignore[arg-type]


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("text\n")

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    stories, report = collect([str(path)])
    assert stories == []
    assert messages(report) == f"{path}: cannot read: Permission denied"
