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

from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.features.keys.create import KeyCreateScreen
from orgtui.ui.widgets.confirm import ConfirmScreen
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


def live_keys(app: Any, account_id: str) -> list[dict[str, Any]]:
    return app.extra_sandbox.store.query(
        "SELECT id FROM api_keys WHERE owner_sa_id = ? AND deleted_at IS NULL", (account_id,)
    )


async def test_a_key_never_received_is_named_and_deleting_the_account_revokes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Terminal().install(monkeypatch)
    app = build_app_with(lambda sb: DropCreate(sb, "/service_accounts", after=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await create(pilot)
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        body = " ".join(body_of(confirm).split())
        assert body.startswith("The request may not have completed. orgtui checked: the service")
        assert f"the service account {NAME} exists (created 14:30), but its key was never" in body
        assert "That key is live and nobody here holds it" in body
        assert "only by deleting the account" in body
        assert str(confirm.query_one("#cancel").label) == "Keep it"
        (account,) = accounts_named(app, NAME)
        assert len(live_keys(app, account["id"])) == 1  # the key nobody received
        await pilot.press("tab", "enter")  # from "Keep it" to "Delete the account"
        form = await wait_for_screen(pilot, KeyCreateScreen)  # then create it again, filled in
        assert form.query_one("#name", LabelledInput).value == NAME
        assert live_keys(app, account["id"]) == []  # deleting the account revoked it
        await pilot.press("escape")
        await settle(pilot)
    assert app.extra_wrapper.dropped == 1


async def test_keeping_a_key_never_received_is_said_out_loud(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    Terminal().install(monkeypatch)
    app = build_app_with(lambda sb: DropCreate(sb, "/service_accounts", after=True))
    notes: list[str] = []
    notify = app.notify
    app.notify = lambda message, **kw: (notes.append(message), notify(message, **kw))[1]
    async with app.run_test(size=(80, 24)) as pilot:
        await create(pilot)
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("enter")  # "Keep it" is focused
        await settle(pilot)
        assert not isinstance(app.screen, CopyOnceScreen | ConfirmScreen)
    (account,) = accounts_named(app, NAME)
    assert len(live_keys(app, account["id"])) == 1
    assert any(f"Kept: service account {NAME} holds a key nobody received" in n for n in notes)


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


async def test_a_minted_key_never_received_names_the_key_and_its_account(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ "Mint a new key" on an existing account, the answer lost: the key nobody received is
    named, and deleting the account (the only way to revoke it) is offered."""
    from orgtui.core.actions import SERVICE_ACCOUNT
    from orgtui.ui.dispatch import ActionContext
    from orgtui.ui.features.keys.create import MintKeyScreen

    Terminal().install(monkeypatch)
    app = build_app_with(lambda sb: DropCreate(sb, "/api_keys", after=True))
    async with app.run_test(size=(100, 30)) as pilot:
        pid = await goto_project(pilot, "search-prod")
        view = app.session.snapshot.project(pid)
        account = next(
            a for a in view.get("service_accounts") or () if a.id.startswith("svc_acct_GiB")
        )
        app.start_action(
            "service_account.mint",
            ActionContext(scope=SERVICE_ACCOUNT, project_id=pid, item=account),
        )
        form = await wait_for_screen(pilot, MintKeyScreen)
        field = form.query_one("#name", LabelledInput)
        field.input.value = "search-prod-lost"
        field.input.focus()
        await pilot.press("enter")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        body = " ".join(body_of(confirm).split())
        assert "a key named search-prod-lost (sk-" in body
        assert f"on the service account {account.name}" in body
        assert "its other keys go with it" in body
        await pilot.press("tab", "enter")  # "Delete the account"
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen | MintKeyScreen)
    assert live_keys(app, account.id) == []
    gone = app.extra_sandbox.store.query(
        "SELECT deleted_at FROM service_accounts WHERE id = ?", (account.id,)
    )
    assert gone and gone[0]["deleted_at"] is not None
