"""Deleting keys: typed-name confirmation; a service account's key explains the 400 and offers
to delete the account; admin keys likewise."""

from __future__ import annotations

from typing import Any

from test_keys_support import (
    build_app,
    choose,
    goto_project,
    key_by_name,
    settle,
    wait_for_screen,
)
from textual.widgets import Button, Input

from orgtui.core import actions as A
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.widgets.confirm import ConfirmScreen


async def ask_delete(pilot: Any, project: str, key_name: str) -> tuple[str, Any, ConfirmScreen]:
    app = pilot.app
    pid = await goto_project(pilot, project)
    key = key_by_name(app, pid, key_name)
    app.start_action("key.delete", ActionContext(scope=A.KEY, project_id=pid, item=key))
    return pid, key, await wait_for_screen(pilot, ConfirmScreen)


def text_of(screen: ConfirmScreen) -> str:
    return " ".join(str(s.render()) for s in screen.query("Static"))


async def type_and_submit(pilot: Any, screen: ConfirmScreen, text: str) -> None:
    field = screen.query_one("#confirm-typed", Input)
    field.focus()
    field.value = text
    await pilot.pause()
    await pilot.press("enter")


async def test_user_key_needs_its_name_typed() -> None:
    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        pid, key, confirm = await ask_delete(pilot, "search-prod", "legacy-search-v1")
        shown = text_of(confirm)
        assert "Type legacy-search-v1 to confirm" in shown
        for fact in ("Owner", "user ", "Age", "Last used", "Project access", key.redacted_value):
            assert fact in shown
        assert "rotate it" in shown  # the seeded key is far past 90 days
        # The input is focused (once the dialog has mounted): typing the name is the whole
        # confirmation.
        typed = confirm.query_one("#confirm-typed", Input)
        for _ in range(50):
            if app.screen.focused is typed:
                break
            await pilot.pause()
        assert app.screen.focused is typed
        assert confirm.query_one("#confirm-button", Button).disabled
        await pilot.press(*"legacy-search", "enter")  # not the exact name
        await pilot.pause()
        assert app.screen is confirm
        assert "That is not the name: type legacy-search-v1 exactly" in text_of(confirm)
        await pilot.press(*"-v1")
        await pilot.pause()
        assert "not the name" not in text_of(confirm)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        view = app.session.snapshot.project(pid)
        assert key.id not in {k.id for k in view.get("api_keys") or ()}
        table = app.screen.query_one("KeysTable")
        assert all(row.item.id != key.id for row in table.rows)
    assert (
        sandbox.store.query(
            "SELECT id FROM api_keys WHERE id = ? AND deleted_at IS NULL", (key.id,)
        )
        == []
    )


async def test_cancel_keeps_the_key() -> None:
    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        _, key, _ = await ask_delete(pilot, "search-prod", "ada-debug")
        await pilot.press("enter")  # Cancel is focused: the key that started it cannot confirm
        await settle(pilot)
    assert (
        len(
            sandbox.store.query(
                "SELECT id FROM api_keys WHERE id = ? AND deleted_at IS NULL", (key.id,)
            )
        )
        == 1
    )


async def test_service_account_key_offers_account_delete() -> None:
    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        pid, key, confirm = await ask_delete(pilot, "search-prod", "search-reranker")
        sid = key.owner.service_account.id
        account = next(
            a for a in app.session.snapshot.project(pid).get("service_accounts") if a.id == sid
        )
        shown = text_of(confirm)
        assert "Delete the service account instead?" in shown
        assert "cannot delete a service account's key on its own (it answers 400)" in shown
        assert "all its 2 keys" in shown
        assert f"Type {account.name} to confirm" in shown
        await type_and_submit(pilot, confirm, key.name)  # the key's name is not enough
        await pilot.pause()
        assert app.screen is confirm
        await type_and_submit(pilot, confirm, account.name)
        await settle(pilot)
        view = app.session.snapshot.project(pid)
        assert sid not in {a.id for a in view.get("service_accounts") or ()}
        assert not [
            k
            for k in view.get("api_keys") or ()
            if k.owner.service_account and k.owner.service_account.id == sid
        ]
    assert (
        sandbox.store.query(
            "SELECT id FROM service_accounts WHERE id = ? AND deleted_at IS NULL", (sid,)
        )
        == []
    )
    assert (
        sandbox.store.query(
            "SELECT id FROM api_keys WHERE owner_sa_id = ? AND deleted_at IS NULL", (sid,)
        )
        == []
    )


async def test_delete_service_account_from_its_table() -> None:
    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        pid = await goto_project(pilot, "search-dev")
        view = app.session.snapshot.project(pid)
        account = view.get("service_accounts")[0]
        ctx = ActionContext(scope=A.SERVICE_ACCOUNT, project_id=pid, item=account)
        app.start_action("service_account.delete", ctx)
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert "Delete service account" in text_of(confirm)
        await type_and_submit(pilot, confirm, account.name)
        await settle(pilot)
    assert (
        sandbox.store.query(
            "SELECT id FROM service_accounts WHERE id = ? AND deleted_at IS NULL", (account.id,)
        )
        == []
    )


async def test_change_service_account_role() -> None:

    from orgtui.ui.features.keys.create import AccountRoleScreen

    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        pid = await goto_project(pilot, "search-dev")
        account = app.session.snapshot.project(pid).get("service_accounts")[0]
        assert account.role == "member"
        ctx = ActionContext(scope=A.SERVICE_ACCOUNT, project_id=pid, item=account)
        app.start_action("service_account.role", ctx)
        form = await wait_for_screen(pilot, AccountRoleScreen)
        await choose(pilot, form, "#role", "#role-owner")
        form.query_one("#submit", Button).press()
        await settle(pilot)
        assert not isinstance(app.screen, AccountRoleScreen)
    (row,) = sandbox.store.query("SELECT role FROM service_accounts WHERE id = ?", (account.id,))
    assert row["role"] == "owner"


async def test_typed_confirmation_escape_cancels_with_the_input_focused() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pid, key, confirm = await ask_delete(pilot, "search-prod", "legacy-search-v1")
        await pilot.press("enter")  # nothing typed yet: said, not confirmed
        await pilot.pause()
        assert app.screen is confirm and "Type the name first" in text_of(confirm)
        await pilot.press(*"legacy")
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        view = app.session.snapshot.project(pid)
        assert key.id in {k.id for k in view.get("api_keys") or ()}
