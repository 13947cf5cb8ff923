"""The cache's SQLite file: created private, its schema checked, migrated or rebuilt, and a
damaged one moved aside. What goes in it is `cache.py`'s business."""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "SCHEMA_VERSION",
    "connect",
    "damage_notice",
    "is_damage",
    "move_aside",
    "prepare",
]

log = logging.getLogger("orgtui.core.cache")

SCHEMA_VERSION = 2
_APP_ID = "orgtui-cache"
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26

# Schema version -> the statements that bring it to SCHEMA_VERSION. Version 2 stores list
# counts beside each part (NULL: counted from the JSON) and puts the JSON last: SQLite reads a
# row's columns in order, and a large blob before them meant walking its overflow pages.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "CREATE TABLE parts_v2 (part_id TEXT PRIMARY KEY, pid TEXT, fetched_at REAL, "
        "error TEXT, counts TEXT, data BLOB NOT NULL)",
        "INSERT INTO parts_v2 SELECT part_id, pid, fetched_at, error, NULL, data FROM parts",
        "DROP TABLE parts",
        "ALTER TABLE parts_v2 RENAME TO parts",
    ),
    SCHEMA_VERSION: (),
}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE parts (
    part_id TEXT PRIMARY KEY,
    pid TEXT,
    fetched_at REAL,
    error TEXT,
    counts TEXT,
    data BLOB NOT NULL
);
"""


def is_damage(exc: BaseException) -> bool:
    if isinstance(exc, (ValueError, UnicodeDecodeError)):
        return True
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    # Misuse (closed connection, ...) is a bug or a shutdown, not damage to the file.
    return type(exc) is sqlite3.DatabaseError


def _create_private(path: Path) -> None:
    """Create (or tighten) the file as 0600 before SQLite opens it, whatever the umask."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        log.warning("cache file %s is mode %o, not 0600 (filesystem ignores chmod?)", path, mode)


def connect(path: Path) -> sqlite3.Connection:
    _create_private(path)
    # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE ... COMMIT).
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=5.0)


def prepare(conn: sqlite3.Connection, path: Path | None) -> None:
    """Make `conn` hold the current schema: kept, migrated in place, or rebuilt empty."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    app = None
    if "meta" in tables and version in _MIGRATIONS:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='app'").fetchone()
            app = row[0] if row else None
        except sqlite3.OperationalError:  # someone else's "meta" table: not ours, rebuild
            app = None
    if app == _APP_ID and version in _MIGRATIONS and version != SCHEMA_VERSION:
        version = _migrate(conn, path, version)
    if version != SCHEMA_VERSION or app != _APP_ID or not {"meta", "parts"} <= tables:
        if tables or version:
            log.info("cache %s: schema %s is not %s, rebuilding", path, version, SCHEMA_VERSION)
        _rebuild(conn, tables)
    if path is not None:
        conn.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a crash can lose the last commit, never consistency.
        conn.execute("PRAGMA synchronous=NORMAL")


def _migrate(conn: sqlite3.Connection, path: Path | None, version: int) -> int:
    """Bring an older cache of ours up to date in place (what it holds stays valid)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _MIGRATIONS[version]:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        log.info("cache %s: cannot migrate schema %s (%s)", path, version, exc)
        return version
    return SCHEMA_VERSION


def _rebuild(conn: sqlite3.Connection, tables: Iterable[str]) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for table in tables:
            if not table.startswith("sqlite_"):
                conn.execute(f'DROP TABLE IF EXISTS "{table}"')
        for statement in _SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT INTO meta VALUES ('app', ?)", (_APP_ID,))
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def move_aside(path: Path) -> Path:
    """Move a damaged file (and its WAL) out of the way; returns where it went."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    if path.exists():
        os.replace(path, aside)
    # A stale WAL would be replayed into the new file: it goes with the damaged one.
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    log.warning("cache %s was damaged; moved to %s", path, aside)
    return aside


def damage_notice(aside: Path) -> str:
    return f"The cache was damaged and has been rebuilt; the old file is at {aside}"
