"""Keys you can tell apart: the keys table's name/value/id, `enter` for a key's details, and
`y` yanking the focused object's id on every list."""

from __future__ import annotations

from typing import Any

import pytest
from test_keys_support import (
    Terminal,
    build_app,
    goto_project,
    key_by_name,
    settle,
    wait_for_screen,
)

from orgtui.ui.features.keys.details import KeyDetailsScreen
from orgtui.ui.features.keys.rotate import RotationWizard
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.org_tree import NodeRef
from tests import pilot_support


def shown(screen: Any) -> str:
    return " ".join(str(w.render()) for w in screen.query("Static"))


async def focus_keys(pilot: Any, project: str = "search-prod") -> tuple[str, Any]:
    pid = await goto_project(pilot, project)
    table = pilot.app.screen.query_one("KeysTable")
    table.focus()
    await settle(pilot)
    return pid, table


async def until(pilot: Any, check: Any, rounds: int = 60) -> None:
    await pilot_support.wait_until(pilot, check)


def row_text(table: Any, index: int) -> str:
    return " ".join(c.plain if hasattr(c, "plain") else str(c) for c in table.rows[index].cells)


async def test_wide_table_shows_account_key_name_value_and_id() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        pid, table = await focus_keys(pilot)
        key = key_by_name(app, pid, "search-reranker")
        index = next(i for i, r in enumerate(table.rows) if r.key == key.id)
        text = row_text(table, index)
        assert text.startswith("search-api · search-reranker")
        assert key.redacted_value in text and key.id in text
        labels = [table.columns[i].label for i, _ in table.column_layout(table.size.width)]
        assert labels[:3] == ["Name", "Key", "ID"]


async def test_narrow_table_keeps_name_and_value() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await focus_keys(pilot)
        labels = [table.columns[i].label for i, _ in table.column_layout(table.size.width)]
        assert labels[:2] == ["Name", "Key"]


async def test_enter_opens_key_details_with_usage_and_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Terminal().install(monkeypatch)
    app = build_app()
    async with app.run_test(size=(100, 40)) as pilot:
        pid, table = await focus_keys(pilot)
        key = key_by_name(app, pid, "search-reranker")
        table.cursor = next(i for i, r in enumerate(table.rows) if r.key == key.id)
        await pilot.press("enter")
        details = await wait_for_screen(pilot, KeyDetailsScreen)
        await until(pilot, lambda: details.loaded)
        await pilot.pause()
        text = shown(details)
        for fact in (key.id, key.redacted_value, "service account search-api", "search-prod"):
            assert fact in text
        assert "Created" in text and "Last used" in text
        assert "Requests" in text and "today " in text and "this month" in text
        assert "reading" not in text and "Cost" in text and "$" in text
        await pilot.press("y")
        await until(pilot, lambda: key.id in terminal.copied())
        await pilot.press("o")  # rotate: the wizard, on this key
        wizard = await wait_for_screen(pilot, RotationWizard)
        assert wizard.key.id == key.id
        await pilot.press("escape")
        await settle(pilot)
        table.focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, KeyDetailsScreen)
        await pilot.press("d")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        assert key.name in shown(confirm)
        await pilot.press("escape")
        await settle(pilot)
        table.focus()
        await pilot.press("enter")
        await wait_for_screen(pilot, KeyDetailsScreen)
        await pilot.press("a")  # the audit log, filtered to this key
        await until(pilot, lambda: type(app.screen).__name__ == "AuditScreen")


@pytest.mark.parametrize(
    ("node", "table_name"),
    [
        ("keys", "KeysTable"),
        ("accounts", "ServiceAccountsTable"),
        ("members", "ProjectMembersTable"),
        ("projects", "ProjectsTable"),
        ("invites", "InvitesTable"),
    ],
)
async def test_y_yanks_the_focused_id_on_every_list(
    monkeypatch: pytest.MonkeyPatch, node: str, table_name: str
) -> None:
    terminal = Terminal({"TMUX": "/nonexistent/orgtui-test,1,0"}).install(monkeypatch)
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main = app.screen
        if node in ("keys", "accounts", "members"):
            await goto_project(pilot, "search-prod")
            await pilot.press("enter", {"keys": "1", "accounts": "2", "members": "3"}[node])
        else:
            main.tree.select_ref(NodeRef(app.session.profile.name, node))
            await settle(pilot)
            await pilot.press("enter")
        await settle(pilot)
        table = next(iter(main.query(table_name)), None)
        assert table is not None, f"no {table_name} on screen"
        assert app.screen.focused is table
        row = table.current
        assert row is not None
        await pilot.press("y")
        ident = getattr(row.item, "id", row.key)
        await until(pilot, lambda: ident in terminal.copied())
        # Inside tmux without a tmux binary: the plain form and the wrapped one.
        assert any(w.startswith("\x1b]52;c;") for w in terminal.written)
        assert any(w.startswith("\x1bPtmux;") or "\x1bPtmux;" in w for w in terminal.written)
