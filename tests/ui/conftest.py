"""Fixtures for the console tests: a sandbox with a frozen clock, a Connection, an app factory.

Everything is in-process (httpx.ASGITransport): no port, no network. The app clock and the
sandbox clock are the same FrozenClock, so relative times and pictures are stable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from snapshot_scenes import FROZEN_NOW

from orgtui.core.clock import FrozenClock
from tests import pilot_support

SNAPSHOT_SIZES = ((80, 24), (120, 40))


@pytest.fixture(autouse=True)
def _stable_terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """UTC for dates and HH:MM, no NO_COLOR leaking in from the developer's shell."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("NO_COLOR", raising=False)
    time.tzset()
    yield
    time.tzset()


@pytest.fixture
def frozen_clock() -> FrozenClock:
    return FrozenClock(FROZEN_NOW)


@pytest.fixture
def sandbox_app(frozen_clock: FrozenClock) -> Any:
    from orgtui.sandbox import create_app

    return create_app(None, seed=1, clock=frozen_clock)


@pytest.fixture
def sandbox(sandbox_app: Any) -> Any:
    return sandbox_app.state.sandbox


def make_connection(app: Any, **kw: Any) -> Any:
    from orgtui.config import demo_profile
    from orgtui.connect import connection_for_app

    profile = kw.pop("profile", None) or demo_profile()
    return connection_for_app(app, profile, requests_per_minute=kw.pop("rpm", 60000), **kw)


@pytest.fixture
def connection(sandbox_app: Any) -> Any:
    return make_connection(sandbox_app)


@pytest.fixture
def make_app(sandbox_app: Any, frozen_clock: FrozenClock) -> Callable[..., Any]:
    """`make_app(read_only=False, keymap=None, connection=None, start="main")` -> OrgTuiApp."""
    from orgtui.ui.app import OrgTuiApp

    def factory(*, connection: Any = None, start: str = "main", **kw: Any) -> OrgTuiApp:
        conn = connection or make_connection(sandbox_app, **kw)
        return OrgTuiApp(conn, start=start, clock=frozen_clock)

    return factory


async def settle(pilot: Any, app: Any = None, rounds: int = 3) -> None:
    """Until the console is idle and the screen shows it (`pilot_support.wait_idle`; `app`
    and `rounds` are kept for old callers)."""
    await pilot_support.wait_idle(pilot)


def env_no_color() -> bool:
    return "NO_COLOR" in os.environ


def notes(app: Any) -> list[str]:
    """The text of every notification the app has shown (still in its list)."""
    return [str(n.message) for n in app._notifications]


def plain(widget_or_renderable: Any, width: int = 200) -> str:
    """The text a Static (or any Rich renderable) shows, without styles."""
    import io

    from rich.console import Console

    renderable = getattr(widget_or_renderable, "content", widget_or_renderable)
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()
