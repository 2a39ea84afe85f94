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
