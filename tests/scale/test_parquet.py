"""Parquet partitions and loading them: no model needed, so these run fast."""

import datetime as dt

import pytest

from detente.errors import ConfigError, StoreError
from detente.records import Actor, Event, Sentence, Span, Story
from detente.scale import load_parquet, write_partition
from detente.scale.parquet import existing_parts
from detente.store import EventStore

from .conftest import store_rows


def _story(sid: str, text: str = "Japan met Korea.", cameo: str = "040") -> Story:
    event = Event(
        story_id=sid,
        sentence_index=0,
        sentence=text,
        source=Actor("JPN", country="JPN"),
        target=Actor("KORGOV", country="KOR", sector="GOV", secondary=("X",)),
        source_text="Japan",
        target_text="Korea",
        cameo=cameo,
        cameo_name="Consult",
        goldstein=1.0,
        quad_class=1,
        plover="CONSULT",
        plover_mode=None,
        plover_context=("diplomatic",),
        date=dt.date(2020, 1, 2),
        source_span=Span(0, 5),
        predicate_span=Span(6, 9),
        target_span=Span(10, 15),
        predicate="meet",
    )
    return Story(
        id=sid,
        text=text,
        title="t",
        date=dt.date(2020, 1, 1),
        sentences=[Sentence(0, text, 0)],
        events=[event, event],  # the same event twice: occurrence ids differ
    )


def test_partitions_load_like_add_stories(tmp_path):
    stories = [_story(f"s{i}") for i in range(5)]
    write_partition(stories[:3], tmp_path / "parts", 0)
    write_partition(stories[3:], tmp_path / "parts", 1)
    assert existing_parts(tmp_path / "parts") == ["part-000000.parquet", "part-000001.parquet"]
    with EventStore(tmp_path / "a.duckdb") as a, EventStore(tmp_path / "b.duckdb") as b:
        expected = a.add_stories(stories, batch_size=3)
        loaded = load_parquet(tmp_path / "parts", b)
        assert loaded == expected
        assert store_rows(b) == store_rows(a)


def test_loading_is_idempotent_and_replaces_changed_stories(tmp_path):
    parts = tmp_path / "parts"
    write_partition([_story("a"), _story("b")], parts, 0)
    with EventStore(tmp_path / "s.duckdb") as store:
        first = load_parquet(parts, store)
        assert (first.stories_added, first.events_added, first.sentences_added) == (2, 4, 2)
        again = load_parquet(parts, store)
        assert (again.stories_added, again.stories_skipped, again.events_added) == (0, 2, 0)
        assert store.counts() == {"stories": 2, "sentences": 2, "events": 4}

        changed = tmp_path / "changed"
        write_partition([_story("a", text="Japan met Korea again.", cameo="043")], changed, 0)
        third = load_parquet(changed, store)
        assert (third.stories_replaced, third.events_added) == (1, 2)
        assert store.counts() == {"stories": 2, "sentences": 2, "events": 4}
        assert {e["cameo"] for e in store.events(story_id="a")} == {"043"}
        forced = load_parquet(changed, store, replace=True)
        assert forced.stories_replaced == 1
        assert store.counts()["events"] == 4


def test_incomplete_partitions_are_ignored(tmp_path):
    parts = tmp_path / "parts"
    write_partition([_story("a")], parts, 0)
    write_partition([_story("b")], parts, 1)
    (parts / "events" / "part-000001.parquet").unlink()
    with EventStore(":memory:") as store:
        report = load_parquet(parts, store)
    assert report.stories_added == 1


def test_a_story_twice_in_one_partition_is_refused(tmp_path):
    import duckdb

    parts = tmp_path / "parts"
    write_partition([_story("a"), _story("b")], parts, 0)
    # write_partition keeps one version of a story: double its rows by hand
    stories = parts / "stories" / "part-000000.parquet"
    twice = tmp_path / "twice.parquet"
    duckdb.sql(
        f"COPY (SELECT * FROM '{stories}' UNION ALL SELECT * FROM '{stories}' WHERE id = 'a') "
        f"TO '{twice}' (FORMAT parquet)"
    )
    twice.replace(stories)
    with EventStore(tmp_path / "s.duckdb") as store:
        with pytest.raises(StoreError, match="'a' is in the partition twice"):
            load_parquet(parts, store)
        assert store.counts() == {"stories": 0, "sentences": 0, "events": 0}


def test_missing_directory(tmp_path):
    with EventStore(":memory:") as store, pytest.raises(ConfigError):
        load_parquet(tmp_path / "nothing", store)


def test_load_command(tmp_path, capsys):
    import json

    from detente.scale import cli as scale_cli

    parts = tmp_path / "parts"
    write_partition([_story("a"), _story("a")], parts, 0)  # a repeated id keeps the last
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    scale_cli.add_parser(sub, "load")
    args = parser.parse_args(["load", str(parts), "--db", str(tmp_path / "x.duckdb")])
    out = tmp_path / "out.txt"
    with open(out, "w") as handle:
        assert scale_cli.run(args, handle, handle) == 0
    record = json.loads(out.read_text())
    assert record["partitions"] == 1 and record["stories_added"] == 1
    assert record["events_added"] == 2
