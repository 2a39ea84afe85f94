"""Schema versioning: a fake second migration exercises the mechanism."""

from __future__ import annotations

import duckdb
import pytest

from detente.errors import StoreError
from detente.records import Story
from detente.store import MIGRATIONS, SCHEMA_VERSION, EventStore, Migration


def backfill(con) -> None:
    con.execute("UPDATE stories SET note = 'old' WHERE note IS NULL")


class NextStore(EventStore):
    migrations = (
        *MIGRATIONS,
        Migration(
            SCHEMA_VERSION + 1,
            "add a note to stories",
            ("ALTER TABLE stories ADD COLUMN note VARCHAR",),
            apply=backfill,
        ),
    )


class BrokenStore(EventStore):
    migrations = (
        *MIGRATIONS,
        Migration(
            SCHEMA_VERSION + 1,
            "half done",
            ("CREATE TABLE extra (x INTEGER)", "SELECT * FROM no_such_table"),
        ),
    )


def test_new_store_is_at_current_version(tmp_path):
    with EventStore(tmp_path / "e.duckdb") as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.query("SELECT value FROM meta WHERE key = 'schema_version'") == [
            (str(SCHEMA_VERSION),)
        ]


def test_migration_upgrades_an_old_store(tmp_path):
    path = tmp_path / "e.duckdb"
    with EventStore(path) as store:
        store.add_stories([Story(id="a", text="Some text.")])
    with NextStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION + 1
        assert store.query("SELECT id, note FROM stories") == [("a", "old")]
    # reopening does not run the migration again
    with NextStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION + 1
    # readers built for version 2 can read it
    with NextStore(path, read_only=True) as store:
        assert store.counts()["stories"] == 1


def test_older_detente_refuses_newer_store(tmp_path):
    path = tmp_path / "e.duckdb"
    NextStore(path).close()
    with pytest.raises(StoreError, match="newer"):
        EventStore(path)


def test_read_only_does_not_migrate(tmp_path):
    path = tmp_path / "e.duckdb"
    EventStore(path).close()
    with pytest.raises(StoreError, match="needs migrating"):
        NextStore(path, read_only=True)
    with EventStore(path, read_only=True) as store:
        assert store.schema_version == SCHEMA_VERSION


def test_failed_migration_rolls_back(tmp_path):
    path = tmp_path / "e.duckdb"
    EventStore(path).close()
    with pytest.raises(StoreError, match=f"migration {SCHEMA_VERSION + 1}"):
        BrokenStore(path)
    with EventStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        tables = {r[0] for r in store.query("SELECT table_name FROM information_schema.tables")}
        assert "extra" not in tables


def test_migration_versions_must_be_consecutive(tmp_path):
    class Gap(EventStore):
        migrations = (*MIGRATIONS, Migration(SCHEMA_VERSION + 2, "skips one"))

    with pytest.raises(StoreError, match="expected"):
        Gap(tmp_path / "e.duckdb")


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE something (x INTEGER)")
    con.close()
    with pytest.raises(StoreError, match="not a detente event store"):
        EventStore(path)
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(StoreError, match="not a detente event store"):
        EventStore(empty, read_only=True)


# -- version 3: no keys on the tables that grow several rows a story --------------------


def _columns(store: EventStore) -> list[tuple]:
    return store.query(
        "SELECT table_name, column_name, ordinal_position, data_type, is_nullable, "
        "column_default FROM information_schema.columns WHERE table_schema = 'main' "
        "ORDER BY table_name, ordinal_position"
    )


def _keyed_tables(store: EventStore) -> list[str]:
    return [
        row[0]
        for row in store.query(
            "SELECT DISTINCT table_name FROM information_schema.table_constraints "
            "WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') ORDER BY 1"
        )
    ]


def _snapshot(store: EventStore) -> dict:
    from detente.store.near_duplicates import near_duplicates

    return {
        "counts": store.counts(),
        "stories": store.stories(),
        "story": store.story("wire"),
        "events": store.events(),
        "actors": store.query("SELECT * FROM actors ORDER BY event_id, role"),
        "signatures": store.query("SELECT * FROM story_signatures ORDER BY story_id"),
        "bands": store.query("SELECT * FROM story_bands ORDER BY story_id, band"),
        "deduped": store.query("SELECT * FROM deduped_events ORDER BY dedup_id"),
        "near_duplicates": near_duplicates(store),
    }


def _coded(sid: str, text: str, day: int) -> Story:
    import datetime as dt

    from detente.records import Actor, Event, Sentence, Span

    jpn, kor = Actor("JPNGOV", "JPN", "GOV"), Actor("KORGOV", "KOR", "GOV", name="Lee")
    events = [
        Event(sid, i, f"Sentence {i}.", jpn, kor if i % 2 else None, "Japan", "Korea",
              "042", "Make a visit", 1.9, 1, "CONSULT", "visit", ("diplomatic",),
              predicate_span=Span(3, 9), predicate="visit")
        for i in range(3)
    ]  # fmt: skip
    sentences = [Sentence(i, f"Sentence {i}.", 13 * i) for i in range(3)]
    date = dt.date(2025, 1, day)
    return Story(id=sid, text=text, date=date, sentences=sentences, events=events)


WIRE = (
    "Japanese Prime Minister Shigeru Ishiba met South Korean President Lee Jae-myung in "
    "Tokyo on Saturday, and the two leaders agreed to deepen cooperation on trade, "
    "security and the supply of critical minerals, officials in both capitals said."
)


def test_v3_drops_the_keys_of_the_growing_tables_and_keeps_the_data(tmp_path):
    from detente.store.near_duplicates import mark_near_duplicates

    class V2Store(EventStore):
        migrations = MIGRATIONS[:2]

    path = tmp_path / "v2.duckdb"
    with V2Store(path) as old:
        old.add_stories(
            [
                _coded("wire", WIRE, 1),
                _coded("copy", WIRE + " Reporting by Kim.", 2),
                _coded("other", "Rice prices rose in Osaka for the third week running.", 3),
            ]
        )
        assert mark_near_duplicates(old) == 1
        assert _keyed_tables(old) == [
            "actors", "events", "meta", "sentences", "stories", "story_signatures",
        ]  # fmt: skip
        before, columns = _snapshot(old), _columns(old)

    with EventStore(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 3
        assert _keyed_tables(store) == ["meta"]
        # same columns in the same order, with the same NOT NULLs and defaults
        assert _columns(store) == columns
        assert _snapshot(store) == before
        # the store goes on working: replace a story, add one, mark again
        replaced = _coded("other", "A wholly new text about fishing rights.", 3)
        report = store.add_stories([replaced, _coded("late", WIRE + " Updated.", 4)])
        assert (report.stories_replaced, report.stories_added) == (1, 1)
        assert store.counts() == {"stories": 4, "sentences": 12, "events": 12}
        assert mark_near_duplicates(store) == 2

    # a new store is built with the same tables as a migrated one
    with EventStore(tmp_path / "new.duckdb") as fresh:
        assert _columns(fresh) == columns
        assert _keyed_tables(fresh) == ["meta"]
