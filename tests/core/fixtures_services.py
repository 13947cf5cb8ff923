"""Helpers for the service tests (imported explicitly; the core conftest owns the fixtures).

The services run against the sandbox in-process. `LosingTransport` lets a request reach the
sandbox and be fully processed, then loses the response (a read timeout): exactly the case
where a create's outcome is unknown and must be reconciled, never re-sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

import orgtui.core.services  # noqa: F401  (registers the handlers)
from orgtui.api.client import AdminClient
from orgtui.config import Profile
from orgtui.core.actions import ActionRegistry
from orgtui.core.cache import Cache
from orgtui.core.clock import FrozenClock
from orgtui.core.session import Session
from orgtui.core.sync import Syncer
from orgtui.sandbox import SANDBOX_ADMIN_KEY, Sandbox, create_app

T0 = 1_790_000_000.0


class LosingTransport(httpx.AsyncBaseTransport):
    """Forwards to the sandbox; for requests `lose(request)` selects, drops the response."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.lose: Callable[[httpx.Request], bool] | None = None
        self.lost: list[tuple[str, str]] = []
        self.sent: list[tuple[str, str]] = []
        self.fail_reads = False
        # Requests `never_arrives(request)` selects time out without reaching the sandbox.
        self.never_arrives: Callable[[httpx.Request], bool] | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.method, request.url.path))
        if self.fail_reads and request.method == "GET":
            raise httpx.ConnectError("network unreachable (test)", request=request)
        if self.never_arrives is not None and self.never_arrives(request):
            raise httpx.ReadTimeout("request lost (test)", request=request)
        response = await self.inner.handle_async_request(request)
        if self.lose is not None and self.lose(request):
            await response.aread()
            self.lost.append((request.method, request.url.path))
            raise httpx.ReadTimeout("response lost (test)", request=request)
        return response

    def count(self, method: str, suffix: str) -> int:
        return sum(1 for m, p in self.sent if m == method and p.endswith(suffix))


def lose_posts_to(suffix: str, times: int = 1) -> Callable[[httpx.Request], bool]:
    left = [times]

    def pick(request: httpx.Request) -> bool:
        if request.method == "POST" and request.url.path.endswith(suffix) and left[0] > 0:
            left[0] -= 1
            return True
        return False

    return pick


async def _no_sleep(_seconds: float) -> None:
    await asyncio.sleep(0)


class World:
    """A sandbox, a client on a losing transport, and sessions on them (restartable)."""

    def __init__(self, *, demo: bool = True) -> None:
        self.clock = FrozenClock(T0)
        self.app = create_app(seed=1, clock=self.clock, demo=demo)
        self.sb: Sandbox = self.app.state.sandbox
        self.transport = LosingTransport(httpx.ASGITransport(app=self.app))
        self.client = AdminClient(
            "http://sandbox/v1",
            SANDBOX_ADMIN_KEY,
            transport=self.transport,
            requests_per_minute=None,
            max_retries=1,
            sleep=_no_sleep,
        )
        self._caches: list[Cache] = []

    def session(self, name: str = "test", *, read_only: bool = False) -> Session:
        cache = Cache.open(name)
        self._caches.append(cache)
        profile = Profile(name=name, org_name="Acme Robotics (sandbox)", read_only=read_only)
        return Session(profile, self.client, cache, self.clock, ActionRegistry())

    async def loaded(self, name: str = "test", *, read_only: bool = False) -> Session:
        session = self.session(name, read_only=read_only)
        result = await Syncer(session).refresh_all()
        assert result.ok, result
        return session

    def close(self) -> None:
        for cache in self._caches:
            cache.close()

    # -- sandbox look-ups ------------------------------------------------------------------------

    def pid(self, name: str) -> str:
        return str(self.sb.store.scalar("SELECT id FROM projects WHERE name = ?", (name,)))

    def uid(self, first_name: str) -> str:
        return str(
            self.sb.store.scalar("SELECT id FROM users WHERE name LIKE ?", (first_name + " %",))
        )

    def rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        return self.sb.store.query(sql, params)

    def live_accounts(self, pid: str, name: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM service_accounts WHERE project_id = ? AND deleted_at IS NULL"
        params: tuple[Any, ...] = (pid,)
        if name is not None:
            sql += " AND name = ?"
            params += (name,)
        return self.rows(sql + " ORDER BY seq", params)

    def live_keys(self, pid: str) -> list[dict[str, Any]]:
        return self.rows(
            "SELECT * FROM api_keys WHERE project_id = ? AND deleted_at IS NULL ORDER BY seq",
            (pid,),
        )

    def key_id(self, pid: str, name: str) -> str:
        return str(
            self.sb.store.scalar(
                "SELECT id FROM api_keys WHERE project_id = ? AND name = ? AND deleted_at IS NULL",
                (pid, name),
            )
        )

    def sa_id(self, pid: str, name: str) -> str:
        return str(self.live_accounts(pid, name)[0]["id"])

    def state(self) -> dict[str, list[dict[str, Any]]]:
        """Everything the sandbox holds (to assert that nothing changed).

        The admin key's `last_used_at` moves with every request, so it is left out.
        """
        tables = [
            "projects",
            "users",
            "project_users",
            "service_accounts",
            "api_keys",
            "invites",
            "admin_keys",
            "spend_limits",
            "spend_alerts",
        ]
        state = {t: self.rows(f"SELECT * FROM {t} ORDER BY rowid") for t in tables}
        for row in state["admin_keys"]:
            row.pop("last_used_at", None)
        return state
