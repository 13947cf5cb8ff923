"""The app's idle signal (orgtui/ui/idle.py), which every test waits on through
tests/pilot_support.py: it names what is in flight, leaves out a flow waiting for the user, and a
wait that runs out fails naming what it waited for."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.screen import ModalScreen

from tests.pilot_support import WaitTimeout, wait_for_screen, wait_idle, wait_until


async def test_idle_after_start_and_busy_while_refreshing(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_idle(pilot)
        assert app.in_flight() == [] and app.idle.is_set()
        # What the refresh fetched is on screen once idle: the sandbox's projects are listed.
        shown = {v.project.name for v in app.session.snapshot.projects.values()}
        assert "search-dev" in shown
        app.refresh_all()
        assert "worker 'sync'" in app.in_flight()
        assert not app.update_idle() and not app.idle.is_set()
        await wait_idle(pilot)
        assert app.idle.is_set()


async def test_a_wait_that_runs_out_names_what_it_waited_for(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_idle(pilot)
        never = asyncio.Event()
        app.run_worker(never.wait(), group="stuck-for-this-test")
        with pytest.raises(WaitTimeout, match="the console to go idle.*stuck-for-this-test"):
            await wait_idle(pilot, timeout=0.3)
        with pytest.raises(WaitTimeout, match="a door that never opens"):
            await wait_until(pilot, lambda: False, "a door that never opens", timeout=0.3)
        never.set()
        await wait_idle(pilot)


async def test_a_dialog_waiting_for_the_user_is_idle(make_app: Any) -> None:
    """An action asking through a dialog waits for a key, not for work: idle, and the action
    worker is still there, waiting."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_idle(pilot)
        await pilot.press("N")  # new project: a form in front of the main screen
        screen = await wait_for_screen(pilot, "CreateProjectForm")
        assert isinstance(screen, ModalScreen)
        assert app.in_flight() == []
        assert any(w.group.startswith("action:") and not w.is_finished for w in app.workers)
        await pilot.press("escape")
        await wait_idle(pilot)
        assert not any(w.group.startswith("action:") and not w.is_finished for w in app.workers)


async def test_a_session_nobody_waits_on_does_not_track_idle(
    make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user's session does not compute what is in flight on every drain of its queue: only
    once someone has asked (`update_idle`)."""
    app = make_app()
    asked: list[str] = []
    original = type(app).in_flight

    def counting(self: Any) -> list[str]:
        asked.append("in_flight")
        return original(self)

    monkeypatch.setattr(type(app), "in_flight", counting)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):  # several drains of the queue, start-up workers running and ending
            await pilot.pause()
        assert asked == [] and not app.track_idle
        await wait_idle(pilot)
        assert asked and app.track_idle
