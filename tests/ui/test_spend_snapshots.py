"""SVG snapshots of the spend scenes (frozen clock, seed 1, UTC), at 80x24 and 120x40.

Update with `pytest tests/ui/test_spend_snapshots.py --snapshot-update`, then look at each
picture before accepting it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from test_spend_support import FROZEN_NOW, project_id, settle, spend_app

from orgtui.core.clock import FrozenClock

Snap = Callable[..., bool]


def build(**kw: Any) -> Any:
    """Starts on the main screen: `steps` opens Spend once the first refresh is done."""
    from orgtui.sandbox import create_app

    clock = FrozenClock(FROZEN_NOW)
    app, _ = spend_app(create_app(None, seed=1, clock=clock), clock, start="main", **kw)
    app.live_counters = False  # no request counter in pictures
    return app


def steps(*keys: str, scope: str | None = None) -> Callable[[Any], Awaitable[None]]:
    async def run(pilot: Any) -> None:
        await settle(pilot, 6)
        await pilot.press("s")
        await settle(pilot, 6)
        if scope is not None:
            table = pilot.app.screen.projects_table
            table.select_key(project_id(pilot.app, scope))
            await settle(pilot, 1)
        for key in keys:
            await pilot.press(key)
            await settle(pilot, 2)

    return run


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_spend_screen(snap_compare: Snap, size: tuple[int, int]) -> None:
    assert snap_compare(build(), terminal_size=size, run_before=steps())


def test_spend_screen_no_color(snap_compare: Snap, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(build(), terminal_size=(80, 24), run_before=steps())


def test_spend_graph_by_project_hourly(snap_compare: Snap) -> None:
    assert snap_compare(build(), terminal_size=(120, 40), run_before=steps("g", "G"))


def test_spend_daily_cost_paused(snap_compare: Snap) -> None:
    assert snap_compare(build(), terminal_size=(80, 24), run_before=steps("g", "g", "g", "p"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_spend_graph_all_kinds_stacked(snap_compare: Snap, size: tuple[int, int]) -> None:
    """`u` eight times: every kind of usage stacked, the legend naming each kind."""
    assert snap_compare(build(), terminal_size=size, run_before=steps(*"u" * 8))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_spend_graph_cost_from_the_kinds(snap_compare: Snap, size: tuple[int, int]) -> None:
    """`u` nine times: after the stacked kinds, cost in dollars."""
    assert snap_compare(build(), terminal_size=size, run_before=steps(*"u" * 9))


def test_spend_graph_one_kind_speech(snap_compare: Snap) -> None:
    """`u` four times: audio speeches alone, in characters with requests on the right."""
    assert snap_compare(build(), terminal_size=(120, 40), run_before=steps(*"u" * 4))


def test_limits_screen(snap_compare: Snap) -> None:
    assert snap_compare(
        build(), terminal_size=(80, 24), run_before=steps("enter", scope="search-prod")
    )


def test_limit_form_with_suggestion(snap_compare: Snap) -> None:
    assert snap_compare(
        build(), terminal_size=(80, 24), run_before=steps("L", scope="data-pipeline")
    )


def test_alert_form_errors(snap_compare: Snap) -> None:
    async def run(pilot: Any) -> None:
        await steps("plus")(pilot)
        form = pilot.app.screen
        form.query_one("#amount").input.value = "12.345"
        form.query_one("#recipients").input.value = "finance@acme.example, not-an-email"
        form.query_one("#amount").input.focus()
        await pilot.press("enter")
        await settle(pilot, 2)

    assert snap_compare(build(), terminal_size=(80, 24), run_before=run)
