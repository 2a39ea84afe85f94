"""Access to one event store shared by the requests of a server.

The store file is opened once. Every request reads through its own DuckDB cursor (a
connection to the same database) inside one transaction, so a request sees one
consistent snapshot: an ingest batch that commits meanwhile is either wholly visible
or not at all. Writes go through a single writer cursor behind a lock. A query that
runs past the time limit is interrupted.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb

from detente.errors import StoreError
from detente.store import EventStore

log = logging.getLogger(__name__)

T = TypeVar("T")


class QueryTimeout(StoreError):
    """A request's queries ran past the server's time limit and were interrupted."""


class ReadOnlyError(StoreError):
    """A write was asked of a store served read-only."""


class CursorStore(EventStore):
    """An :class:`EventStore` view over one cursor of an open store.

    It has the reading and writing methods of the store it came from; closing it
    closes only the cursor.
    """

    def __init__(  # noqa: D107 - a view, deliberately not opening a file
        self, parent: EventStore, cursor: duckdb.DuckDBPyConnection, *, read_only: bool
    ) -> None:
        self.path = parent.path
        self.read_only = read_only
        self._con = cursor


class StoreAccess:
    """Readers and the writer of one store file, for many threads."""

    def __init__(
        self, path: str | os.PathLike[str], *, read_only: bool, query_timeout_s: float
    ) -> None:
        self.read_only = read_only
        self.query_timeout_s = query_timeout_s
        self._store = EventStore(path, read_only=read_only)
        self._spawn_lock = threading.Lock()
        self._write_lock = threading.Lock()

    @property
    def path(self) -> str:
        return self._store.path

    def close(self) -> None:
        with self._spawn_lock, self._write_lock:
            self._store.close()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._spawn_lock:
            return self._store.con.cursor()

    @contextmanager
    def _guarded(self, cursor: duckdb.DuckDBPyConnection) -> Iterator[None]:
        """Interrupt the cursor's query when the time limit passes."""
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            cursor.interrupt()

        timer = threading.Timer(self.query_timeout_s, stop)
        timer.daemon = True
        timer.start()
        try:
            yield
        except (duckdb.InterruptException, StoreError) as exc:
            if expired.is_set():
                raise QueryTimeout(
                    f"the query took longer than {self.query_timeout_s:g} s and was stopped"
                ) from exc
            raise
        finally:
            timer.cancel()

    def read(self, work: Callable[[EventStore], T]) -> T:
        """Run ``work`` on a store view inside one read transaction."""
        cursor = self._cursor()
        view = CursorStore(self._store, cursor, read_only=True)
        try:
            with self._guarded(cursor):
                cursor.execute("BEGIN TRANSACTION")
                try:
                    return work(view)
                finally:
                    try:
                        cursor.execute("ROLLBACK")
                    except duckdb.Error:
                        pass
        finally:
            cursor.close()

    def write(self, work: Callable[[EventStore], T]) -> T:
        """Run ``work`` on the writable store view, one writer at a time."""
        if self.read_only:
            raise ReadOnlyError(f"{self.path}: the event store is served read-only")
        with self._write_lock:
            cursor = self._cursor()
            try:
                return work(CursorStore(self._store, cursor, read_only=False))
            finally:
                cursor.close()
