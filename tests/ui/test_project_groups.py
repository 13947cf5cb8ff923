"""A project's Groups tab, the project roles screen, the tree's Groups and Roles nodes, direct
role assignments of members, and "what they can do, and why" (`w`), driven as a user would:
what the screen shows and what the sandbox holds afterwards; read-only refuses before any
dialog; removing access is confirmed."""

from __future__ import annotations

from typing import Any

from test_members_support import (
    ADA,
    goto_node,
    goto_project_tab,
    last_note,
    notes,
    project,
    store,
    type_text,
    user,
)
from test_members_support import settle as support_settle
from textual.widgets import OptionList, SelectionList

from orgtui.ui.features.access.explain_screen import ExplainScreen, ExplainTable
from orgtui.ui.features.access.forms import ChoicePicker
from orgtui.ui.features.access.groups_screen import GroupsScreen
from orgtui.ui.features.access.project_groups import ProjectGroupsPanel
from orgtui.ui.features.access.project_roles_screen import ProjectRolesScreen, ProjectRolesTable
from orgtui.ui.features.access.role_form import RoleForm
from orgtui.ui.features.access.roles_screen import RolesScreen
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput
from orgtui.ui.widgets.org_tree import GROUPS, ROLES


async def settle(pilot: Any) -> None:
    await support_settle(pilot, rounds=6)


async def open_groups_tab(pilot: Any, name: str) -> ProjectGroupsPanel:
    await goto_project_tab(pilot, name, 7)
    panel = pilot.app.screen.query_one(ProjectGroupsPanel)
    assert panel.loaded and panel.project_id == project(pilot.app, name).id
    return panel


def rows(panel: ProjectGroupsPanel) -> dict[str, str]:
    return {r.item.name: r.cells[1].plain for r in panel.table.rows}


def group_roles_in_store(app: Any, pname: str) -> set[tuple[str, str]]:
    found = store(app).query(
        "SELECT g.name AS g, r.role_id AS r FROM role_assignments r JOIN groups g"
        " ON g.id = r.principal_id WHERE r.principal_type = 'group' AND r.project_id = ?",
        (project(app, pname).id,),
    )
    names = {
        r["id"]: r["name"]
        for r in store(app).query("SELECT id, name FROM roles")
        + [{"id": "role_project_member", "name": "member"}]
        + [{"id": "role_project_owner", "name": "owner"}]
    }
    return {(r["g"], names.get(r["r"], r["r"])) for r in found}


async def pick(pilot: Any, label: str) -> None:
    picker = pilot.app.screen
    assert isinstance(picker, ChoicePicker), picker
    options = picker.query_one(OptionList)
    index = next(
        i
        for i in range(options.option_count)
        if label in str(options.get_option_at_index(i).prompt)
    )
    options.highlighted = index
    await pilot.press("enter")
    await settle(pilot)


async def confirm(pilot: Any) -> None:
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press("tab", "enter")  # the safe button has focus first
    await settle(pilot)


async def test_the_groups_tab_lists_groups_with_their_project_roles(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_groups_tab(pilot, "search-prod")
        assert rows(panel) == {"Search team": "Key keeper"}
        panel = await open_groups_tab(pilot, "search-dev")
        assert rows(panel) == {"Data team": "member"}


async def test_add_a_group_give_and_take_a_role_then_remove_it(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        panel = await open_groups_tab(pilot, "search-prod")
        await pilot.press("plus")
        await settle(pilot)
        await pick(pilot, "Support team")
        await pick(pilot, "member")
        assert ("Support team", "member") in group_roles_in_store(app, "search-prod")
        assert rows(panel)["Support team"] == "member"
        assert panel.table.current.item.name == "Support team"

        await pilot.press("g")
        await settle(pilot)
        await pick(pilot, "Key keeper")
        assert rows(panel)["Support team"] == "member, Key keeper"

        await pilot.press("x")
        await settle(pilot)
        await pick(pilot, "Key keeper")
        await confirm(pilot)
        assert ("Support team", "Key keeper") not in group_roles_in_store(app, "search-prod")

        await pilot.press("d")
        await settle(pilot)
        await pilot.press("escape")  # cancelled: nothing changes
        await settle(pilot)
        assert "Support team" in rows(panel)
        await pilot.press("d")
        await settle(pilot)
        await confirm(pilot)
        assert "Support team" not in rows(panel)
        assert not any(g == "Support team" for g, _ in group_roles_in_store(app, "search-prod"))
        assert "Removed Support team from the project" in last_note(app)


async def test_project_roles_create_edit_delete_predefined_read_only(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await open_groups_tab(pilot, "search-prod")
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectRolesScreen) and screen.loaded
        table = screen.query_one(ProjectRolesTable)
        assert [r.item.name for r in table.rows] == ["owner", "member", "Key keeper"]
        table.select_key(table.rows[0].key)  # owner: predefined
        await pilot.press("e")
        await settle(pilot)
        assert app.screen is screen and "read-only" in last_note(app)

        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RoleForm)
        perms = form.query_one(SelectionList)
        vocabulary = [perms.get_option_at_index(i).value for i in range(perms.option_count)]
        assert "api.organization.projects.api_keys.read" in vocabulary
        assert "api.groups.write" not in vocabulary  # an org permission: not for a project role
        perms.select("api.organization.projects.api_keys.read")
        form.query_one("#role-name", LabelledInput).input.focus()
        await type_text(pilot, "Key reader")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        stored = store(app).one("SELECT * FROM roles WHERE name = 'Key reader'")
        assert stored is not None and stored["project_id"] == project(app, "search-prod").id
        assert "Key reader" in [r.item.name for r in table.rows]

        table.select_key(stored["id"])
        # renamed elsewhere since the list was read: the form opens on what the API holds now
        store(app).execute("UPDATE roles SET name = 'Key reader 2' WHERE id = ?", (stored["id"],))
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RoleForm)
        assert form.query_one("#role-name", LabelledInput).input.value == "Key reader 2"
        form.query_one("#role-name", LabelledInput).input.value = "Key auditor"
        form.query_one("#role-name", LabelledInput).input.focus()
        await pilot.press("enter")
        await settle(pilot)
        renamed = store(app).one("SELECT name FROM roles WHERE id = ?", (stored["id"],))
        assert renamed["name"] == "Key auditor"
        await pilot.press("d")
        await settle(pilot)
        await confirm(pilot)
        assert store(app).one("SELECT 1 FROM roles WHERE id = ?", (stored["id"],)) is None


async def test_tree_nodes_open_the_groups_and_roles_screens(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_node(pilot, GROUPS)
        assert isinstance(app.screen, GroupsScreen)
        await pilot.press("escape")
        await settle(pilot)
        await goto_node(pilot, ROLES)
        assert isinstance(app.screen, RolesScreen)


async def test_give_and_take_a_custom_org_role_and_see_why(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_node(pilot, "members")
        table = app.screen.query_one("#members-table")
        table.select_key(user(app, ADA).id)
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pick(pilot, "Group manager")
        ada = user(app, ADA).id
        held = store(app).query(
            "SELECT 1 FROM role_assignments WHERE principal_type = 'user' AND principal_id = ?",
            (ada,),
        )
        assert len(held) == 1 and "now holds the role Group manager" in last_note(app)

        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExplainScreen) and screen.loaded
        cells = [
            [c.plain if hasattr(c, "plain") else c for c in r.cells]
            for r in screen.query_one(ExplainTable).rows
        ]
        assert ["Organisation", "Group manager *", "direct", "2"] in cells
        assert any(c[0] == "search-prod" and c[2] == "via group Search team" for c in cells)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("x")
        await settle(pilot)
        await pick(pilot, "Group manager")
        await confirm(pilot)
        assert not store(app).query(
            "SELECT 1 FROM role_assignments WHERE principal_type = 'user' AND principal_id = ?",
            (ada,),
        )


async def test_what_a_group_gives_from_the_groups_screen(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        await pilot.press("w")  # the first group: Search team
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExplainScreen) and screen.loaded
        plain = [
            [c.plain if hasattr(c, "plain") else c for c in r.cells]
            for r in screen.query_one(ExplainTable).rows
        ]
        assert [c[:2] for c in plain] == [["search-prod", "Key keeper *"]]


async def test_read_only_refuses_before_any_dialog(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_groups_tab(pilot, "search-prod")
        before = group_roles_in_store(app, "search-prod")
        for key in ("plus", "d", "g", "x"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, (ChoicePicker, ConfirmScreen))
        assert group_roles_in_store(app, "search-prod") == before
        assert any("not allowed" in n for n in notes(app))


async def test_give_a_custom_project_role_to_a_project_member(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_project_tab(pilot, "search-prod", 3)
        ada = user(app, ADA).id
        table = app.screen.query_one("#tab-members-table")
        table.select_key(ada)
        table.focus()
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await pick(pilot, "Key keeper")
        held = store(app).query(
            "SELECT r.name FROM role_assignments a JOIN roles r ON r.id = a.role_id"
            " WHERE a.principal_type = 'user' AND a.principal_id = ? AND a.project_id = ?",
            (ada, project(app, "search-prod").id),
        )
        assert [r["name"] for r in held] == ["Key keeper"]
        assert "now holds the project role Key keeper" in last_note(app)
        await pilot.press("x")
        await settle(pilot)
        await pick(pilot, "Key keeper")
        await confirm(pilot)
        assert not store(app).query(
            "SELECT 1 FROM role_assignments WHERE principal_type = 'user' AND principal_id = ?",
            (ada,),
        )


async def test_a_health_finding_on_a_project_role_opens_the_project_roles(make_app: Any) -> None:
    from orgtui.ui.features.access.actions import reveal_access

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        keeper = store(app).one("SELECT id FROM roles WHERE name = 'Key keeper'")["id"]
        prod = project(app, "search-prod").id
        assert await reveal_access(app, "role", keeper, prod)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProjectRolesScreen) and screen.loaded
        assert screen.query_one(ProjectRolesTable).current.item.name == "Key keeper"


async def test_what_a_group_member_can_do_from_the_groups_screen(make_app: Any) -> None:
    from orgtui.ui.features.access.groups_screen import GroupMembersTable

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("W")
        await settle(pilot)
        await pilot.press("down")  # the Support team
        await settle(pilot)
        members = app.screen.query_one(GroupMembersTable)
        radia = next(r for r in members.rows if r.item.name == "Radia Perlman")
        members.select_key(radia.key)
        members.focus()
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ExplainScreen) and screen.loaded
        assert screen.explanation is not None
        assert screen.explanation.subject == "Radia Perlman"
        org = {r.role: r.sources for r in screen.explanation.reasons if r.project_id is None}
        assert org["Group manager"] == ("direct", "via group Support team")
