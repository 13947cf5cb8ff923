"""The Groups screen (`W`): groups and members from the sandbox; create, rename and delete
groups, add members with a picker that filters as you type, remove them (confirmed); read-only
refuses before any form."""

from __future__ import annotations

from typing import Any

from test_members_support import last_note, notes, store, type_text
from test_members_support import settle as support_settle
from textual.widgets import Input, OptionList

from orgtui.ui.features.access.forms import GroupNameForm, MemberPicker
from orgtui.ui.features.access.groups_screen import GroupMembersTable, GroupsScreen, GroupsTable
from orgtui.ui.widgets.confirm import ConfirmScreen


async def settle(pilot: Any) -> None:
    """Sync and the screen's loads finish; action workers may wait on a dialog (not waited)."""
    await support_settle(pilot, rounds=6)


async def open_groups(pilot: Any) -> GroupsScreen:
    await settle(pilot)
    await pilot.press("W")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, GroupsScreen)
    assert screen.loaded
    return screen


def names(screen: GroupsScreen) -> list[str]:
    return [row.item.group.name for row in screen.query_one(GroupsTable).rows]


def members(screen: GroupsScreen) -> list[str]:
    return [row.item.name for row in screen.query_one(GroupMembersTable).rows]


def stored_groups(app: Any) -> dict[str, str]:
    return {r["name"]: r["id"] for r in store(app).query("SELECT id, name FROM groups")}


async def test_groups_and_their_members(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_groups(pilot)
        assert names(screen) == ["Search team", "Support team", "Data team"]
        table = screen.query_one(GroupsTable)
        support = next(r for r in table.rows if r.item.group.name == "Support team")
        assert support.cells[1] == "6" and "Group manager" in support.cells[2].plain
        table.select_key(support.key)
        await settle(pilot)
        assert "Radia Perlman" in members(screen) and len(members(screen)) == 6


async def test_create_rename_add_remove_delete(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_groups(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GroupNameForm)
        await pilot.press("enter")  # empty: refused beside the field
        await settle(pilot)
        assert app.screen is form
        await type_text(pilot, "Oncall")
        await pilot.press("enter")
        await settle(pilot)
        assert "Oncall" in stored_groups(app)
        assert screen.query_one(GroupsTable).current.item.group.name == "Oncall"

        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, GroupNameForm)
        form.query_one(Input).value = "Oncall rota"
        await pilot.press("enter")
        await settle(pilot)
        assert "Oncall rota" in stored_groups(app) and "Oncall" not in stored_groups(app)
        gid = stored_groups(app)["Oncall rota"]

        await pilot.press("plus")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, MemberPicker)
        assert picker.query_one(OptionList).option_count == 24
        await type_text(pilot, "lamarr")
        assert [u.name for u in picker.shown] == ["Hedy Lamarr"]
        assert "1 of 24 organisation members" in str(picker.query_one("#pick-note").render())
        await pilot.press("enter")
        await settle(pilot)
        assert "Added Hedy Lamarr to the group" in last_note(app)
        assert members(screen) == ["Hedy Lamarr"]
        stored = store(app).query("SELECT user_id FROM group_users WHERE group_id = ?", (gid,))
        assert len(stored) == 1

        screen.query_one(GroupMembersTable).focus()
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert app.focused is dialog.query_one("#cancel")
        await pilot.press("d")  # the opening key does not confirm
        assert app.screen is dialog
        await pilot.click("#confirm-button")
        await settle(pilot)
        assert members(screen) == []
        assert not store(app).query("SELECT 1 FROM group_users WHERE group_id = ?", (gid,))

        screen.query_one(GroupsTable).focus()
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-button")
        await settle(pilot)
        assert "Oncall rota" not in stored_groups(app)
        assert "Oncall rota" not in names(screen)
        assert "Deleted group Oncall rota" in last_note(app)


async def test_read_only_refuses_before_any_form(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_groups(pilot)
        for key in ("n", "e", "d", "plus"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen, key
        assert any("not allowed" in n for n in notes(app))
        assert len(stored_groups(app)) == 3


async def test_give_and_take_an_org_role(make_app: Any) -> None:
    from textual.widgets import OptionList

    from orgtui.ui.features.access.forms import ChoicePicker

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_groups(pilot)
        table = screen.query_one(GroupsTable)
        data = next(r for r in table.rows if r.item.group.name == "Data team")
        table.select_key(data.key)
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ChoicePicker)
        offered = [value for value, _ in picker.choices]
        assert offered == ["role_org_owner", "role_org_reader", stored_role(app, "Group manager")]
        picker.query_one(OptionList).highlighted = 2
        await pilot.press("enter")
        await settle(pilot)
        assert "Data team now holds the role Group manager" in last_note(app)
        assert held_roles(app, data.key) == [stored_role(app, "Group manager")]
        assert "Group manager" in table.current.cells[2].plain

        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ChoicePicker)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert app.focused is dialog.query_one("#cancel")
        await pilot.click("#confirm-button")
        await settle(pilot)
        assert held_roles(app, data.key) == []
        assert "Took the role Group manager from the group" in last_note(app)


def stored_role(app: Any, name: str) -> str:
    return str(store(app).scalar("SELECT id FROM roles WHERE name = ?", (name,)))


def held_roles(app: Any, gid: str) -> list[str]:
    rows = store(app).query(
        "SELECT role_id FROM role_assignments WHERE principal_type = 'group'"
        " AND principal_id = ? AND project_id = ''",
        (gid,),
    )
    return [r["role_id"] for r in rows]


async def test_a_group_says_what_it_gives_in_projects(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_groups(pilot)
        table = screen.query_one(GroupsTable)
        for name, says in (
            ("Search team", "Projects: search-prod: Key keeper"),
            ("Data team", "Projects: search-dev: member"),
            ("Support team", "Projects: none"),
        ):
            table.select_key(next(r.key for r in table.rows if r.item.group.name == name))
            await settle(pilot)
            assert str(screen.query_one("#group-projects").render()).strip() == says
