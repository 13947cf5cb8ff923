"""The rig the trust tests drive: a sandbox, a gate in front of it, a console, a heartbeat.

Everything is in-process (httpx.ASGITransport): no port, no network. The client gets a short
timeout and a fake `sleep` (back-off and `Retry-After` are recorded, never waited for), so a
fault that would keep a real console busy for minutes takes a second here.

`Gate` is an ASGI wrapper between the client and the sandbox for what the sandbox's own fault
controls cannot do: a server that stops answering (connection refused) after N requests, a key
that may read but not write (403), and a recorder of create responses (the only place the
sandbox ever sends a minted value), so the secrets test knows what to look for.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from textual.widgets import Static

from orgtui.core.clock import FrozenClock
from orgtui.sandbox.errors import error_body
from tests import pilot_support

FROZEN_NOW = 1795012200.0  # tests/conftest.py: Wednesday 2026-11-18 14:30:00 UTC
PROFILE = "demo"


# ---------------------------------------------------------------------- client plumbing


class FakeSleep:
    """An `asyncio.sleep` stand-in: records each delay, yields once, never waits."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(float(seconds))
        await asyncio.sleep(0)


Forbid = Callable[[str, str], bool]


class Gate:
    """ASGI middleware in front of the sandbox app (see the module docstring)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.state = app.state
        self.requests = 0
        self.dead = False
        self.die_after: int | None = None  # become dead once this many requests went through
        self.forbid: Forbid | None = None  # (method, path) -> answer 403
        self.lose_create: str | None = None  # path suffix: apply the next POST, drop its answer
        self.lost = 0
        self.minted: list[str] = []  # every secret value a create response carried

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope.get("path", "").startswith("/v1"):
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        if self.die_after is not None and self.requests >= self.die_after:
            self.dead, self.die_after = True, None
        if self.dead:
            # Raised from the transport before anything is sent: the client treats it as
            # "cannot connect" (nothing reached the server), like a refused TCP connection.
            raise httpx.ConnectError("connection refused (trust test: server down)")
        self.requests += 1
        if self.forbid is not None and self.forbid(method, path):
            body = error_body(
                "You have insufficient permissions for this operation. Missing scopes: "
                "api.management.write (trust test)",
                "invalid_request_error",
                None,
                "insufficient_permissions",
            )
            await _send_json(send, 403, body)
            return
        if method == "POST" and self.lose_create and path.endswith(self.lose_create):
            self.lose_create = None
            self.lost += 1
            await self.app(scope, receive, self._recording(_swallow))
            raise ConnectionResetError("trust test: connection dropped after the create")
        if method == "POST":
            send = self._recording(send)
        await self.app(scope, receive, send)

    def _recording(self, send: Any) -> Any:
        chunks: list[bytes] = []

        async def record(message: Any) -> None:
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    self._harvest(b"".join(chunks))
            await send(message)

        return record

    def _harvest(self, raw: bytes) -> None:
        try:
            data = json.loads(raw)
        except ValueError:
            return
        self.minted.extend(_secret_values(data))


async def _swallow(message: Any) -> None:
    return None


async def _send_json(send: Any, status: int, body: dict[str, Any]) -> None:
    raw = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(raw)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": raw})


def _secret_values(data: Any) -> list[str]:
    """Every `"value": "sk-..."` in a JSON document (top level or nested, e.g. `api_key`)."""
    found: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "value" and isinstance(value, str) and value.startswith("sk-"):
                found.append(value)
            else:
                found.extend(_secret_values(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(_secret_values(item))
    return found


# ---------------------------------------------------------------------- the rig


@dataclass
class Rig:
    app: Any  # OrgTuiApp
    sandbox: Any  # orgtui.sandbox.Sandbox
    gate: Gate
    sleep: FakeSleep
    clock: FrozenClock
    hostile: Any = None  # HostileOrg when built with hostile=True
    notes: list[str] = field(default_factory=list)  # every notification's title + message
    syncs: int = 0  # refreshes finished (full or partial)

    @property
    def store(self) -> Any:
        return self.sandbox.store

    def accounts_named(self, name: str) -> list[dict[str, Any]]:
        return self.store.query(
            "SELECT id FROM service_accounts WHERE name = ? AND deleted_at IS NULL", (name,)
        )


def build_rig(
    *,
    timeout: float = 0.5,
    max_retries: int = 2,
    hostile: bool = False,
    read_only: bool = False,
    profile_updates: dict[str, Any] | None = None,
    size_hint: str = "",
) -> Rig:
    """A console over a fresh sandbox (seed 1, frozen clock) through a `Gate`."""
    from orgtui.api.client import AdminClient
    from orgtui.config import demo_profile
    from orgtui.connect import Connection
    from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app
    from orgtui.sandbox.hostile import make_hostile
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    sandbox_app = create_app(None, seed=1, clock=clock)
    sandbox = sandbox_app.state.sandbox
    org = make_hostile(sandbox.store) if hostile else None
    gate = Gate(sandbox_app)
    sleep = FakeSleep()
    profile = demo_profile()
    updates = dict(profile_updates or {})
    if hostile:
        from orgtui.sandbox.hostile import HOSTILE_ORG_NAME

        updates.setdefault("org_name", HOSTILE_ORG_NAME)
    if updates:
        # replace() skips validation on purpose: tests may want a 1 s periodic refresh.
        profile = profile.replace(**updates)
    client = AdminClient(
        profile.base_url,
        SANDBOX_ADMIN_KEY,
        transport=httpx.ASGITransport(app=gate),
        timeout=timeout,
        max_retries=max_retries,
        requests_per_minute=None,
        sleep=sleep,
    )
    conn = Connection(profile=profile, client=client, sandbox=sandbox, read_only=read_only)
    app = OrgTuiApp(conn, clock=clock)
    rig = Rig(app=app, sandbox=sandbox, gate=gate, sleep=sleep, clock=clock, hostile=org)
    _record_notifications(rig)
    _count_syncs(rig)
    return rig


def _count_syncs(rig: Rig) -> None:
    app = rig.app
    original = app._run_sync

    async def run_sync(*args: Any, **kw: Any) -> Any:
        try:
            return await original(*args, **kw)
        finally:
            rig.syncs += 1

    app._run_sync = run_sync


async def refresh(pilot: Any, rig: Rig, key: str = "r", timeout: float = 60.0) -> None:
    """Press a refresh key and wait until that refresh has finished."""
    before = rig.syncs
    await pilot.press(key)
    assert await until(pilot, lambda: rig.syncs > before, timeout), f"{key} never finished"
    await synced(pilot, timeout)


def _record_notifications(rig: Rig) -> None:
    app = rig.app
    original = app.notify

    def notify(message: str, *args: Any, **kw: Any) -> None:
        rig.notes.append(f"{kw.get('title', '')}: {message}")
        original(message, *args, **kw)

    app.notify = notify


# ---------------------------------------------------------------------- waiting


class Heartbeat:
    """A timer on the app's own event loop: if it stops counting, the console froze."""

    def __init__(self, app: Any, interval: float = 0.02) -> None:
        self.ticks = 0
        self.timer = app.set_interval(interval, self._tick, name="trust-heartbeat")

    def _tick(self) -> None:
        self.ticks += 1

    async def beats(self, pilot: Any, count: int = 3, timeout: float = 20.0) -> int:
        """Wait for `count` more ticks; returns how many came (the caller asserts)."""
        start = self.ticks
        await until(pilot, lambda: self.ticks >= start + count, timeout)
        return self.ticks - start


async def until(pilot: Any, condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Until `condition()` holds (`pilot_support.wait_until`: a wait that runs out fails,
    naming the condition); True."""
    await pilot_support.wait_until(pilot, condition)
    return True


async def settle(pilot: Any, rounds: int = 2) -> None:
    await pilot_support.wait_idle(pilot)


async def synced(pilot: Any, timeout: float = 30.0) -> None:
    """Every refresh finished and the console idle."""
    await pilot_support.wait_idle(pilot, what="the refreshes to finish")


async def wait_for_screen(pilot: Any, kind: type, timeout: float = 20.0) -> Any:
    return await pilot_support.wait_for_screen(pilot, kind)


def project_id(app: Any, name: str) -> str:
    for view in app.session.snapshot.projects.values():
        if view.project.name == name:
            return str(view.id)
    raise LookupError(name)


async def goto_project(pilot: Any, pid: str, *, focus: bool = True) -> None:
    app = pilot.app
    assert app.main_screen_goto(app.session.profile.name, pid), pid
    await settle(pilot)
    if focus:
        await pilot.press("enter")
        await settle(pilot)


def text_of(widget: Any) -> str:
    if isinstance(widget, Static):
        return str(widget.render())
    return str(getattr(widget, "renderable", widget))


def part_note(app: Any, tab: str = "tab-keys") -> str:
    """The freshness note above a project tab's list ('' when hidden)."""
    from orgtui.ui.widgets.detail import PartNote

    pane = app.screen.query_one(f"#{tab}-pane")
    note = pane.query_one(PartNote)
    return text_of(note) if note.has_class("-shown") else ""


def row_keys(app: Any, table_id: str = "#tab-keys-table") -> list[str]:
    return [row.key for row in app.screen.query_one(table_id).rows]


def header_text(app: Any) -> str:
    from orgtui.ui.widgets.header import ConsoleHeader, freshness

    state = app.screen.query_one(ConsoleHeader).state
    text, _ = freshness(state, app.clock.now())
    return text


_WS = re.compile(r"\s+")


def flat(text: str) -> str:
    return _WS.sub(" ", text).strip()


Step = Callable[[Any], Awaitable[None]]
