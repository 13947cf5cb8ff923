"""The one way tests wait on the console: on its own signals, never on the clock.

- `wait_idle(pilot)`: until the app's `idle` event (orgtui/ui/idle.py: no worker, fetch or
  working screen in flight), then until one more frame is drawn, so what that work queued is on
  screen. A usage graph's resting scope is let go (its clock timer fired at once) instead of waited
  out: its debounce is there for a hand on the keys, not for a test.
- `wait_until(pilot, check, what)`: until `check()` holds, checked after every round of the
  app's messages; returns what `check()` returned.
- `wait_for_screen(pilot, kind)`: until a screen of that kind (a class or a class name) is on
  top and not `working`, then idle.
- `frame(pilot)`: until the next frame is drawn (work queued for after a refresh has run).
- `still(pilot)`: idle, input cursors frozen, two frames: what a snapshot is taken of.

A wait that runs out fails the test (`WaitTimeout`), naming what it waited for and what was
still in flight. The limit (`WAIT_SECONDS`) is generous for a loaded machine; no test waits it
out on purpose, so it costs nothing when things work.

Older helper names stay importable as thin wrappers over these, so tests written against them
keep working: `settle` (tests/ui/conftest.py, tests/ui/snapshot_scenes.py and the ui support
modules), `until` / `wait_for` / `wait_until` / `wait_for_screen` / `synced`
(tests/trust/trust_support.py, tests/ui/*_support.py, tests/ui/layout_harness.py). New tests
should import from here.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

WAIT_SECONDS = 90.0

T = TypeVar("T")


class WaitTimeout(AssertionError):
    """A wait ran out: what it waited for never came."""


def _deadline(timeout: float) -> float:
    return asyncio.get_running_loop().time() + timeout


def _left(deadline: float) -> float:
    return deadline - asyncio.get_running_loop().time()


def _describe(check: Callable[[], Any]) -> str:
    return getattr(check, "__qualname__", None) or repr(check)


def flush_graphs(app: Any) -> None:
    """Let every usage graph's resting scope change go now (its "usage-scope" timer fires at
    once): moving the frozen clock by the debounce on every tree move would age every figure."""
    from orgtui.core.clock import scheduler_for

    clock = getattr(app, "clock", None)
    if clock is None:
        return
    for timer in scheduler_for(clock).pending:
        if timer.name == "usage-scope":
            timer.fire_now()


async def frame(pilot: Any, *, timeout: float = WAIT_SECONDS) -> None:
    """Until the top screen has drawn a fresh frame (and what was queued after it ran)."""
    app = pilot.app
    drawn = asyncio.Event()
    app.screen.call_after_refresh(drawn.set)
    app.screen.refresh()
    try:
        await asyncio.wait_for(drawn.wait(), timeout)
    except TimeoutError:
        raise WaitTimeout(f"timed out after {timeout:.0f}s waiting for a frame") from None
    await pilot.pause()


async def wait_idle(
    pilot: Any, *, what: str = "the console to go idle", timeout: float = WAIT_SECONDS
) -> None:
    """Until nothing is in flight (the app's `idle` event) and a frame has shown the result."""
    app = pilot.app
    deadline = _deadline(timeout)
    while True:
        flush_graphs(app)
        if app.update_idle():
            await frame(pilot, timeout=max(_left(deadline), 1.0))
            flush_graphs(app)
            if app.update_idle():  # drawing it started nothing new
                return
            continue
        left = _left(deadline)
        if left <= 0:
            busy = "; ".join(app.in_flight()) or "nothing"
            raise WaitTimeout(
                f"timed out after {timeout:.0f}s waiting for {what}; in flight: {busy}"
            )
        # Woken by the app's own signal; the short cap re-checks work a widget finished
        # without a message to the app (a widget's worker reports to the widget).
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(app.idle.wait(), min(left, 0.05))


async def wait_until(
    pilot: Any,
    check: Callable[[], T],
    what: str | None = None,
    *,
    timeout: float = WAIT_SECONDS,
) -> T:
    """Until `check()` is truthy, re-checked after every round of the app's messages."""
    deadline = _deadline(timeout)
    while True:
        result = check()
        if result:
            return result
        if _left(deadline) <= 0:
            busy = "; ".join(pilot.app.in_flight()) or "nothing"
            raise WaitTimeout(
                f"timed out after {timeout:.0f}s waiting for {what or _describe(check)}"
                f"; top screen {type(pilot.app.screen).__name__}; in flight: {busy}"
            )
        await pilot.pause()


def _is(screen: Any, kind: type | str) -> bool:
    if isinstance(kind, str):
        return type(screen).__name__ == kind
    return isinstance(screen, kind)


async def wait_for_screen(pilot: Any, kind: type | str, *, timeout: float = WAIT_SECONDS) -> Any:
    """Until a `kind` screen is on top and not working, then idle; returns that screen."""
    name = kind if isinstance(kind, str) else kind.__name__
    app = pilot.app
    await wait_until(
        pilot,
        lambda: _is(app.screen, kind) and not getattr(app.screen, "working", False),
        f"the {name} screen on top",
        timeout=timeout,
    )
    await wait_idle(pilot, what=f"the {name} screen to go idle", timeout=timeout)
    return app.screen


def freeze_cursors(app: Any) -> None:
    """Input and text-area cursors stop blinking (a blink moves in an idle screen)."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


async def still(pilot: Any) -> None:
    """What a snapshot is taken of: idle, cursors frozen, and two fresh frames."""
    await wait_idle(pilot)
    freeze_cursors(pilot.app)
    for _ in range(2):
        await frame(pilot)


# ------------------------------------------------------------ outside the process

POLL_SECONDS = 0.05  # how often a real terminal, pane or server is looked at again


def poll_until(check: Callable[[], T], what: str, *, timeout: float = WAIT_SECONDS) -> T:
    """For what runs outside this process (a real terminal, a server): until `check()` is
    truthy, looked at every `POLL_SECONDS`; a wait that runs out fails, naming `what`."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise WaitTimeout(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(POLL_SECONDS)


def palette_texts(app: Any) -> list[str]:
    """The command palette's listed options as text ([] when it is not open)."""
    from textual.command import CommandList

    lists = app.screen.query(CommandList)
    if not lists:
        return []
    options = lists.first()
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def palette_lists(pilot: Any, text: str, *, timeout: float = WAIT_SECONDS) -> list[str]:
    """Until the palette's first option mentions `text` (its search runs in a worker)."""

    def first_matches() -> list[str]:
        texts = palette_texts(pilot.app)
        return texts if texts and text.lower() in texts[0].lower() else []

    return await wait_until(
        pilot, first_matches, f"the palette to list {text!r} first", timeout=timeout
    )
