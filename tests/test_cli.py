"""The CLI end to end, in process, on small hand-made inputs and real DuckDB files."""

import io
import json

import pytest

from detente import cli
from detente.records import EVENT_FIELDS

STORY = (
    "South Korean President Lee Jae-myung met Japanese Prime Minister Shigeru Ishiba in Tokyo. "
    "Japan imposed export restrictions on South Korea."
)


@pytest.fixture(autouse=True)
def shared_coder(monkeypatch, coder):
    """Reuse the session's coder so each command does not reload spaCy."""
    monkeypatch.setattr(cli, "_coder", lambda args: coder)


def run(*argv, stdin=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        import sys

        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
    try:
        code = cli.main(list(argv), out, err)
    finally:
        if stdin is not None:
            sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def test_code_prints_every_contract_field(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY)
    code, out, err = run("code", str(path), "--date", "2025-08-23")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert records
    for record in records:
        assert tuple(record) == EVENT_FIELDS
    roots = {(r["source"][:3], r["target"][:3], r["root"]) for r in records if r["target"]}
    assert ("KOR", "JPN", "04") in roots
    assert any(
        r["source"].startswith("JPN") and r["target"].startswith("KOR") and r["quad_class"] == 4
        for r in records
        if r["target"]
    )


def test_code_table_and_csv_formats(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(STORY)
    code, table, _ = run("code", str(path), "--format", "table")
    assert code == 0 and table.splitlines()[0].split()[:3] == ["date", "source", "target"]
    code, csv_text, _ = run("code", str(path), "--format", "csv")
    assert code == 0 and csv_text.splitlines()[0].startswith("story_id,sentence_index,sentence")


def test_bad_jsonl_line_is_named_and_the_good_records_are_still_stored(tmp_path):
    corpus = tmp_path / "mixed.jsonl"
    good = {
        "id": "a",
        "date": "2019-07-04",
        "text": "Japan imposed export restrictions on South Korea.",
    }
    also_good = {
        "id": "c",
        "date": "2023-03-16",
        "text": "Japanese Prime Minister Fumio Kishida met South Korean President "
        "Yoon Suk Yeol in Tokyo.",
    }
    corpus.write_text(json.dumps(good) + "\n{not json\n" + json.dumps(also_good) + "\n")
    db = tmp_path / "store.duckdb"
    code, out, err = run("ingest", str(corpus), "--db", str(db))
    assert code == cli.EXIT_SKIPPED
    assert f"{corpus}:2" in err
    summary = json.loads(out)
    assert summary["stories_added"] == 2
    code, out, err = run("events", "--db", str(db), "--dyad", "JPN", "KOR")
    assert code == 0
    stories = {json.loads(line)["story_id"] for line in out.splitlines()}
    assert stories == {"a", "c"}


def test_missing_file_is_an_error_that_names_it(tmp_path):
    code, out, err = run("events", "--db", str(tmp_path / "nope.duckdb"))
    assert code == cli.EXIT_ERROR
    assert "nope.duckdb" in err


def test_missing_input_file_is_skipped_with_a_message_and_other_files_still_coded(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(STORY)
    code, out, err = run("code", str(tmp_path / "absent.txt"), str(good))
    assert code == cli.EXIT_SKIPPED
    assert "absent.txt" in err
    assert out.strip()


def test_code_reads_standard_input():
    code, out, err = run("code", "-", stdin="Seoul accused Tokyo of distorting history.")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert any(r["root"] == "11" for r in records)


def test_every_command_has_help_with_an_example(capsys):
    for command in [*cli.COMMANDS, *cli.PLUGGED]:
        with pytest.raises(SystemExit) as exit_info:
            cli.main([command, "--help"])
        assert exit_info.value.code == 0
        assert "example:" in capsys.readouterr().out


def test_user_dictionary_codes_a_leader_by_the_story_date(tmp_path, monkeypatch):
    monkeypatch.undo()  # this test needs the real _coder, which reads --dictionary
    dictionary = tmp_path / "actors.csv"
    dictionary.write_text(
        "name,code,from,to\n"
        "Lee Jae-myung,KOROPP,2022-01-01,2025-06-03\n"
        "Lee Jae-myung,KORGOV,2025-06-04,\n"
    )
    story = tmp_path / "s.txt"
    story.write_text("Lee Jae-myung criticized Japan.")
    sources = []
    for date in ("2023-05-01", "2025-09-01"):
        code, out, err = run("code", str(story), "--dictionary", str(dictionary), "--date", date)
        assert code == 0, err
        sources.append(json.loads(out.splitlines()[0])["source"])
    assert sources == ["KOROPP", "KORGOV"]


def test_fast_is_the_rules_alone_and_the_default_is_the_whole_chain():
    from detente.cli import build_parser, config_from_args

    fast = config_from_args(build_parser().parse_args(["code", "x.txt", "--fast"]))
    assert (fast.refine, fast.fallback, fast.learned) == (False, False, False)
    full = config_from_args(build_parser().parse_args(["ingest", "x.txt", "--db", "d"]))
    assert (full.refine, full.fallback, full.learned, full.knowledge) == (True, True, True, True)
