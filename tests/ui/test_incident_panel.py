"""The incident panel (`!` from anywhere): the key in incident first, and the four ways to
contain it, each checked in the sandbox afterwards."""

from __future__ import annotations

from typing import Any

from conftest import settle
from test_keys_support import wait_for_screen
from textual.widgets import DataTable

from orgtui.ui.features.incident.screen import IncidentScreen
from orgtui.ui.widgets.confirm import ConfirmScreen


def _incident_key(sandbox_app: Any, now: float) -> tuple[str, str]:
    """A live, busy-enough key with a week of history, and its project."""
    sources = sandbox_app.state.sandbox.traffic.sources()
    live = [
        s
        for s in sources
        if s["deleted_at"] is None
        and s["active_until"] is None
        and s["created_at"] < now - 10 * 86_400
        and 0 < float(s["weight"] or 0) < 10
    ]
    chosen = live[len(live) // 2]
    return str(chosen["api_key_id"]), str(chosen["project_id"])


async def _open(pilot: Any, app: Any) -> IncidentScreen:
    await settle(pilot, app)
    app.refresh_all()
    await settle(pilot, app)
    await pilot.press("exclamation_mark")
    screen = await wait_for_screen(pilot, IncidentScreen)
    await settle(pilot, app)
    return screen


async def test_the_incident_key_is_first(
    make_app: Any, sandbox_app: Any, frozen_clock: Any
) -> None:
    key, _ = _incident_key(sandbox_app, frozen_clock.now())
    sandbox_app.state.sandbox.set_incident(key, since=frozen_clock.now() - 15 * 60)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        assert screen.rows and screen.rows[0].id == key
        text = app.export_screenshot().replace("&#160;", " ")
        assert "spike" in text and "against the same hours of the last 7 days" in text
        assert screen.query_one(DataTable).row_count > 0


async def _spiking(make_app: Any, sandbox_app: Any, frozen_clock: Any, **kw: Any) -> Any:
    key, pid = _incident_key(sandbox_app, frozen_clock.now())
    sandbox_app.state.sandbox.set_incident(key, since=frozen_clock.now() - 15 * 60)
    return key, pid, make_app(**kw)


async def test_enter_jumps_to_the_key(make_app: Any, sandbox_app: Any, frozen_clock: Any) -> None:
    from orgtui.ui.features.shell.main_screen import MainScreen
    from orgtui.ui.widgets.vtable import VirtualTable

    key, _, app = await _spiking(make_app, sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("enter")
        await wait_for_screen(pilot, MainScreen)
        await settle(pilot, app)
        assert isinstance(app.focused, VirtualTable) and app.focused.current is not None
        assert app.focused.current.key == key


async def test_x_stops_the_projects_spend(
    make_app: Any, sandbox_app: Any, frozen_clock: Any
) -> None:
    _, pid, app = await _spiking(make_app, sandbox_app, frozen_clock)
    sb = sandbox_app.state.sandbox
    spent = sb.month_to_date_cost_usd(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("x")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        body = str(confirm.query_one("#confirm-body").render())
        assert "its spend so far this month" in body and "rejects the" in body
        assert "To undo" in body and "set it back to" in body
        await pilot.click("#confirm-button")
        await settle(pilot, app)
        await pilot.pause()
    row = sb.store.one("SELECT threshold_amount FROM spend_limits WHERE scope = ?", (pid,))
    assert row is not None and row["threshold_amount"] == max(1, int(spent * 100))
    assert sb.month_to_date_cost_usd(pid) * 100 >= row["threshold_amount"]  # blocked now


async def test_d_deletes_the_key_after_its_name_is_typed(
    make_app: Any, sandbox_app: Any, frozen_clock: Any
) -> None:
    from textual.widgets import Input

    key, _, app = await _spiking(make_app, sandbox_app, frozen_clock)
    sb = sandbox_app.state.sandbox
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("d")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert confirm._typed  # the name to type, as the key's own delete asks for it
        field = confirm.query_one("#confirm-typed", Input)
        field.focus()
        field.value = confirm._typed
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app)
    assert (
        sb.store.query("SELECT id FROM api_keys WHERE id = ? AND deleted_at IS NULL", (key,)) == []
    )
    assert all(s["api_key_id"] != key or s["deleted_at"] for s in sb.traffic.sources())


async def test_o_opens_the_rotation_of_that_key(
    make_app: Any, sandbox_app: Any, frozen_clock: Any
) -> None:
    from orgtui.ui.features.keys.rotate import RotationWizard

    key, _, app = await _spiking(make_app, sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("o")
        wizard = await wait_for_screen(pilot, RotationWizard)
        name = sandbox_app.state.sandbox.store.one("SELECT name FROM api_keys WHERE id = ?", (key,))
        assert f"Rotate key {name['name']}" in " ".join(
            str(s.render()) for s in wizard.query("Static")
        )


async def test_read_only_refuses_to_stop_spend(
    make_app: Any, sandbox_app: Any, frozen_clock: Any
) -> None:
    from conftest import notes

    _, pid, app = await _spiking(make_app, sandbox_app, frozen_clock, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, app)
        await pilot.press("x")
        await settle(pilot, app)
        assert not isinstance(app.screen, ConfirmScreen)
        assert any("read-only" in n.lower() for n in notes(app))
    sb = sandbox_app.state.sandbox
    row = sb.store.one("SELECT threshold_amount FROM spend_limits WHERE scope = ?", (pid,))
    assert row is None or row["threshold_amount"] > sb.month_to_date_cost_usd(pid) * 100


async def _requests_of(sandbox_app: Any, key: str, start: int, end: int) -> int:
    """Requests the sandbox served for `key` in [start, end), every kind filtered by key."""
    from orgtui.config import demo_profile
    from orgtui.connect import connection_for_app

    conn = connection_for_app(sandbox_app, demo_profile(), requests_per_minute=60000)
    total = 0
    try:
        for kind in ("completions", "embeddings", "moderations", "images", "audio_speeches"):
            pages = conn.client.iter_usage(
                kind, start, end_time=end, bucket_width="1m", api_key_ids=[key]
            )
            buckets = [bucket async for bucket in pages]
            total += sum(r.num_model_requests or 0 for b in buckets for r in b.results)
    finally:
        await conn.client.aclose()
    return total


async def test_o_rotates_the_spiking_key_and_its_traffic_stops(
    make_app: Any, sandbox_app: Any, frozen_clock: Any, monkeypatch: Any
) -> None:
    """From the panel: rotate the key in incident, mint, finish; the old key is gone from the
    sandbox and the traffic it carried stops (its replacement is a new key)."""
    from test_keys_rotate import wizard_text
    from test_keys_support import Terminal
    from textual.widgets import Button, Input

    from orgtui.ui.features.keys.copy_once import CopyOnceScreen
    from orgtui.ui.features.keys.rotate import RotationWizard

    Terminal().install(monkeypatch)
    key, _, app = await _spiking(make_app, sandbox_app, frozen_clock)
    sb = sandbox_app.state.sandbox
    before = int(frozen_clock.now()) // 60 * 60
    assert await _requests_of(sandbox_app, key, before - 15 * 60, before) > 0  # spiking now
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, app)
        assert screen.rows[0].id == key  # the cursor is on the spiking key
        await pilot.press("o")
        wizard = await wait_for_screen(pilot, RotationWizard)
        for _ in range(60):  # the wizard looks for other keys of the key's account
            if wizard.other_keys is not None and not wizard.working:
                break
            await settle(pilot, app)
        # An account holding other keys rotates them all together (one copy-once each).
        together = wizard.query_one("#together", Button).display
        await pilot.press("a" if together else "m")
        for _ in range(len(wizard.other_keys or ()) + 1 if together else 1):
            await wait_for_screen(pilot, CopyOnceScreen)
            await pilot.press("y")
            await settle(pilot, app)
        await wait_for_screen(pilot, RotationWizard)
        for _ in range(60):
            if not wizard.working and wizard.status is not None:
                break
            await settle(pilot, app)
        await pilot.press("f")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        field = confirm.query_one("#confirm-typed", Input)
        field.focus()
        field.value = confirm._typed
        await pilot.pause()
        await pilot.press("enter")
        await wait_for_screen(pilot, RotationWizard)
        for _ in range(60):
            if wizard.finished is not None:
                break
            await settle(pilot, app)
        assert "Rotation finished" in wizard_text(wizard)
    row = sb.store.one("SELECT deleted_at FROM api_keys WHERE id = ?", (key,))
    assert row is None or row["deleted_at"] is not None
    assert all(s["api_key_id"] != key or s["deleted_at"] for s in sb.traffic.sources())
    frozen_clock.advance(15 * 60)  # a quarter of an hour on, the old key has served nothing
    after = int(frozen_clock.now()) // 60 * 60
    assert await _requests_of(sandbox_app, key, after - 14 * 60, after) == 0
    busy = max(  # the same window does hold traffic for a key still in service
        (s for s in sb.traffic.sources() if s["deleted_at"] is None and s["active_until"] is None),
        key=lambda s: float(s["weight"] or 0),
    )
    assert await _requests_of(sandbox_app, str(busy["api_key_id"]), after - 14 * 60, after) > 0
