"""Helpers shared by the key tests: drive the console to a place, capture the clipboard."""

from __future__ import annotations

import base64
import re
from typing import Any

from snapshot_scenes import build_app, project_id_by_name, settle

import orgtui.ui.features.keys.actions  # noqa: F401  (registers the key handlers until features.py does)
from orgtui.ui.features.keys import copy_once
from orgtui.ui.features.keys.copy_once import ClipboardIO, CopyOnceScreen, SecretArea
from tests import pilot_support

__all__ = [
    "Terminal",
    "build_app",
    "dialog_value",
    "goto_project",
    "key_by_name",
    "project_id_by_name",
    "settle",
    "wait_for_screen",
]

_OSC52 = re.compile(r"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")


class Terminal:
    """Stands in for the terminal (what the dialog writes) and the native clipboard tools.

    With `native=True` a fake xclip "works" (the value reaches it on stdin, never in argv).
    """

    def __init__(self, env: dict[str, str] | None = None, *, native: bool = False) -> None:
        self.written: list[str] = []
        self.native_inputs: list[bytes] = []
        self.env = dict(env or {})
        self.native = native
        if native:
            self.env.setdefault("DISPLAY", ":0")

    def _run(self, argv: list[str], *, input: bytes, **kw: Any) -> None:
        self.native_inputs.append(input)

    def install(self, monkeypatch: Any) -> Terminal:
        io = ClipboardIO(
            writer_for=lambda app: self.written.append,
            env=self.env,
            runner=self._run,
            # No tmux binary here (tests of handing values to tmux bring their own fake).
            which=lambda name: f"/usr/bin/{name}" if self.native and name != "tmux" else None,
            use_native=self.native,
        )
        monkeypatch.setattr(copy_once, "clipboard_io", io)
        return self

    def copied(self) -> list[str]:
        out: list[str] = []
        for chunk in self.written:
            flat = re.sub(r"\x1bP(?:tmux;)?|\x1b\\", "", chunk.replace("\x1b\x1b", "\x1b"))
            out.extend(base64.b64decode(m).decode() for m in _OSC52.findall(flat))
        return out


async def wait_for_screen(pilot: Any, kind: type, rounds: int = 40) -> Any:
    """Until the top screen is a `kind` (the action runs in a worker) and idle."""
    return await pilot_support.wait_for_screen(pilot, kind)


async def choose(pilot: Any, screen: Any, set_id: str, button_id: str) -> None:
    """Press a radio button as a user would: after its set has mounted (on mount a set keeps
    the first of its pressed buttons, so pressing earlier could be undone)."""
    from textual.widgets import RadioButton, RadioSet

    radio_set = screen.query_one(set_id, RadioSet)
    for _ in range(100):
        if radio_set.pressed_button is not None:
            break
        await pilot.pause(0.02)
    screen.query_one(button_id, RadioButton).value = True
    await pilot.pause()


async def goto_project(pilot: Any, name: str) -> str:
    await settle(pilot)
    app = pilot.app
    pid = project_id_by_name(app, name)
    app.main_screen_goto(app.session.profile.name, pid)
    await settle(pilot)
    return pid


def dialog_value(screen: CopyOnceScreen) -> str:
    return screen.query_one(SecretArea).text


def key_by_name(app: Any, pid: str, name: str) -> Any:
    view = app.session.snapshot.project(pid)
    return next(k for k in view.get("api_keys") or () if k.name == name)


class DropCreate:
    """An ASGI wrapper that loses the answer to the first matching create POST.

    `after=True`: the sandbox carries the request out, then the connection drops (the account
    exists, its key is lost). `after=False`: the connection drops before the sandbox sees it.
    """

    def __init__(self, app: Any, suffix: str, *, after: bool) -> None:
        self.app = app
        self.state = app.state
        self.suffix = suffix
        self.after = after
        self.dropped = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and path.endswith(self.suffix)
            and not self.dropped
        ):
            self.dropped += 1
            if self.after:

                async def swallow(message: Any) -> None:
                    return None

                await self.app(scope, receive, swallow)
            raise ConnectionResetError("test: connection dropped")
        await self.app(scope, receive, send)


def build_app_with(wrap: Any, *, read_only: bool = False) -> Any:
    """A console over a fresh sandbox whose ASGI app is wrapped (`wrap(sandbox_app)`)."""
    import httpx
    from snapshot_scenes import FROZEN_NOW, connect, new_sandbox

    from orgtui.core.clock import FrozenClock
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    sandbox_app = new_sandbox(clock)
    wrapper = wrap(sandbox_app)
    conn = connect(sandbox_app, read_only=read_only, transport=httpx.ASGITransport(app=wrapper))
    app = OrgTuiApp(conn, clock=clock)
    app.extra_sandbox = sandbox_app.state.sandbox
    app.extra_wrapper = wrapper
    return app


class HangCreate(DropCreate):
    """Carries the first matching create out, then never answers (the console is killed)."""

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        import asyncio

        path = scope.get("path", "")
        first = not self.dropped
        if (
            first
            and scope["type"] == "http"
            and scope["method"] == "POST"
            and path.endswith(self.suffix)
        ):
            self.dropped += 1

            async def swallow(message: Any) -> None:
                return None

            await self.app(scope, receive, swallow)
            await asyncio.Event().wait()
        await self.app(scope, receive, send)


class SharedSandbox:
    """One sandbox that several console runs (app instances) talk to, one after another."""

    def __init__(self) -> None:
        from snapshot_scenes import FROZEN_NOW, new_sandbox

        from orgtui.core.clock import FrozenClock

        self.clock = FrozenClock(FROZEN_NOW)
        self.app = new_sandbox(self.clock)
        self.sandbox = self.app.state.sandbox

    def console(self, wrap: Any = None, *, read_only: bool = False) -> Any:
        import httpx
        from snapshot_scenes import connect

        from orgtui.ui.app import OrgTuiApp

        transport = httpx.ASGITransport(app=wrap(self.app)) if wrap else None
        app = OrgTuiApp(
            connect(self.app, read_only=read_only, transport=transport), clock=self.clock
        )
        app.extra_sandbox = self.sandbox
        return app
