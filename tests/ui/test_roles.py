"""The Roles screen (`O`): predefined and custom organisation roles, permissions by area;
create, edit and delete custom roles with the permission picker; predefined ones are
read-only; read-only mode refuses before any form."""

from __future__ import annotations

import json
from typing import Any

from test_members_support import last_note, notes, store, type_text
from test_members_support import settle as support_settle
from textual.widgets import SelectionList

from orgtui.ui.features.access.role_form import RoleForm
from orgtui.ui.features.access.roles_screen import RolesScreen, RolesTable
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput


async def settle(pilot: Any) -> None:
    await support_settle(pilot, rounds=6)


async def open_roles(pilot: Any) -> RolesScreen:
    await settle(pilot)
    await pilot.press("P")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RolesScreen) and screen.loaded
    return screen


def select(screen: RolesScreen, name: str) -> None:
    table = screen.query_one(RolesTable)
    key = next(r.key for r in table.rows if r.item.name == name)
    assert table.select_key(key)


def custom_roles(app: Any) -> dict[str, list[str]]:
    rows = store(app).query("SELECT name, permissions FROM roles WHERE project_id IS NULL")
    return {r["name"]: json.loads(r["permissions"]) for r in rows}


async def test_roles_and_permissions_by_area(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_roles(pilot)
        names = [r.item.name for r in screen.query_one(RolesTable).rows]
        assert names == ["owner", "reader", "Group manager"]
        select(screen, "Group manager")
        await settle(pilot)
        shown = str(screen.query_one("#role-permissions").render())
        assert "api.groups  read, write" in shown and "custom" in shown
        select(screen, "owner")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is screen  # predefined: no form
        assert "owner is a predefined role: it is read-only." in last_note(app)


async def test_create_edit_delete_a_custom_role(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_roles(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RoleForm)
        perms = form.query_one(SelectionList)
        vocabulary = [perms.get_option_at_index(i).value for i in range(perms.option_count)]
        assert "api.groups.write" in vocabulary and len(vocabulary) == 16
        form.query_one("#role-name", LabelledInput).input.focus()
        await type_text(pilot, "Auditor")
        await pilot.press("enter")  # no permission chosen yet: refused
        await settle(pilot)
        assert app.screen is form
        assert "Choose at least one permission" in str(form.query_one("#form-error").render())
        perms.select("api.organization.audit_logs.read")
        perms.select("api.organization.users.read")
        form.query_one("#role-name", LabelledInput).input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert custom_roles(app)["Auditor"] == [
            "api.organization.users.read",
            "api.organization.audit_logs.read",
        ]
        assert "Created role Auditor (2 permissions)" in last_note(app)
        assert screen.query_one(RolesTable).current.item.name == "Auditor"

        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RoleForm)
        form.query_one(SelectionList).deselect("api.organization.users.read")
        form.query_one("#role-name", LabelledInput).input.value = "Audit reader"
        form.query_one("#role-name", LabelledInput).input.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert custom_roles(app)["Audit reader"] == ["api.organization.audit_logs.read"]

        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert app.focused is dialog.query_one("#cancel")
        await pilot.click("#confirm-button")
        await settle(pilot)
        assert "Audit reader" not in custom_roles(app)
        assert "Deleted role Audit reader" in last_note(app)


async def test_read_only_refuses_before_any_form(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_roles(pilot)
        select(screen, "Group manager")
        for key in ("n", "e", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen, key
        assert any("not allowed" in n for n in notes(app))
        assert set(custom_roles(app)) == {"Group manager"}
