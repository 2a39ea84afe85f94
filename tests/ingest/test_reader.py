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


# -- the compact memory of ids already read ---------------------------------------------


def test_duplicates_far_apart_name_where_the_first_was_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from detente.ingest import reader

    monkeypatch.setattr(reader, "SEEN_IDS_BUFFER", 4)  # merge into the arrays every 4 ids
    lines = tmp_path / "many.jsonl"
    lines.write_text("".join(f'{{"id": "s{i}", "text": "Story {i}."}}\n' for i in range(30)))
    array = tmp_path / "array.json"
    array.write_text('[{"id": "j0", "text": "x"}, {"id": "s3", "text": "again"}]')
    single = tmp_path / "j0.txt"
    single.write_text("A text file whose id (its stem) was read before.\n")
    tail = tmp_path / "tail.jsonl"
    tail.write_text('{"id": "s29", "text": "late"}\n{"id": "j0", "text": "later"}\n')
    stories, report = collect([str(lines), str(array), str(single), str(tail)])
    assert [s.id for s in stories] == [f"s{i}" for i in range(30)] + ["j0"]
    assert report.stories == 31 and report.skipped == 4
    assert locations(report) == [f"{array}[1]", str(single), f"{tail}:1", f"{tail}:2"]
    assert messages(report).splitlines() == [
        f"{array}[1]: duplicate story id 's3' (first read at {lines}:4); skipped",
        f"{single}: duplicate story id 'j0' (first read at {array}[0]); skipped",
        f"{tail}:1: duplicate story id 's29' (first read at {lines}:30); skipped",
        f"{tail}:2: duplicate story id 'j0' (first read at {array}[0]); skipped",
    ]


def test_seen_ids_match_a_plain_dict() -> None:
    import random

    from detente.ingest.reader import SeenIds

    rng = random.Random(5)
    seen, plain = SeenIds(buffer=7), {}
    names = ["a.jsonl", "b.json", "<stdin>", "c.txt", "d.csv"]
    for i in range(400):
        name = rng.choice(names)
        origin = rng.choice(
            [name, f"{name}:{i}", f"{name}[{i}]", f"{name}:00{i}", f"elsewhere:{i}", f"{name}:x"]
        )
        story_id = rng.choice([f"id-{i}", f"{i}", f"ü-{i}\ud800", "x" * (i % 50)])
        if story_id in plain:
            assert seen.get(story_id) == plain[story_id]
            continue
        assert seen.get(story_id) is None
        seen.add(story_id, origin, name)
        plain[story_id] = origin
    assert len(seen) == len(plain)
    assert all(seen.get(sid) == origin for sid, origin in plain.items())
    assert seen.get("never read") is None


def test_seen_ids_take_a_few_bytes_an_id() -> None:
    import tracemalloc

    from detente.ingest.reader import SeenIds

    n = 50_000
    name = "/corpora/some/long/directory/name/wire-2025-08.jsonl"
    tracemalloc.start()
    seen = SeenIds(buffer=4096)
    for i in range(n):
        seen.add(f"https://news.example.org/2025/08/story-{i:08d}", f"{name}:{i + 1}", name)
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    # a dict of id and origin strings held over 200 bytes an id (11 MiB here); this
    # holds 24 bytes an id in arrays, plus the dict of the last ids (4,096 at most)
    assert held < 24 * n + 1_500_000
    assert seen.get(f"https://news.example.org/2025/08/story-{n - 1:08d}") == f"{name}:{n}"
    assert seen.get("https://news.example.org/2025/08/story-00000007") == f"{name}:8"
