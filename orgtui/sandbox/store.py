"""SQLite storage of the sandbox organisation.

One connection (``check_same_thread=False``) guarded by one lock: the ASGI handlers are async but
every statement is short, so serialising them is simpler than a pool and never deadlocks.

Tests may use the store directly::

    sb.store.query("select id, name from projects")      # list of dicts
    sb.store.execute("update api_keys set last_used_at = ? where id = ?", (t, kid))
    sb.store.add_user("eve@example.com", role="reader")  # an org member without an invite
    sb.store.accept_invite(invite_id)                     # as if the invitee clicked the link
    sb.store.set_fields("projects", pid, name="x")        # poke any column by id

Soft deletion (``deleted_at``) keeps rows so that paging cursors stay resolvable and the traffic
engine still sees deleted keys' history. Secret key values are never stored: only the redacted
form and a SHA-256 hash (to recognise the admin key on later requests).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from orgtui.sandbox.schema import SCHEMA_SQL, SCHEMA_VERSION
from orgtui.sandbox.schema_security import SECURITY_SCHEMA_SQL

_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# Keys whose last use is older than this stop producing traffic at that moment.
DORMANT_AFTER_S = 2 * 86400


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def redact(value: str) -> str:
    """`sk-svcacct-...wxyz`: the family prefix and the last four characters, as the API shows."""
    for prefix in ("sk-svcacct-", "sk-admin-", "sk-proj-"):
        if value.startswith(prefix):
            return f"{prefix[:-1]}...{value[-4:]}"
    return f"{value[:3]}...{value[-4:]}"


def _b62(digest: bytes, length: int) -> str:
    n = int.from_bytes(digest, "big")
    out = []
    for _ in range(length):
        n, r = divmod(n, 62)
        out.append(_B62[r])
    return "".join(out)


class Store:
    def __init__(
        self, db_path: str | Path | None, clock: Callable[[], float], seed: int = 1
    ) -> None:
        self.path = str(db_path) if db_path is not None else ":memory:"
        if db_path is not None:
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.lock = threading.RLock()
        self.clock = clock
        self._in_tx = False
        with self.lock:
            self.conn.execute("PRAGMA foreign_keys = OFF")
            if db_path is not None:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.executescript(SCHEMA_SQL)
            self.conn.executescript(SECURITY_SCHEMA_SQL)
        self.is_new = self.meta_get("schema_version") is None
        if self.is_new:
            self.meta_set("schema_version", str(SCHEMA_VERSION))
            self.meta_set("seed", str(seed))
            self.meta_set("id_counter", "0")
        self.seed = int(self.meta_get("seed") or seed)

    # -- primitives -----------------------------------------------------------------------------

    def now(self) -> int:
        return int(self.clock())

    def query(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(r) for r in self.conn.execute(sql, params).fetchall()]

    def one(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> dict[str, Any] | None:
        with self.lock:
            row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.lock:
            row = self.conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> int:
        with self.lock:
            return self.conn.execute(sql, params).rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.lock:
            self.conn.executemany(sql, rows)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """All-or-nothing: a mutation and its audit entry commit together."""
        with self.lock:
            if self._in_tx:
                yield self.conn
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._in_tx = True
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._in_tx = False

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def meta_get(self, key: str) -> str | None:
        row = self.one("SELECT v FROM meta WHERE k = ?", (key,))
        return None if row is None else row["v"]

    def meta_set(self, key: str, value: str) -> None:
        self.execute("INSERT OR REPLACE INTO meta (k, v) VALUES (?, ?)", (key, value))

    # -- ids ------------------------------------------------------------------------------------

    def new_ids(self, prefix: str, n: int, length: int = 24) -> list[str]:
        """Deterministic from (seed, counter): a fresh DB with the same seed gets the same ids,
        and the persisted counter keeps ids unique across restarts."""
        with self.lock:
            start = int(self.meta_get("id_counter") or 0)
            self.meta_set("id_counter", str(start + n))
        seed = self.seed
        return [
            prefix
            + _b62(
                hashlib.blake2b(f"{seed}:{i}:{prefix}".encode(), digest_size=20).digest(), length
            )
            for i in range(start, start + n)
        ]

    def new_id(self, prefix: str, length: int = 24) -> str:
        return self.new_ids(prefix, 1, length)[0]

    # -- lookups used by several route modules --------------------------------------------------

    def org_name(self) -> str:
        return self.meta_get("org_name") or "Sandbox organisation"

    def default_project_id(self) -> str:
        return str(self.scalar("SELECT id FROM projects WHERE is_default = 1"))

    def project_ids(self) -> list[str]:
        return [r["id"] for r in self.query("SELECT id FROM projects ORDER BY seq")]

    def get_project(self, pid: str) -> dict[str, Any] | None:
        return self.one("SELECT * FROM projects WHERE id = ?", (pid,))

    def get_user(self, uid: str) -> dict[str, Any] | None:
        return self.one("SELECT * FROM users WHERE id = ? AND deleted_at IS NULL", (uid,))

    def user_by_email(self, email: str) -> dict[str, Any] | None:
        return self.one(
            "SELECT * FROM users WHERE lower(email) = lower(?) AND deleted_at IS NULL", (email,)
        )

    def counts(self) -> dict[str, int]:
        tables = {
            "projects": "SELECT count(*) FROM projects",
            "archived_projects": "SELECT count(*) FROM projects WHERE archived_at IS NOT NULL",
            "users": "SELECT count(*) FROM users WHERE deleted_at IS NULL",
            "invites": "SELECT count(*) FROM invites WHERE deleted_at IS NULL",
            "service_accounts": "SELECT count(*) FROM service_accounts WHERE deleted_at IS NULL",
            "api_keys": "SELECT count(*) FROM api_keys WHERE deleted_at IS NULL",
            "admin_api_keys": "SELECT count(*) FROM admin_keys WHERE deleted_at IS NULL",
            "spend_limits": "SELECT count(*) FROM spend_limits",
            "spend_alerts": "SELECT count(*) FROM spend_alerts WHERE deleted_at IS NULL",
            "audit_logs": "SELECT count(*) FROM audit_logs",
        }
        return {k: int(self.scalar(sql)) for k, sql in tables.items()}

    # -- interface with the traffic engine ------------------------------------------------------

    def traffic_sources(self) -> list[dict[str, Any]]:
        """One dict per project API key ever created, deleted ones included, in creation order."""
        rows = self.query(
            "SELECT project_id, id, owner_user_id, created_at, deleted_at, weight, models,"
            " active_until FROM api_keys ORDER BY seq"
        )
        return [
            {
                "project_id": r["project_id"],
                "api_key_id": r["id"],
                "user_id": r["owner_user_id"],
                "created_at": r["created_at"],
                "deleted_at": r["deleted_at"],
                "weight": float(r["weight"] or 0.0),
                "models": json.loads(r["models"] or "[]"),
                "active_until": r["active_until"],
            }
            for r in rows
        ]

    # -- helpers for tests and the demo ---------------------------------------------------------

    def set_fields(self, table: str, row_id: str, **fields: Any) -> None:
        if not fields or not table.isidentifier() or not all(k.isidentifier() for k in fields):
            raise ValueError("bad table or field names")
        cols = ", ".join(f"{k} = ?" for k in fields)
        self.execute(f"UPDATE {table} SET {cols} WHERE id = ?", (*fields.values(), row_id))

    def add_user(
        self,
        email: str,
        name: str | None = None,
        role: str = "reader",
        *,
        projects: Sequence[tuple[str, str]] | None = None,
    ) -> dict[str, Any]:
        """An org member (no invite, no audit entry); joins the default project as member unless
        `projects` [(project_id, role), ...] says otherwise."""
        uid = self.new_id("user_", 24)
        now = self.now()
        with self.tx() as c:
            c.execute(
                "INSERT INTO users (id, name, email, role, added_at) VALUES (?, ?, ?, ?, ?)",
                (uid, name or email.split("@")[0], email, role, now),
            )
            grants = projects if projects is not None else [(self.default_project_id(), "member")]
            for pid, prole in grants:
                c.execute(
                    "INSERT OR REPLACE INTO project_users (project_id, user_id, role, added_at)"
                    " VALUES (?, ?, ?, ?)",
                    (pid, uid, prole, now),
                )
        user = self.get_user(uid)
        assert user is not None
        return user

    def accept_invite(self, invite_id: str) -> dict[str, Any]:
        """Turn a pending invite into a member, as the invitee accepting it would."""
        inv = self.one("SELECT * FROM invites WHERE id = ? AND deleted_at IS NULL", (invite_id,))
        if inv is None or inv["status"] != "pending":
            raise ValueError(f"invite {invite_id} is not pending")
        grants = [(g["id"], g["role"]) for g in json.loads(inv["projects"])]
        user = self.add_user(inv["email"], role=inv["role"], projects=grants)
        self.execute(
            "UPDATE invites SET status = 'accepted', accepted_at = ? WHERE id = ?",
            (self.now(), invite_id),
        )
        return user
