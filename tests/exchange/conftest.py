"""A small hand-made event store for the export and import tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from exchange_fixtures import build_stories

from detente.store import EventStore


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "events.duckdb"
    with EventStore(path) as store:
        store.add_stories(build_stories())
    return path
