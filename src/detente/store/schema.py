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

# Version 2: near-duplicate stories and deduplicated events.
# - stories.duplicate_of names the earlier (original) story a story is a near-copy of,
#   duplicate_similarity its estimated Jaccard similarity to the closest earlier story
#   (written by detente.store.near_duplicates.mark_near_duplicates);
# - story_signatures/story_bands keep the MinHash signature and LSH band hashes of each
#   story, so that a later ingest finds copies of stories stored earlier;
# - the deduped_events view folds the mentions of one event (same day, same source and
#   target actor codes, same CAMEO code; occurred events only) into one row with
#   GDELT-style counts. A near-duplicate story's events count as mentions of its
#   original's events: undated ones take the original story's date.
DEDUPED_EVENTS_VIEW = """
    CREATE OR REPLACE VIEW deduped_events AS
    WITH m AS (
        SELECT e.event_id, e.story_id, e.source, e.target, e.cameo, e.confidence,
               e.sentence_index, e.event_index,
               s.source AS outlet, s.date AS story_date, s.duplicate_of,
               coalesce(e.date, o.date, s.date) AS day,
               CASE WHEN coalesce(e.date, o.date, s.date) IS NULL THEN e.event_id END AS lone
        FROM events e
        LEFT JOIN stories s ON s.id = e.story_id
        LEFT JOIN stories o ON o.id = s.duplicate_of
        WHERE e.modality IN ('asserted', 'reported')
    )
    SELECT
        md5(concat_ws('|', coalesce(CAST(day AS VARCHAR), 'undated ' || lone),
                      coalesce(source, ''), coalesce(target, ''), cameo)) AS dedup_id,
        day AS date,
        source,
        target,
        cameo,
        first(event_id ORDER BY duplicate_of IS NOT NULL, story_date NULLS LAST,
              confidence DESC NULLS LAST, story_id, sentence_index, event_index) AS event_id,
        count(*) AS num_mentions,
        count(DISTINCT coalesce(outlet, 'story ' || story_id)) AS num_sources,
        count(DISTINCT story_id) AS num_articles,
        count(DISTINCT coalesce(duplicate_of, story_id)) AS num_original_articles,
        list(event_id ORDER BY story_date NULLS LAST, story_id, sentence_index, event_index)
            AS mention_ids,
        list_sort(list(DISTINCT story_id)) AS story_ids
    FROM m
    GROUP BY day, lone, source, target, cameo
"""

_V2 = (
    "ALTER TABLE stories ADD COLUMN duplicate_of VARCHAR",
    "ALTER TABLE stories ADD COLUMN duplicate_similarity DOUBLE",
    """
    CREATE TABLE story_signatures (
        story_id VARCHAR PRIMARY KEY,
        content_hash VARCHAR NOT NULL,
        scheme VARCHAR NOT NULL,
        signature UBIGINT[] NOT NULL
    )
    """,
    """
    CREATE TABLE story_bands (
        story_id VARCHAR NOT NULL,
        band INTEGER NOT NULL,
        hash BIGINT NOT NULL
    )
    """,
    DEDUPED_EVENTS_VIEW,
)

# Version 3: no PRIMARY KEYs on the tables that grow with the corpus.
# DuckDB backs each PRIMARY KEY with an ART index that stays in memory, outside what the
# buffer pool can evict: with keys that are hashes (event ids) or arbitrary story ids,
# every batch touches the whole index, so it grew with every story stored (about 2 KB a
# story over stories, sentences, events and actors) until it no longer fitted in
# ``memory_limit`` and writing failed ("failed to pin block"). No query needs these
# keys (lookups by id scan without them: the ingest's lookup of a batch's ids never used
# the index, and a story's events were always found by a scan), and the code that
# writes these tables (EventStore.add_stories, scale.parquet.load_parquet,
# exchange.importer, near_duplicates.sync_signatures; one writer at a time) already
# keeps the rows unique: it looks a batch's story ids up and deletes a story's rows
# before writing it again, numbers a story's sentences and events, gives events that
# agree on every key an occurrence counter, and looks imported event ids up. So each
# table is rebuilt without its key (DuckDB cannot drop a constraint in place); columns,
# their order, NOT NULLs and defaults stay. ``meta`` keeps its key (a handful of rows,
# and INSERT OR REPLACE needs it).
_V3_TABLES = (
    (
        "stories",
        """
        id VARCHAR NOT NULL,
        title VARCHAR,
        date DATE,
        source VARCHAR,
        url VARCHAR,
        origin VARCHAR,
        content_hash VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        ingested_at TIMESTAMP NOT NULL,
        duplicate_of VARCHAR,
        duplicate_similarity DOUBLE
        """,
    ),
    (
        "sentences",
        """
        story_id VARCHAR NOT NULL,
        sentence_index INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        start_char INTEGER NOT NULL
        """,
    ),
    (
        "events",
        """
        event_id VARCHAR NOT NULL,
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
        """,
    ),
    (
        "actors",
        """
        event_id VARCHAR NOT NULL,
        story_id VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        country VARCHAR,
        sector VARCHAR,
        name VARCHAR,
        secondary VARCHAR[]
        """,
    ),
    (
        "story_signatures",
        """
        story_id VARCHAR NOT NULL,
        content_hash VARCHAR NOT NULL,
        scheme VARCHAR NOT NULL,
        signature UBIGINT[] NOT NULL
        """,
    ),
)


def _rebuild_without_key(table: str, columns: str) -> tuple[str, ...]:
    new = f"{table}__v3"
    return (
        f"CREATE TABLE {new} ({columns})",
        f"INSERT INTO {new} SELECT * FROM {table}",
        f"DROP TABLE {table}",
        f"ALTER TABLE {new} RENAME TO {table}",
    )


_V3 = (
    *(sql for table, columns in _V3_TABLES for sql in _rebuild_without_key(table, columns)),
    # the view reads the tables by name; recreate it so that it binds to the new ones
    DEDUPED_EVENTS_VIEW,
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "stories, sentences, events and actors", _V1),
    Migration(2, "near-duplicate stories and the deduped_events view", _V2),
    Migration(3, "no primary keys on the tables that grow with the corpus", _V3),
)


def check_migrations(migrations: Sequence[Migration]) -> None:
    """Raise ValueError unless the versions run 1, 2, 3, ... without gaps."""
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise ValueError(
                f"migration {migration.description!r} has version {migration.version}, "
                f"expected {expected}"
            )
