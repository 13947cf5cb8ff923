"""Spend alerts in the console: one toast and one bell per crossing, a badge until seen."""

from __future__ import annotations

from typing import Any

import pytest
from test_spend_support import (
    counting_connection,
    plain,
    settle,
    spend_app,
    wait_for,
    wait_for_screen,
)

from orgtui.core.clock import FrozenClock
from orgtui.ui.features.spend.alerts_watch import (
    AlertMemory,
    Finding,
    alert_badge,
    badge_text,
    spend_watch,
)
from orgtui.ui.features.spend.screen import SpendScreen

HOUR = 3600


# ---------------------------------------------------------------- the once-only rule (pure)


def alert(scope: str, aid: str = "a1", profile: str = "demo") -> Finding:
    return Finding((profile, "alert", scope, aid), scope, f"{scope} crossed")


def test_memory_tells_each_finding_once() -> None:
    memory = AlertMemory()
    known = {"org:alerts", "p1:alerts", "org:limit", "p1:limit"}
    assert memory.observe([alert("p1")], known) == [alert("p1")]
    assert memory.observe([alert("p1")], known) == []
    assert memory.observe([alert("p1"), alert("org")], known) == [alert("org")]
    assert len(memory.unseen) == 2
    assert memory.mark_seen() and not memory.unseen
    assert memory.observe([alert("p1"), alert("org")], known) == []


def test_memory_tells_again_after_the_condition_cleared() -> None:
    memory = AlertMemory()
    known = {"p1:alerts"}
    memory.observe([alert("p1")], known)
    assert memory.observe([], known) == []  # next month: below the threshold again
    assert memory.observe([alert("p1")], known) == [alert("p1")]


def test_memory_keeps_what_was_not_evaluated() -> None:
    memory = AlertMemory()
    memory.observe([alert("p1")], {"p1:alerts"})
    # The project's alerts were not known in this refresh (e.g. not fetched): no forgetting.
    assert memory.observe([], set()) == []
    assert memory.observe([alert("p1")], {"p1:alerts"}) == []


def test_badge_text() -> None:
    assert badge_text(0) is None
    assert badge_text(1) == "⚠ 1 alert"
    assert badge_text(3) == "⚠ 3 alerts"


# ---------------------------------------------------------------- against the sandbox


async def add_project_alert(sandbox_app: Any, name: str, cents: int) -> str:
    conn, _ = counting_connection(sandbox_app)
    async with conn.client as client:
        pid = [p.id async for p in client.iter_projects() if p.name == name][0]
        await client.create_project_spend_alert(pid, cents, ["oncall@acme-robotics.example"])
    return pid


def top_key(app: Any, pid: str) -> str:
    """The key of the project that spent most this month."""
    summary = spend_watch(app).summary(app.session.profile.name)
    return next(k.id for k in summary.keys if k.project_id == pid)


def spend_toasts(app: Any) -> list[Any]:
    return [n for n in app._notifications if n.title == "Spend alert"]


@pytest.fixture
def bells(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    from textual.app import App

    rang: list[int] = []
    monkeypatch.setattr(App, "bell", lambda self: rang.append(1))
    return rang


async def test_incident_crossing_an_alert_notifies_once(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock, bells: list[int]
) -> None:
    # search-dev spends $27.30 this month by 14:30; an alert at $30 is not crossed yet.
    pid = await add_project_alert(sandbox_app, "search-dev", 3000)
    app, transport = spend_app(sandbox_app, frozen_clock, start="main")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        watch = spend_watch(app)  # the integrator installs it in on_mount
        app.refresh_all()
        await settle(pilot)
        assert watch.summary("demo") is not None
        assert spend_toasts(app) == [] and bells == []

        # The demo incident: one key of search-dev at 25 times its rate, for an hour.
        sandbox.set_incident(top_key(app, pid), 25.0)
        frozen_clock.advance(HOUR)
        app.refresh_all()
        await wait_for(pilot, lambda: len(spend_toasts(app)) == 1)
        await settle(pilot)
        (toast,) = spend_toasts(app)
        assert "search-dev" in toast.message and "$30.00 alert" in toast.message
        assert toast.severity == "warning"
        assert bells == [1]
        assert alert_badge(app) == "⚠ 1 alert"

        # Further refreshes find the same crossing: no second toast, no second bell.
        before = transport.count("/organization/costs")
        frozen_clock.advance(120)
        app.refresh_all()
        await settle(pilot)
        # The watch did read the costs again (one fetch, in pages of a few days).
        assert transport.count("/organization/costs") > before
        assert len(spend_toasts(app)) == 1 and bells == [1]
        assert alert_badge(app) == "⚠ 1 alert"

        # Seeing it on the spend screen clears the badge (and the screen shows it).
        await pilot.press("s")
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        assert alert_badge(app) is None
        assert "search-dev over its $30 alert" in plain(screen.query_one("#spend-notices"))


async def test_an_enforcing_limit_notifies_as_an_error(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock, bells: list[int]
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock, start="spend")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        pid = next(p.id for p in screen.summary.projects if p.name == "search-dev")
        sandbox.set_incident(top_key(app, pid), 1000.0)  # a runaway key
        frozen_clock.advance(HOUR)
        await pilot.press("r")  # refresh: limits and alerts, spend, graph
        await wait_for(pilot, lambda: len(spend_toasts(app)) == 1)
        await settle(pilot)
        (toast,) = spend_toasts(app)
        assert toast.severity == "error"
        assert "search-dev: hard limit $100.00 is ENFORCING" in toast.message
        assert bells == [1]
        row = next(r for r in screen.projects_table.rows if r.key == pid)
        assert row.cells[3].plain.strip() == "ENFORCING"
        assert alert_badge(app) is None  # shown on the screen the user is looking at


async def test_a_screen_that_wants_burn_rates_gets_them_after_a_costs_only_fetch(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock, start="main")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        watch = spend_watch(app)
        session = app.session
        frozen_clock.advance(HOUR)  # the usage graph's poll (on this clock) is due: it polls
        await settle(pilot)
        before = transport.count("/usage/completions")
        watch.usage_wanted = 0
        watch.request(session)  # a costs-only check is in flight...
        watch.usage_wanted = 1
        watch.request(session)  # ...when a spend screen asks: fetched again once it ends
        await settle(pilot)
        watch.usage_wanted = 0
        summary = watch.summary(session.profile.name)
        assert summary is not None and summary.burn.last_hour is not None
        assert summary.generated_at == frozen_clock.now()
        assert transport.count("/usage/completions") - before == 2  # one minute, one hour page
