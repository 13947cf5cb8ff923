"""Helpers for the spend UI tests (no tests here): a request-counting connection, an app on
the spend screen, and the figures computed independently of the console.

The app clock and the sandbox clock are one FrozenClock at the `frozen_now` value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

import orgtui.ui.features.spend.actions  # noqa: F401  (registers the spend UI handlers)
from orgtui.core.clock import FrozenClock
from tests import pilot_support

FROZEN_NOW = 1795012200.0  # tests/conftest.py `frozen_now`: Wed 2026-11-18 14:30 UTC


class CountingTransport(httpx.AsyncBaseTransport):
    """The sandbox in-process, with every request recorded (method, path, query)."""

    def __init__(self, sandbox_app: Any) -> None:
        self.inner = httpx.ASGITransport(app=sandbox_app)
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self.inner.handle_async_request(request)

    def count(self, path_part: str = "") -> int:
        return sum(1 for r in self.requests if path_part in r.url.path)

    def matching(self, path_part: str) -> list[httpx.Request]:
        return [r for r in self.requests if path_part in r.url.path]


def counting_connection(
    sandbox_app: Any, *, read_only: bool = False, profile: Any = None
) -> tuple[Any, CountingTransport]:
    from orgtui.api.client import AdminClient
    from orgtui.config import demo_profile
    from orgtui.connect import Connection
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    profile = profile or demo_profile()
    transport = CountingTransport(sandbox_app)
    client = AdminClient(
        profile.base_url,
        SANDBOX_ADMIN_KEY,
        transport=transport,
        max_retries=0,
        requests_per_minute=60000,
    )
    conn = Connection(
        profile=profile, client=client, sandbox=sandbox_app.state.sandbox, read_only=read_only
    )
    return conn, transport


def spend_app(
    sandbox_app: Any, clock: FrozenClock, *, start: str = "spend", read_only: bool = False
) -> tuple[Any, CountingTransport]:
    from orgtui.ui.app import OrgTuiApp

    conn, transport = counting_connection(sandbox_app, read_only=read_only)
    return OrgTuiApp(conn, start=start, clock=clock), transport


async def settle(pilot: Any, rounds: int = 4) -> None:
    """Until the console is idle (`pilot_support.wait_idle`; an action waiting on a dialog
    does not count), cursors frozen."""
    await pilot_support.wait_idle(pilot)
    pilot_support.freeze_cursors(pilot.app)


async def wait_for(pilot: Any, condition: Callable[[], bool], rounds: int = 40) -> None:
    await pilot_support.wait_until(pilot, condition)
    await settle(pilot)


async def wait_for_screen(pilot: Any, kind: type) -> Any:
    return await pilot_support.wait_for_screen(pilot, kind)


async def independent_summary(sandbox_app: Any, now: float) -> Any:
    """`summarise` of the sandbox's data through a fresh client and session (no UI at all)."""
    from orgtui.config import demo_profile
    from orgtui.connect import connection_for_app
    from orgtui.core.session import Session
    from orgtui.core.spend import fetch_spend_data, summarise
    from orgtui.core.sync import Syncer

    conn = connection_for_app(sandbox_app, demo_profile(), requests_per_minute=60000)
    session = Session(conn.profile, conn.client, None, FrozenClock(now))
    await Syncer(session).refresh_all()
    data = await fetch_spend_data(conn.client, now)
    await conn.client.aclose()
    return summarise(session.snapshot, data, now)


def project_id(app: Any, name: str) -> str:
    for view in app.session.snapshot.projects.values():
        if view.project.name == name:
            return str(view.id)
    raise LookupError(name)


def limit_row(sandbox: Any, scope: str) -> Any:
    """The sandbox's hard limit row of "org" or a project id (None when there is none)."""
    return sandbox.store.one("SELECT * FROM spend_limits WHERE scope = ?", (scope,))


def alert_rows(sandbox: Any, scope: str) -> list[Any]:
    return list(
        sandbox.store.query(
            "SELECT * FROM spend_alerts WHERE scope = ? AND deleted_at IS NULL"
            " ORDER BY threshold_amount",
            (scope,),
        )
    )


def plain(widget: Any) -> str:
    """The text a Static shows."""
    from rich.text import Text

    content = widget.render()
    return content.plain if isinstance(content, Text) else str(content)


def table_text(table: Any) -> list[str]:
    """Each row of a VirtualTable as ' | '-joined cell text."""
    out = []
    for row in table.rows:
        cells = [c.plain if hasattr(c, "plain") else str(c) for c in row.cells]
        out.append(" | ".join(cells))
    return out
