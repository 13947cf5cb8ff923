"""Several organisations at start: the first frame is drawn from the caches before any org
sends a request, and then each org's first refresh begins."""

from __future__ import annotations

from typing import Any

from conftest import make_connection, settle
from snapshot_scenes import FROZEN_NOW, new_sandbox
from test_multi_org import staging_profile

from orgtui.core.clock import FrozenClock
from tests.pilot_support import wait_until


class _Recording:
    """A sandbox ASGI app that notes, for each request, whether the console had drawn its
    first frame then."""

    def __init__(self, app: Any, note: Any) -> None:
        self.app, self.state, self.note = app, app.state, note

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.note(scope["path"])
        await self.app(scope, receive, send)


def _watch_frames(app: Any, drawn: list[bool]) -> None:
    """`drawn` becomes [True] once a frame of the main screen has gone to the terminal."""
    from orgtui.ui.compat import frame_output, set_frame_output

    display = frame_output(app)

    def first(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        if renderable is not None and type(screen).__name__ == "MainScreen":
            drawn[:] = [True]

    set_frame_output(app, first)


async def test_no_org_sends_a_request_before_the_first_frame() -> None:
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    drawn = [False]
    sent: dict[str, list[tuple[bool, str]]] = {"demo": [], "staging": []}

    def recording(app: Any, profile: str) -> _Recording:
        return _Recording(app, lambda path: sent[profile].append((drawn[0], path)))

    first = make_connection(recording(new_sandbox(clock), "demo"))
    second = make_connection(
        recording(new_sandbox(clock, seed=2), "staging"), profile=staging_profile()
    )
    app = OrgTuiApp([first, second], clock=clock)
    _watch_frames(app, drawn)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: all(sent.values()))  # each org's first refresh began
        await settle(pilot)
    assert sent["demo"] and sent["staging"]
    early = [(org, path) for org, seen in sent.items() for after, path in seen if not after]
    assert early == [], "requests sent before the first frame"
