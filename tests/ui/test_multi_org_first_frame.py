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
    first frame (`OrgTuiApp.started` is set by the work run after it)."""

    def __init__(self, app: Any, note: Any) -> None:
        self.app, self.state, self.note = app, app.state, note

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.note()
        await self.app(scope, receive, send)


async def test_no_org_sends_a_request_before_the_first_frame() -> None:
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    console: list[Any] = []
    sent: dict[str, list[bool]] = {"demo": [], "staging": []}

    def recording(app: Any, profile: str) -> _Recording:
        return _Recording(app, lambda: sent[profile].append(console[0].started))

    first = make_connection(recording(new_sandbox(clock), "demo"))
    second = make_connection(
        recording(new_sandbox(clock, seed=2), "staging"), profile=staging_profile()
    )
    app = OrgTuiApp([first, second], clock=clock)
    console.append(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: all(sent.values()))  # each org's first refresh began
        await settle(pilot)
    assert sent["demo"] and sent["staging"]
    assert all(sent["demo"]) and all(sent["staging"]), "a request went out before the frame"
