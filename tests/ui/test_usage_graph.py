"""The live graph in the main screen's usage strip: scope follows the tree, polls only when seen."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest
from test_spend_support import project_id, settle, spend_app, wait_for, wait_for_screen

from orgtui.core.clock import FrozenClock
from orgtui.ui.features.spend.actions import install_usage_strip
from orgtui.ui.features.spend.screen import SpendScreen
from orgtui.ui.features.usage.graph import UsageGraph
from orgtui.ui.features.usage.strip import UsageStrip


@pytest.fixture(autouse=True)
def graph_in_strip() -> None:
    # What the console does once its features load; not undone, because the features stay
    # loaded in this process (undoing it left later tests' consoles without their graph).
    install_usage_strip()


def strip_graph(app: Any) -> UsageGraph:
    return app.screen.query_one(UsageStrip).query_one(UsageGraph)


async def test_the_strip_follows_the_selected_project(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock, start="main")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        graph = strip_graph(app)
        assert graph.data is not None and graph.project_id is None
        # The debounce runs on the session's frozen clock: it fires when the test moves it.
        pid = project_id(app, "search-prod")
        before = transport.count("/usage/completions")
        app.main_screen_goto(app.session.profile.name, pid)  # the tree moves the strip's scope
        for _ in range(50):  # the tree's selection reaches the strip through messages
            if graph.project_id == pid:
                break
            await pilot.pause()
        assert graph.scope_pending and transport.count("/usage/completions") == before
        frozen_clock.advance(graph.settle_seconds / 2)  # not rested long enough yet
        await pilot.pause()
        assert graph.scope_pending and transport.count("/usage/completions") == before
        frozen_clock.advance(graph.settle_seconds / 2)  # the selection rests: one request
        assert not graph.scope_pending
        await settle(pilot)
        requests = transport.matching("/usage/completions")[before:]
        assert [parse_qs(r.url.query.decode())["project_ids"] for r in requests] == [[pid]]
        assert graph.project_id == pid
        assert "search-prod" in str(graph.query_one("#graph-caption").render())

        # Passing over projects quickly costs one request, for the one it rests on.
        before = transport.count("/usage/completions")
        for name in ("search-dev", "support-bot-prod", "data-pipeline"):
            graph.set_scope(app.session, project_id(app, name))
        assert transport.count("/usage/completions") == before and graph.scope_pending
        frozen_clock.advance(graph.settle_seconds)
        assert not graph.scope_pending
        await settle(pilot)
        requests = transport.matching("/usage/completions")[before:]
        expected = [[project_id(app, "data-pipeline")]]
        assert [parse_qs(r.url.query.decode())["project_ids"] for r in requests] == expected


async def test_no_polls_while_covered_then_one_on_return(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock, start="main")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        graph = strip_graph(app)
        await pilot.press("s")
        await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        before = len(transport.requests)
        for _ in range(3):
            graph._tick()  # the strip's poll timer while the spend screen is shown
        await settle(pilot)
        assert len(transport.requests) == before
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, SpendScreen))
        await settle(pilot)
        assert len(transport.requests) == before + 1  # the missed poll, once
