"""Read-only mode: every mutating key action is refused from its key binding, before any form."""

from __future__ import annotations

from typing import Any

import pytest
from test_keys_support import build_app, goto_project, settle

from orgtui.ui.features.shell.main_screen import MainScreen


def counts(sandbox: Any) -> tuple[int, int, int]:
    def n(table: str) -> int:
        sql = f"SELECT count(*) AS n FROM {table} WHERE deleted_at IS NULL"
        return sandbox.store.query(sql)[0]["n"]

    return n("service_accounts"), n("api_keys"), n("admin_keys")


async def press_and_expect_refusal(pilot: Any, key: str, label: str) -> None:
    app = pilot.app
    app.clear_notifications()
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(app.screen, MainScreen), f"{key!r} opened {app.screen!r}"
    messages = [n.message for n in app._notifications]
    assert any(m.startswith(f"{label} is not allowed") for m in messages), (key, messages)


@pytest.mark.parametrize(
    ("tab", "key", "label", "focus"),
    [
        (None, "n", "New key", "tree"),
        (1, "n", "New key", "keys table"),
        (1, "d", "Delete key", "keys table"),
        (1, "o", "Rotate key", "keys table"),
        (2, "n", "New key for account", "accounts table"),
        (2, "e", "Change role", "accounts table"),
        (2, "d", "Delete account", "accounts table"),
    ],
)
async def test_project_key_actions_refused(
    tab: int | None, key: str, label: str, focus: str
) -> None:
    app = build_app(read_only=True)
    before = counts(app.extra_sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await goto_project(pilot, "search-prod")
        if tab is not None:
            await pilot.press("enter", str(tab))
            await settle(pilot)
            table = app.screen.focused
            assert table is not None and type(table).__name__ in (
                "KeysTable",
                "ServiceAccountsTable",
            ), focus
            assert table.current is not None
        await press_and_expect_refusal(pilot, key, label)
    assert counts(app.extra_sandbox) == before


@pytest.mark.parametrize(("key", "label"), [("n", "New admin key"), ("d", "Delete admin key")])
async def test_admin_key_actions_refused(key: str, label: str) -> None:
    from orgtui.ui.widgets.org_tree import ADMIN_KEYS, NodeRef

    app = build_app(read_only=True)
    before = counts(app.extra_sandbox)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.tree.select_ref(NodeRef(app.session.profile.name, ADMIN_KEYS))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen.focused).__name__ == "AdminKeysTable"
        await press_and_expect_refusal(pilot, key, label)
    assert counts(app.extra_sandbox) == before


@pytest.mark.parametrize(
    ("tab", "key", "screen"),
    [
        (None, "n", "KeyCreateScreen"),
        (1, "d", "ConfirmScreen"),
        (1, "o", "RotationWizard"),
        (2, "n", "MintKeyScreen"),
        (2, "e", "AccountRoleScreen"),
        (2, "d", "ConfirmScreen"),
    ],
)
async def test_same_keys_open_their_screens_when_writable(
    tab: int | None, key: str, screen: str
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await goto_project(pilot, "search-prod")
        if tab is not None:
            await pilot.press("enter", str(tab))
            await settle(pilot)
        await pilot.press(key)
        for _ in range(40):
            if type(app.screen).__name__ == screen:
                break
            await pilot.pause(0.05)
        assert type(app.screen).__name__ == screen
        await pilot.press("escape")
