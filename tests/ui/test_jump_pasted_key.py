"""Pasting a leaked key into `:` finds whose it is, draws only its redacted form, jumps to it
and offers the containment that fits (delete a quiet key, rotate a busy one, an admin key
first of all)."""

from __future__ import annotations

from typing import Any

import httpx
from conftest import settle
from test_keys_support import wait_for_screen
from textual.widgets import Input

from orgtui.sandbox import SANDBOX_ADMIN_KEY
from orgtui.ui.features.shell.jump_screen import JumpScreen
from orgtui.ui.widgets.confirm import ConfirmScreen


async def _create(sandbox_app: Any, name: str) -> tuple[str, str]:
    store = sandbox_app.state.sandbox.store
    pid = store.one("SELECT id FROM projects WHERE name = 'search-dev'")["id"]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app),
        base_url="http://sandbox/v1/organization",
        headers={"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"},
    ) as http:
        made = await http.post(f"/projects/{pid}/service_accounts", json={"name": name})
        assert made.status_code == 200
    body = made.json()
    return body["api_key"]["id"], body["api_key"]["value"]


async def _paste(pilot: Any, value: str) -> JumpScreen:
    await pilot.press("colon")
    jump = await wait_for_screen(pilot, JumpScreen)
    jump.query_one(Input).value = value  # a paste arrives whole
    await pilot.pause()
    return jump


async def test_a_pasted_key_is_found_hidden_and_offered_for_deletion(
    make_app: Any, sandbox_app: Any
) -> None:
    key_id, value = await _create(sandbox_app, "leaky-worker")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.refresh_all()
        await settle(pilot, app)
        jump = await _paste(pilot, value)

        assert jump.query_one(Input).password  # drawn as bullets, not as the key
        assert jump.pasted == f"sk-svcacct...{value[-4:]}"
        assert value not in app.export_screenshot().replace("&#160;", " ")
        assert jump._shown and jump._shown[0][2] == key_id
        await pilot.press("enter")
        offer = await wait_for_screen(pilot, ConfirmScreen)

        text = app.export_screenshot().replace("&#160;", " ")
        assert value not in text
        assert "leaky-worker" in text and "search-dev" in text
        assert "Delete it" in text
        await pilot.press("escape")  # not now: the key stays, selected in its table
        await settle(pilot, app)
        assert not isinstance(app.screen, (ConfirmScreen, JumpScreen)) and offer is not None
        from orgtui.ui.widgets.vtable import VirtualTable

        assert isinstance(app.focused, VirtualTable) and app.focused.current is not None
        assert app.focused.current.key == key_id  # the key's row, ready for d or o


async def test_a_pasted_admin_key_is_named_as_organisation_wide(
    make_app: Any, sandbox_app: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        jump = await _paste(pilot, SANDBOX_ADMIN_KEY)
        assert jump._shown and jump._shown[0][1] == "admin_key"
        await pilot.press("enter")
        await wait_for_screen(pilot, ConfirmScreen)
        text = app.export_screenshot().replace("&#160;", " ")
        assert "ADMIN key" in text and "whole organisation" in text
        assert SANDBOX_ADMIN_KEY not in text


async def test_an_unknown_pasted_key_says_so(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        jump = await _paste(pilot, "sk-proj-SANDBOX-FAKE-" + "q" * 40 + "ZQZQ")
        assert jump._shown == []
        assert "No live key matches sk-proj...ZQZQ" in app.export_screenshot().replace(
            "&#160;", " "
        )
