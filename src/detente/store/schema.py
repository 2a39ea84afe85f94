"""The event-store schema and its migrations.

Every change to the schema is a new :class:`Migration` appended to :data:`MIGRATIONS`,
with the next version number. A store records the version it has reached in the
``meta`` table; opening it read-write applies the migrations it lacks, each in its own
transaction. Never edit a migration that has been released: add another one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

# Columns of the ``events`` table that hold the Event.to_dict() fields, in contract
# order where the contract has a column; location and evidence are kept flat so that
# they can be filtered and sorted on.
EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "VARCHAR"),
    ("story_id", "VARCHAR"),
    ("event_index", "INTEGER"),
    ("sentence_index", "INTEGER"),
    ("sentence", "VARCHAR"),
    ("source", "VARCHAR"),
    ("target", "VARCHAR"),
    ("source_text", "VARCHAR"),
    ("target_text", "VARCHAR"),
    ("source_country", "VARCHAR"),
    ("target_country", "VARCHAR"),
    ("cameo", "VARCHAR"),
    ("cameo_name", "VARCHAR"),
    ("root", "VARCHAR"),
    ("quad_class", "INTEGER"),
    ("goldstein", "DOUBLE"),
    ("plover", "VARCHAR"),
    ("plover_mode", "VARCHAR"),
    ("plover_context", "VARCHAR[]"),
    ("modality", "VARCHAR"),
    ("confidence", "DOUBLE"),
    ("date", "DATE"),
    ("location_name", "VARCHAR"),
    ("location_country", "VARCHAR"),
    ("location_lat", "DOUBLE"),
    ("location_lon", "DOUBLE"),
    ("location_fips", "VARCHAR"),
    ("location_admin1", "VARCHAR"),
    ("location_precision", "VARCHAR"),
    ("source_start", "INTEGER"),
    ("source_end", "INTEGER"),
    ("predicate_start", "INTEGER"),
    ("predicate_end", "INTEGER"),
    ("target_start", "INTEGER"),
    ("target_end", "INTEGER"),
    ("predicate", "VARCHAR"),
    ("origin", "VARCHAR"),
)

STORY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "VARCHAR"),
    ("title", "VARCHAR"),
    ("date", "DATE"),
    ("source", "VARCHAR"),
    ("url", "VARCHAR"),
    ("origin", "VARCHAR"),
    ("content_hash", "VARCHAR"),
    ("text", "VARCHAR"),
    ("ingested_at", "TIMESTAMP"),
)

SENTENCE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("story_id", "VARCHAR"),
    ("sentence_index", "INTEGER"),
    ("text", "VARCHAR"),
    ("start_char", "INTEGER"),
)

ACTOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "VARCHAR"),
    ("story_id", "VARCHAR"),
    ("role", "VARCHAR"),
    ("code", "VARCHAR"),
    ("country", "VARCHAR"),
    ("sector", "VARCHAR"),
    ("name", "VARCHAR"),
    ("secondary", "VARCHAR[]"),
)


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: SQL statements, then an optional Python function.

    Both run inside one transaction together with the update of ``schema_version``.
    """

    version: int
    description: str
    statements: tuple[str, ...] = ()
    apply: Callable[[Any], None] | None = field(default=None, compare=False)


_V1 = (
    """
    CREATE TABLE meta (
        key VARCHAR PRIMARY KEY,
        value VARCHAR NOT NULL
    )
    """,
    """
    CREATE TABLE stories (
        id VARCHAR PRIMARY KEY,
        title VARCHAR,
        date DATE,
        source VARCHAR,
        url VARCHAR,
        origin VARCHAR,
        content_hash VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL
    )
    """,
    """
    CREATE TABLE sentences (
        story_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        start_char INTEGER NOT NULL,
        PRIMARY KEY (story_id, sentence_index)
    )
    """,
    """
    CREATE TABLE events (
        event_id VARCHAR PRIMARY KEY,
        story_id VARCHAR NOT NULL,
        event_index INTEGER NOT NULL,
        sentence_index INTEGER NOT NULL,
        sentence VARCHAR,
        source VARCHAR,
        target VARCHAR,
        source_text VARCHAR,
        target_text VARCHAR,
        source_country VARCHAR,
        target_country VARCHAR,
        cameo VARCHAR NOT NULL,
        cameo_name VARCHAR,
        root VARCHAR,
        quad_class INTEGER,
        goldstein DOUBLE,
        plover VARCHAR,
        plover_mode VARCHAR,
        plover_context VARCHAR[],
        modality VARCHAR NOT NULL DEFAULT 'asserted',
        confidence DOUBLE,
        date DATE,
        location_name VARCHAR,
        location_country VARCHAR,
        location_lat DOUBLE,
        location_lon DOUBLE,
        location_fips VARCHAR,
        location_admin1 VARCHAR,
        location_precision VARCHAR,
        source_start INTEGER,
        source_end INTEGER,
        predicate_start INTEGER,
        predicate_end INTEGER,
        target_start INTEGER,
        target_end INTEGER,
        predicate VARCHAR,
        origin VARCHAR NOT NULL DEFAULT 'detente'
    )
    """,
    """
    CREATE TABLE actors (
        event_id VARCHAR NOT NULL,
        story_id VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        country VARCHAR,
        sector VARCHAR,
        name VARCHAR,
        secondary VARCHAR[],
        PRIMARY KEY (event_id, role)
    )
    """,
)

MIGRATIONS: tuple[Migration, ...] = (Migration(1, "stories, sentences, events and actors", _V1),)


def check_migrations(migrations: Sequence[Migration]) -> None:
    """Raise ValueError unless the versions run 1, 2, 3, ... without gaps."""
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise ValueError(
                f"migration {migration.description!r} has version {migration.version}, "
                f"expected {expected}"
            )
