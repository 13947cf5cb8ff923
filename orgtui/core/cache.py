"""The local cache: the last snapshot of each profile's organisation, in one SQLite file.

Why it is shaped like this:

- One row per snapshot part (JSON of the list-shape models, with its list counts beside it),
  so a refresh of one part rewrites one row. Loading reads the organisation's parts and only
  the counts and freshness of each project part: a project part's JSON is read and parsed the
  first time it is used (`cache_reader`).
- Writes happen in one transaction (WAL journal): a process killed mid-write leaves the previous
  consistent state behind.
- The file is created 0600 before SQLite touches it; it holds organisation data, never a secret.
  Parts are serialised through the list-shape models (a create response's `value`/`api_key`
  fields are not part of them), and every row is scanned for anything that looks like an
  unredacted key before it is written: such a part is refused, not stored.
- A damaged file (garbage, truncated, undecodable rows) is moved aside and rebuilt, and the
  cache says so in `notice`; an older schema of ours is migrated in place, an unknown one is
  silently rebuilt (`cache_file`).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgtui import paths
from orgtui.core.cache_codec import (
    PartCounts,
    decode_part,
    encode_part,
    find_secret,
    gc_paused,
    list_counts,
    parse_quietly,
)
from orgtui.core.cache_file import (
    SCHEMA_VERSION,
    connect,
    damage_notice,
    is_damage,
    move_aside,
    prepare,
)
from orgtui.core.cache_reader import LaterReads
from orgtui.core.cache_rows import ProjectRow, header_rows
from orgtui.core.snapshot import (
    PROJECT_PART_FIELDS,
    PROJECTS,
    LazyPart,
    OrgSnapshot,
    PartStatus,
    ProjectView,
    split_part,
)

if TYPE_CHECKING:
    from orgtui.api.models import Project

__all__ = ["SCHEMA_VERSION", "Cache", "CacheError", "find_secret"]

log = logging.getLogger(__name__)


class CacheError(Exception):
    """The cache could not be used (never raised for damage: that is repaired instead)."""


class Cache:
    """One profile's cache file. Thread-safe; every method is quick and synchronous."""

    def __init__(self, path: Path | None, profile: str, conn: sqlite3.Connection) -> None:
        self.path = path  # None: a private in-memory cache (the file could not be used)
        self.profile = profile
        self.notice: str | None = None
        self.refused: dict[str, str] = {}  # part id -> why it was not stored
        self._conn = conn
        self._lock = threading.RLock()
        self._later = LaterReads(path) if path is not None else None

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, profile: Any, *, path: Path | str | None = None) -> Cache:
        """Open (creating or repairing as needed) the cache of `profile` (a name or a Profile)."""
        name = profile if isinstance(profile, str) else str(profile.name)
        target = Path(path) if path is not None else paths.cache_file(name)
        notice = None
        for attempt in (1, 2):
            conn: sqlite3.Connection | None = None
            try:
                paths.ensure_private_dir(target.parent)
                conn = connect(target)
                cache = cls(target, name, conn)
                prepare(conn, target)
                cache.notice = notice
                return cache
            except Exception as exc:  # noqa: BLE001 - damage is repaired, anything else degrades
                if conn is not None:
                    with contextlib.suppress(sqlite3.Error):
                        conn.close()
                if attempt == 2 or not is_damage(exc):
                    return cls._fallback(name, target, exc)
                notice = damage_notice(move_aside(target))
        raise AssertionError("unreachable")

    @classmethod
    def _fallback(cls, name: str, target: Path, exc: BaseException) -> Cache:
        log.warning("cache %s unusable (%s); using memory only", target, exc)
        cache = cls(
            None, name, sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        )
        prepare(cache._conn, None)
        cache.notice = (
            f"The cache could not be opened ({type(exc).__name__}: {exc}); working without it"
        )
        return cache

    def _repair(self) -> None:
        """Damage found after opening: move the file aside and start again, with a notice."""
        if self.path is None:
            raise CacheError("in-memory cache damaged")
        with contextlib.suppress(sqlite3.Error):
            self._conn.close()
        if self._later is not None:
            self._later.forget()
        aside = move_aside(self.path)
        self._conn = connect(self.path)
        prepare(self._conn, self.path)
        self.notice = damage_notice(aside)

    # ------------------------------------------------------------------ reading

    def load(self, *, headers_only: bool = False) -> OrgSnapshot | None:
        """The cached snapshot, or None when nothing is cached (or the file was damaged).

        `headers_only`: for the first frame, without pydantic: the projects as plain
        `ProjectRow`s with their parts' counts, and no organisation-level part (they read as
        not fetched). Never save such a snapshot: `load()` it again for the models.
        """
        with self._lock, gc_paused():
            try:
                return self._load(headers_only)
            except Exception as exc:
                if not is_damage(exc):
                    raise
                log.warning("cache %s unreadable (%s)", self.path, exc)
                self._repair()
                return None

    def _load(self, headers_only: bool) -> OrgSnapshot | None:
        conn = self._conn
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        later = self._later
        # A project part's JSON stays in the file until the part is first read (LaterReads),
        # unless the cache lives in memory.
        rows = conn.execute(
            "SELECT part_id, pid, fetched_at, error, counts, "
            "CASE WHEN pid IS NULL OR ? THEN data END, length(data) FROM parts",
            (later is None,),
        ).fetchall()
        if not rows:
            return None
        generation = later.generation if later is not None else 0
        statuses: dict[str, PartStatus] = {}
        project_statuses: list[tuple[str, str, PartStatus]] = []
        org_fields: dict[str, Any] = {}
        project_lazy: dict[str, dict[str, LazyPart]] = {}
        project_list: list[Project] | list[ProjectRow] = []
        for part_id, pid, fetched_at, error, counts, data, size in rows:
            status = None
            if fetched_at is not None or error is not None:
                status = PartStatus(fetched_at, error)
            if pid is None:
                if headers_only and part_id != PROJECTS:
                    continue
                if status is not None:
                    statuses[part_id] = status
                if part_id == PROJECTS:
                    project_list = (
                        header_rows(data) if headers_only else decode_part(part_id, data)[PROJECTS]
                    )
                else:
                    org_fields.update(decode_part(part_id, data))
                continue
            names = PROJECT_PART_FIELDS.get(part_id.rpartition(":")[2])
            if names is None:
                raise ValueError(f"unknown part id {part_id!r}")
            if status is not None:
                project_statuses.append((pid, part_id, status))
            # Read and parsed on first use: the first frame shows the tree and the organisation,
            # and reading 500 projects' parts (or one of 10,000 keys) would delay it.
            if data is not None:
                load = functools.partial(parse_quietly, part_id, data)
            else:
                load = functools.partial(_parse_later, later, generation, part_id, fetched_at, size)
            lazy = LazyPart(load, count=PartCounts(counts, data))
            fields = project_lazy.get(pid)
            if fields is None:
                fields = project_lazy[pid] = {}
            for name in names:
                fields[name] = lazy
        projects = {
            p.id: ProjectView(p, **project_lazy.get(p.id, {}))  # type: ignore[arg-type]
            for p in project_list
        }
        # Project parts of projects no longer listed (or of a list never fetched) are dropped.
        statuses.update(
            (part_id, status) for pid, part_id, status in project_statuses if pid in projects
        )
        return OrgSnapshot(
            profile=self.profile,
            org_name=meta.get("org_name") or self.profile,
            projects=projects,
            parts=statuses,
            **org_fields,
        )

    # ------------------------------------------------------------------ writing

    def save_parts(self, snapshot: OrgSnapshot, parts: Iterable[str]) -> None:
        """Store the listed parts of `snapshot` in one transaction (all or nothing)."""
        with self._lock:
            wanted = list(dict.fromkeys(parts))
            try:
                self._save(snapshot, wanted)
            except Exception as exc:
                if not is_damage(exc) or isinstance(exc, ValueError):
                    raise
                self._repair()
                # The new file starts empty: give it everything we know, not just the changes.
                self._save(snapshot, list(snapshot.all_part_ids()))

    def save(self, snapshot: OrgSnapshot) -> None:
        """Store the whole snapshot, replacing whatever was cached."""
        with self._lock:
            self.save_parts(snapshot, snapshot.all_part_ids())

    def _save(self, snapshot: OrgSnapshot, wanted: list[str]) -> None:
        upserts: list[tuple[str, str | None, float | None, str | None, str, bytes]] = []
        deletes: list[str] = []
        for part_id in wanted:
            pid, _ = split_part(part_id)
            data = snapshot.part_data(part_id)
            status = snapshot.parts.get(part_id)
            if data is None:
                deletes.append(part_id)
                continue
            blob, reason = encode_part(part_id, data)
            if blob is None:
                log.error("refusing to cache part %s: %s", part_id, reason)
                self.refused[part_id] = reason or "refused"
                deletes.append(part_id)
                continue
            self.refused.pop(part_id, None)
            fetched_at = status.fetched_at if status else None
            error = status.error if status else None
            upserts.append((part_id, pid, fetched_at, error, list_counts(data), blob))
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._write(snapshot, upserts, deletes, prune=PROJECTS in wanted)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _write(
        self,
        snapshot: OrgSnapshot,
        upserts: list[tuple[str, str | None, float | None, str | None, str, bytes]],
        deletes: list[str],
        *,
        prune: bool,
    ) -> None:
        conn = self._conn
        conn.executemany(
            "INSERT INTO parts (part_id, pid, fetched_at, error, counts, data) "
            "VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(part_id) DO UPDATE SET pid=excluded.pid, fetched_at=excluded.fetched_at, "
            "error=excluded.error, counts=excluded.counts, data=excluded.data",
            upserts,
        )
        conn.executemany("DELETE FROM parts WHERE part_id = ?", [(p,) for p in deletes])
        if prune:
            cached = {
                row[0]
                for row in conn.execute("SELECT DISTINCT pid FROM parts WHERE pid IS NOT NULL")
            }
            gone = [(pid,) for pid in cached - set(snapshot.projects)]
            conn.executemany("DELETE FROM parts WHERE pid = ?", gone)
        conn.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [("org_name", snapshot.org_name), ("profile", snapshot.profile)],
        )

    def clear(self) -> None:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("DELETE FROM parts")
            self._conn.execute("COMMIT")

    def close(self) -> None:
        if self._later is not None:
            self._later.close()
        with self._lock, contextlib.suppress(sqlite3.Error):
            self._conn.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Cache({self.profile!r}, path={str(self.path)!r})"


def _parse_later(
    later: LaterReads | None, generation: int, part_id: str, fetched_at: float | None, size: int
) -> dict[str, Any]:
    if later is None:
        return {}
    blob = later.read(generation, part_id, fetched_at, size)
    return {} if blob is None else parse_quietly(part_id, blob)
