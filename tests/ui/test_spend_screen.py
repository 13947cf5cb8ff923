"""The spend screen against the in-process sandbox, with one frozen clock for app and sandbox."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from test_spend_support import (
    independent_summary,
    plain,
    settle,
    spend_app,
    table_text,
    wait_for_screen,
)
from textual.widgets import Digits

from orgtui.core.clock import FrozenClock
from orgtui.core.money import format_cents, format_usd
from orgtui.ui.features.spend.screen import SpendScreen
from orgtui.ui.features.usage.graph import UsageGraph


def query(request: Any) -> dict[str, list[str]]:
    return parse_qs(request.url.query.decode())


async def test_figures_match_an_independent_summary(
    sandbox_app: Any, frozen_clock: FrozenClock, frozen_now: float
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        expected = await independent_summary(sandbox_app, frozen_now)
        shown = screen.summary
        assert shown is not None
        # The screen's summary is summarise() of the same data at the same moment...
        assert shown.org == expected.org
        assert shown.projects == expected.projects
        assert shown.keys == expected.keys
        # ...and what is on screen are those figures, formatted by the money module.
        big = screen.query_one("#spend-big", Digits)
        assert big.value == format_usd(expected.org.month_to_date_usd)
        overview = plain(screen.query_one("#spend-overview"))
        assert f"of {format_cents(expected.org.limit.threshold_cents)} org limit" in overview
        assert f"Today {format_usd(expected.org.today_usd)}" in overview
        assert format_usd(expected.org.forecast.forecast_usd) in overview
        rows = {row.key: row for row in screen.projects_table.rows}
        for project in expected.projects:
            cells = [c.plain for c in rows[project.id].cells]
            assert cells[0].startswith(project.name)
            assert cells[1] == format_usd(project.month_to_date_usd)
            assert cells[5].endswith(format_usd(project.forecast.forecast_usd))
            if project.limit is None:
                assert cells[2] == "⚠ none"  # the seed: never deploy without a hard limit
            else:
                assert cells[2] == format_cents(project.limit.threshold_cents)
                assert cells[3].strip().endswith("%")
        top = table_text(screen.keys_table)
        best = expected.top_keys(1, "today")[0]
        assert top[0].startswith(best.name)
        assert format_usd(best.today_usd) in top[0]
        assert format_usd(best.month_to_date_usd) in top[0]


async def test_projects_without_a_limit_are_named(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        notice = plain(screen.query_one("#spend-notices"))
        assert "3 project(s) without a hard limit" in notice
        assert "data-pipeline" in notice and "support-bot-dev" in notice


async def test_s_opens_the_spend_screen_from_the_main_screen(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock, start="main")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await wait_for_screen(pilot, SpendScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SpendScreen)


async def test_range_and_group_switch_ask_for_the_right_buckets(
    sandbox_app: Any, frozen_clock: FrozenClock, frozen_now: float
) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        graph = screen.graph
        assert graph.range_id == "1m"
        assert graph.data is not None and len(graph.data.starts) == 60
        seen: list[tuple[str, str | None]] = []
        for expected_range in ("1h", "1d", "cost", "1m"):
            before = len(transport.requests)
            await pilot.press("g")
            await settle(pilot)
            assert graph.range_id == expected_range
            new = [
                r
                for r in transport.requests[before:]
                if "/usage/" in r.url.path or r.url.path.endswith("/costs")
            ]
            assert len(new) == 1, [r.url for r in new]
            q = query(new[0])
            seen.append((new[0].url.path.rsplit("/", 1)[-1], q.get("bucket_width", [None])[0]))
            assert graph.data is not None and graph.data.query.range_id == expected_range
        assert seen == [
            ("completions", "1h"),
            ("completions", "1d"),
            ("costs", None),
            ("completions", "1m"),
        ]
        before = len(transport.requests)
        await pilot.press("G")
        await settle(pilot)
        assert graph.group == "project"
        (request,) = transport.matching("/usage/completions")[-1:]
        assert transport.requests.index(request) >= before
        assert query(request)["group_by"] == ["project_id"]
        names = {s.label for s in graph.data.series}
        assert "search-prod" in names
        legend = plain(graph.query_one("#graph-legend"))
        assert "search-prod" in legend


async def test_pause_stops_every_request(sandbox_app: Any, frozen_clock: FrozenClock) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        graph: UsageGraph = screen.graph
        await pilot.press("p")
        await settle(pilot)
        assert graph.paused
        assert "PAUSED" in plain(graph.query_one("#graph-caption"))

        # The organisation's own periodic refresh (audit log) is not the spend screen's to pause.
        def spend_requests() -> int:
            return len(transport.requests) - transport.count("/audit_logs")

        before = spend_requests()
        frozen_clock.advance(600)
        for _ in range(3):  # what the poll timers do while paused
            graph._tick()
            screen._tick()
        await pilot.press("g")  # a new range waits for resume too
        await settle(pilot)
        assert spend_requests() == before
        await pilot.press("G")  # ...and a new grouping: it says so instead of "loading…"
        await settle(pilot)
        assert spend_requests() == before
        legend = plain(graph.query_one("#graph-legend"))
        assert "Paused: press p to resume" in legend and "loading" not in legend
        await pilot.press("p")
        await settle(pilot)
        assert not graph.paused
        assert transport.count("/usage/completions") > 0
        assert spend_requests() > before


async def test_polls_follow_the_interval_and_the_budget(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        graph = screen.graph
        assert graph.interval() == 60  # profile.usage_poll_seconds
        before = transport.count("/usage/completions")
        graph._tick()
        await settle(pilot)
        assert transport.count("/usage/completions") == before + 1
        caption = plain(graph.query_one("#graph-caption"))
        assert "data to 14:30" in caption and "every 60s" in caption


async def test_key_filter_from_the_top_keys(sandbox_app: Any, frozen_clock: FrozenClock) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        screen.keys_table.focus()
        key = screen.keys_table.current.item
        await pilot.press("f")  # graph this key (enter goes to the key itself)
        await settle(pilot)
        request = transport.matching("/usage/completions")[-1]
        assert query(request)["api_key_ids"] == [key.id]
        assert key.name in plain(screen.graph.query_one("#graph-caption"))
        await pilot.press("f")  # the same key again: everything
        await settle(pilot)
        assert screen.graph.api_key_id is None


async def test_failing_costs_and_usage_are_said_not_crashed(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    sandbox.faults.path_filter = "/organization/"
    sandbox.faults.error_rate = 1.0
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        assert screen.summary is None
        assert "⚠" in plain(screen.query_one("#spend-overview"))
        assert "⚠" in plain(screen.graph.query_one("#graph-caption"))
        sandbox.faults.error_rate = 0.0
        await pilot.press("r")
        await settle(pilot)
        await settle(pilot)
        assert screen.summary is not None
        assert "Month to date" in plain(screen.query_one("#spend-overview"))
        assert screen.graph.error is None and screen.graph.data is not None
