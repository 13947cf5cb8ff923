"""Navigation: tree, enter/back, tabs, filter, jump, archived toggle, several organisations."""

from __future__ import annotations

from typing import Any

from conftest import make_connection, settle
from snapshot_scenes import FROZEN_NOW, new_sandbox, project_id_by_name

from orgtui.config import Profile
from orgtui.core.clock import FrozenClock
from orgtui.ui.features.projects.detail_pane import ProjectDetail
from orgtui.ui.features.shell.jump_screen import rank
from orgtui.ui.widgets.org_tree import NodeRef, OrgTree
from orgtui.ui.widgets.tables import KeysTable, ProjectsTable, ServiceAccountsTable


def tree_of(app: Any) -> OrgTree:
    return app.screen.query_one(OrgTree)


async def test_tree_moves_with_vi_keys_and_arrows(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        tree = tree_of(app)
        await pilot.press("j")
        assert tree.current == NodeRef("demo", "projects")
        await pilot.press("down")
        assert tree.current.kind == "project"
        assert tree.current.project_id == project_id_by_name(app, "Default project")
        await pilot.press("k", "up")
        assert tree.current == NodeRef("demo", "org")


async def test_enter_opens_detail_and_escape_or_minus_goes_back(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "j", "enter")
        await settle(pilot, app)
        assert isinstance(app.screen.focused, KeysTable)
        await pilot.press("escape")
        assert app.screen.focused is tree_of(app)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen.focused, KeysTable)
        await pilot.press("minus")
        assert app.screen.focused is tree_of(app)


async def test_tabs_switch_with_arrows_and_digits(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "j", "enter")
        await settle(pilot, app)
        await pilot.press("right")
        await settle(pilot, app)
        assert isinstance(app.screen.focused, ServiceAccountsTable)
        await pilot.press("left")
        await settle(pilot, app)
        assert isinstance(app.screen.focused, KeysTable)
        await pilot.press("5")
        await settle(pilot, app)
        detail = app.screen.query_one(ProjectDetail)
        assert detail.query_one("#project-tabs").active == "tab-rate-limits"


async def test_filter_tree_as_you_type_and_escape_clears(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        tree = tree_of(app)
        await pilot.press("slash", "S", "u", "P")  # case-insensitive
        await settle(pilot, app)
        shown = [n.data.project_id for n in tree._ref_nodes[NodeRef("demo", "projects")].children]
        assert shown == [
            project_id_by_name(app, "support-bot-prod"),
            project_id_by_name(app, "support-bot-dev"),
        ]
        await pilot.press("enter")  # keep the filter, back to the tree
        assert app.screen.focused is tree
        assert tree.filter_text == "sup"
        await pilot.press("escape")  # clears it
        assert tree.filter_text == ""
        assert len(tree._ref_nodes[NodeRef("demo", "projects")].children) == 6


async def test_filter_keys_table_substring(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.main_screen_goto("demo", project_id_by_name(app, "search-prod"))
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        table = app.screen.query_one(KeysTable)
        total = len(table.rows)
        await pilot.press("slash", "R", "E", "R", "A")
        await settle(pilot, app)
        names = [row.cells[0].plain for row in table.rows]
        assert names and all("rera" in name.lower() for name in names)
        assert len(table.rows) < total
        await pilot.press("escape")  # in the filter line: clears and closes
        assert len(table.rows) == total
        assert app.screen.focused is table
        assert not app.screen.filter_bar.is_open


async def test_jump_selects_project_by_fuzzy_name(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("colon")
        await settle(pilot, app)
        for ch in "spbd":  # fuzzy: s..p..b..d -> support-bot-dev
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.id == "main"
        assert tree_of(app).current.project_id == project_id_by_name(app, "support-bot-dev")


async def test_jump_to_archived_project_shows_archived(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("colon")
        for ch in "experiment":
            await pilot.press(ch)
        await pilot.press("enter")
        await settle(pilot, app)
        tree = tree_of(app)
        assert tree.show_archived
        assert tree.current.project_id == project_id_by_name(app, "experiment-2025")


def test_rank_orders_exact_prefix_substring_fuzzy() -> None:
    names = [
        (("p", str(i)), name, False)
        for i, name in enumerate(["data-pipeline", "search-dev", "dev", "devtools", "xdxexv"])
    ]
    ranked = [name for _, name, _ in rank("dev", names)]
    assert ranked == ["dev", "devtools", "search-dev", "xdxexv"]


async def test_toggle_archived_shows_them_dimmed(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        tree = tree_of(app)
        pid = project_id_by_name(app, "experiment-2025")
        assert NodeRef("demo", "project", pid) not in tree._ref_nodes
        await pilot.press("A")
        await settle(pilot, app)
        node = tree._ref_nodes[NodeRef("demo", "project", pid)]
        assert "(archived)" in node.label.plain
        assert "dim" in str(node.label.spans[0].style)
        await pilot.press("A")
        await settle(pilot, app)
        assert NodeRef("demo", "project", pid) not in tree._ref_nodes


async def test_projects_node_lists_projects_and_enter_opens_one(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("j", "enter")
        await settle(pilot, app)
        table = app.screen.query_one(ProjectsTable)
        assert app.screen.focused is table
        assert len(table.rows) == 7
        await pilot.press("j", "enter")
        await settle(pilot, app)
        assert tree_of(app).current.project_id == table.rows[1].key


async def test_several_organisations_get_one_root_each(tmp_path: Any) -> None:
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    first = make_connection(new_sandbox(clock))
    second_profile = Profile(
        name="staging", base_url="http://sandbox/v1", org_name="Empty Org (staging)"
    )
    second = make_connection(new_sandbox(clock, demo=False), profile=second_profile)
    app = OrgTuiApp([first, second], clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        tree = tree_of(app)
        roots = [node.data for node in tree.root.children]
        assert roots == [NodeRef("demo", "org"), NodeRef("staging", "org")]
        assert len(app.sessions[1].snapshot.projects) == 1
        tree.select_ref(NodeRef("staging", "members"))
        await settle(pilot, app)
        assert app.session.profile.name == "staging"
        header = app.screen.query_one("ConsoleHeader").render().plain
        assert "Empty Org (staging)" in header and "(2 of 2)" in header
        tree.select_ref(NodeRef("demo", "org"))
        await settle(pilot, app)
        assert app.session.profile.name == "demo"


async def test_jump_finds_keys_and_accounts_across_projects(make_app: Any) -> None:
    """`:` finds a key by name, id or the last characters of its redacted value, and a
    service account by name or id, in any loaded project, and goes to it."""
    from orgtui.ui.features.projects.detail_pane import ProjectDetail
    from orgtui.ui.features.shell.jump_screen import JumpScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        snapshot = app.session.snapshot
        view = next(v for v in snapshot.projects.values() if v.project.name == "support-bot-prod")
        key = next(k for k in view.get("api_keys") or () if k.redacted_value)
        account = next(iter(view.get("service_accounts") or ()))
        suffix = key.redacted_value[-4:]
        for query, kind, object_id, tab in (
            (suffix, "api_key", key.id, "tab-keys"),
            (key.id, "api_key", key.id, "tab-keys"),
            (key.name, "api_key", key.id, "tab-keys"),
            (account.id, "service_account", account.id, "tab-accounts"),
        ):
            app.screen.tree.focus()  # from the tree, anywhere in the organisation
            await pilot.press("colon")
            await settle(pilot, app)
            jump = app.screen
            assert isinstance(jump, JumpScreen)
            jump.query_one("#jump-input").value = query
            await pilot.pause()
            top = jump.ranked(query)[0][0]
            assert top[1:3] == (kind, object_id), query
            await pilot.press("enter")
            await settle(pilot, app)
            for _ in range(50):
                current = getattr(app.focused, "current", None)
                if current is not None and current.key == object_id:
                    break
                await pilot.pause(0.02)
            detail = app.screen.query_one(ProjectDetail)
            assert detail.project_id == view.id
            assert app.focused.id == f"{tab}-table"
            assert app.focused.current.key == object_id


def test_projects_pane_builds_from_nothing_before_the_projects_load() -> None:
    # The pane hands its builder an empty list while the projects are not loaded yet; a
    # keypress that early raised AttributeError ('list' object has no attribute 'values').
    from orgtui.ui.widgets.detail import _project_rows

    assert _project_rows([]) == []
