"""Reads a cached project part's JSON when it is first needed, not when the cache is loaded.

500 projects are thousands of parts, and a project of 10,000 keys is megabytes of JSON:
reading them with the rest would delay the first frame, which shows only their counts (kept
beside them). The read uses its own connection (WAL: it never waits for the writer) and its
own lock, so a worker thread parsing a part never waits on the cache's write lock while
holding the parse lock.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

__all__ = ["LaterReads"]


class LaterReads:
    """Deferred reads from one cache file. A part rewritten since the load, or a file replaced
    by a repair, reads as None (the caller treats it as not fetched; a refresh fills it)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._closed = False
        self._generation = 0

    @property
    def generation(self) -> int:
        return self._generation

    def read(
        self, generation: int, part_id: str, fetched_at: float | None, size: int
    ) -> bytes | None:
        """The JSON of `part_id` as it was at the load of `generation`, else None."""
        with self._lock:
            if generation != self._generation:
                return None
            conn = self._conn or sqlite3.connect(
                f"{self._path.as_uri()}?mode=ro", uri=True, check_same_thread=False
            )
            try:
                row = conn.execute(
                    "SELECT data FROM parts WHERE part_id = ? AND fetched_at IS ? "
                    "AND length(data) = ?",
                    (part_id, fetched_at, size),
                ).fetchone()
            finally:
                if self._closed:  # a snapshot outlives its cache (a report): read and let go
                    conn.close()
                else:
                    self._conn = conn
        return row[0] if row is not None else None

    def forget(self) -> None:
        """What was loaded so far may no longer be read (the file was replaced)."""
        with self._lock:
            self._generation += 1
            self._drop()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._drop()

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None
