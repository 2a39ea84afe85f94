"""The event store: stories, sentences and coded events in an embedded DuckDB file."""

from detente.store.eventstore import (
    EVENT_DATE_SQL,
    OCCURRED_MODALITIES,
    EventStore,
    StoreReport,
    content_hash,
    dyad_condition,
    event_id,
)
from detente.store.schema import MIGRATIONS, Migration

SCHEMA_VERSION = len(MIGRATIONS)

__all__ = [
    "EVENT_DATE_SQL",
    "MIGRATIONS",
    "OCCURRED_MODALITIES",
    "SCHEMA_VERSION",
    "EventStore",
    "Migration",
    "StoreReport",
    "content_hash",
    "dyad_condition",
    "event_id",
]
