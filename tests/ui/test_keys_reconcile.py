"""A create whose answer is lost: the console reads back, says what it found, never resends."""

from __future__ import annotations

from typing import Any

import pytest
from test_keys_support import (
    DropCreate,
    Terminal,
    build_app_with,
    goto_project,
    settle,
    wait_for_screen,
)

from orgtui.ui.screens.confirm import ConfirmScreen
from orgtui.ui.screens.copy_once import CopyOnceScreen
from orgtui.ui.screens.keys_create import KeyCreateScreen
from orgtui.ui.widgets.form import LabelledInput

NAME = "search-dev-ingest"


def accounts_named(app: Any, name: str) -> list[dict[str, Any]]:
    return app.extra_sandbox.store.query("SELECT id FROM service_accounts WHERE name = ?", (name,))


async def create(pilot: Any, name: str = NAME) -> None:
    await goto_project(pilot, "search-dev")
    await pilot.press("n")
    form = await wait_for_screen(pilot, KeyCreateScreen)
    field = form.query_one("#name", LabelledInput)
    field.input.value = name
    field.input.focus()
    await pilot.press("enter")


def body_of(screen: ConfirmScreen) -> str:
    return str(screen.query_one("#confirm-body").render())


async def test_created_but_key_lost_offers_mint(monkeypatch: pytest.MonkeyPatch) -> None:
    Terminal().install(monkeypatch)
    app = build_app_with(lambda sb: DropCreate(sb, "/service_accounts", after=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await create(pilot)
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        body = body_of(confirm)
        assert body.startswith("The request may not have completed. orgtui checked: the service")
        assert f"the service account {NAME} exists (created 14:30), but its key was not" in body
        assert "Mint a new key for it now?" in body
        assert len(accounts_named(app, NAME)) == 1
        await pilot.press("tab", "enter")  # from Cancel to "Mint a new key"
        dialog = await wait_for_screen(pilot, CopyOnceScreen)
        assert dialog.facts.account == NAME
        await pilot.press("y")
        await settle(pilot)
    (account,) = accounts_named(app, NAME)  # no duplicate account
    keys = app.extra_sandbox.store.query(
        "SELECT id FROM api_keys WHERE owner_sa_id = ? AND deleted_at IS NULL", (account["id"],)
    )
    assert len(keys) == 2  # the one whose value was lost, and the one just shown
    assert app.extra_wrapper.dropped == 1


async def test_nothing_created_offers_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    Terminal().install(monkeypatch)
    app = build_app_with(lambda sb: DropCreate(sb, "/service_accounts", after=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await create(pilot)
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        body = body_of(confirm)
        assert f"the service account {NAME} does not exist; nothing was created. Try again?" in (
            body
        )
        assert accounts_named(app, NAME) == []
        await pilot.press("tab", "enter")  # "Try again": the form comes back, filled in
        form = await wait_for_screen(pilot, KeyCreateScreen)
        assert form.query_one("#name", LabelledInput).value == NAME
        form.query_one("#name", LabelledInput).input.focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, CopyOnceScreen)
        await pilot.press("y")
        await settle(pilot)
    assert len(accounts_named(app, NAME)) == 1


async def test_declining_the_offer_sends_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    Terminal().install(monkeypatch)
    app = build_app_with(lambda sb: DropCreate(sb, "/service_accounts", after=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await create(pilot)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("enter")  # Cancel is focused
        await settle(pilot)
        assert not isinstance(app.screen, CopyOnceScreen | ConfirmScreen)
    (account,) = accounts_named(app, NAME)
    keys = app.extra_sandbox.store.query(
        "SELECT id FROM api_keys WHERE owner_sa_id = ? AND deleted_at IS NULL", (account["id"],)
    )
    assert len(keys) == 1
