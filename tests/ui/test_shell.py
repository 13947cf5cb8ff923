"""The console shell against the sandbox: start-up, header, tabs, read-only, offline, cache."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import make_connection, notes, plain, settle
from snapshot_scenes import (
    Unreachable,
    connect,
    corrupt_cache,
    prefill_cache_async,
    project_id_by_name,
)

from orgtui.ui import themes
from orgtui.ui.features.projects.detail_pane import ProjectDetail
from orgtui.ui.widgets.detail import DetailPane, OrgSummary
from orgtui.ui.widgets.header import ConsoleHeader
from orgtui.ui.widgets.org_tree import NodeRef, OrgTree
from orgtui.ui.widgets.tables import (
    AdminKeysTable,
    InvitesTable,
    KeysTable,
    OrgMembersTable,
    ProjectMembersTable,
    RateLimitsTable,
    ServiceAccountsTable,
)
from tests.pilot_support import palette_lists


def header_text(app: Any) -> str:
    header = app.screen.query_one(ConsoleHeader)
    return header.render().plain


def column(table: Any, index: int) -> list[str]:
    out = []
    for row in table.rows:
        cell = row.cells[index]
        out.append(cell.plain if hasattr(cell, "plain") else str(cell))
    return out


async def open_project(pilot: Any, app: Any, name: str, tab: int = 1) -> ProjectDetail:
    app.main_screen_goto(app.session.profile.name, project_id_by_name(app, name))
    await settle(pilot, app)
    await pilot.press("enter", str(tab))
    await settle(pilot, app)
    return app.screen.query_one(ProjectDetail)


async def test_start_paints_org_then_refreshes(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        tree = app.screen.query_one(OrgTree)
        assert tree.current == NodeRef("demo", "org")
        assert app.screen.query_one(DetailPane).current == "pane-org"
        store = sandbox.store
        active = store.scalar("SELECT count(*) FROM projects WHERE archived_at IS NULL")
        assert len(app.session.snapshot.projects) == store.scalar("SELECT count(*) FROM projects")
        projects_node = tree._ref_nodes[NodeRef("demo", "projects")]
        assert len(projects_node.children) == active  # archived hidden by default
        text = header_text(app)
        assert "Acme Robotics (sandbox)" in text and "demo" in text
        assert "updated just now" in text
        assert "RO" not in text.split()
        summary = app.screen.query_one(OrgSummary).query_one("#org-summary-body")
        assert "active" in plain(summary)


async def test_keys_tab_matches_sandbox(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        detail = await open_project(pilot, app, "search-prod")
        pid = detail.project_id
        table = app.screen.query_one(KeysTable)
        assert app.screen.focused is table
        rows = sandbox.store.query(
            "SELECT name, redacted_value FROM api_keys WHERE project_id = ? AND deleted_at IS NULL",
            (pid,),
        )
        # A service-account key is listed as "<account> · <key name>".
        names = [cell.split(" · ")[-1] for cell in column(table, 0)]
        assert sorted(names) == sorted(r["name"] for r in rows)
        assert sorted(column(table, 1)) == sorted(r["redacted_value"] for r in rows)
        # Old keys carry a visible flag (not only a colour): age past 90 days.
        ages = column(table, 7)
        assert any(a.startswith("! ") for a in ages)
        assert all(a.startswith("! ") == (int(a.strip("! d")) >= 90) for a in ages)


@pytest.mark.parametrize(
    ("tab", "table_cls", "sql", "index"),
    [
        (
            2,
            ServiceAccountsTable,
            "SELECT name FROM service_accounts WHERE project_id = ? AND deleted_at IS NULL",
            0,
        ),
        (
            3,
            ProjectMembersTable,
            "SELECT u.email AS name FROM project_users p JOIN users u ON u.id = p.user_id "
            "WHERE p.project_id = ? AND u.deleted_at IS NULL",
            1,
        ),
        (5, RateLimitsTable, "SELECT model AS name FROM rate_limits WHERE project_id = ?", 0),
    ],
)
async def test_project_tabs_match_sandbox(
    make_app: Any, sandbox: Any, tab: int, table_cls: type, sql: str, index: int
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        detail = await open_project(pilot, app, "search-prod", tab)
        table = app.screen.query_one(table_cls)
        assert app.screen.focused is table
        expected = [r["name"] for r in sandbox.store.query(sql, (detail.project_id,))]
        assert sorted(column(table, index)) == sorted(expected)


async def test_limits_tab_shows_hard_limit_and_alerts(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        detail = await open_project(pilot, app, "search-prod", 4)
        view = app.session.snapshot.project(detail.project_id)
        summary = plain(detail.query_one("#limits-summary"))
        assert "Hard limit" in summary and "Month to date" in summary
        limit = view.get("spend_limit")
        if limit is not None:
            assert f"{limit.threshold_amount // 100:,}" in summary
        alerts = detail.query_one("#tab-limits-table")
        assert len(alerts.rows) == len(view.get("spend_alerts") or [])


@pytest.mark.parametrize(
    ("kind", "table_cls", "sql", "index"),
    [
        ("members", OrgMembersTable, "SELECT email FROM users WHERE deleted_at IS NULL", 1),
        ("invites", InvitesTable, "SELECT email FROM invites WHERE deleted_at IS NULL", 0),
        ("admin_keys", AdminKeysTable, "SELECT name AS email FROM admin_keys", 0),
    ],
)
async def test_org_nodes_match_sandbox(
    make_app: Any, sandbox: Any, kind: str, table_cls: type, sql: str, index: int
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.screen.tree.select_ref(NodeRef("demo", kind))
        await pilot.press("enter")
        await settle(pilot, app)
        table = app.screen.query_one(table_cls)
        assert app.screen.focused is table
        expected = [r["email"] for r in sandbox.store.query(sql)]
        assert sorted(column(table, index)) == sorted(expected)


async def test_refresh_picks_up_a_change_made_in_the_sandbox(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        pid = project_id_by_name(app, "search-dev")
        sandbox.store.set_fields("projects", pid, name="search-dev-renamed-outside")
        await pilot.press("R")
        await settle(pilot, app)
        assert app.session.snapshot.project(pid).project.name == "search-dev-renamed-outside"
        node = app.screen.tree._ref_nodes[NodeRef("demo", "project", pid)]
        assert "search-dev-renamed-outside" in node.label.plain
        # `r` on a project refreshes that project's parts.
        detail = await open_project(pilot, app, "search-dev-renamed-outside")
        key = sandbox.store.one(
            "SELECT id FROM api_keys WHERE project_id = ? AND deleted_at IS NULL", (pid,)
        )
        sandbox.store.set_fields("api_keys", key["id"], name="renamed-key-outside")
        await pilot.press("r")
        await settle(pilot, app)
        assert any(
            cell.endswith("renamed-key-outside") for cell in column(detail.query_one(KeysTable), 0)
        )


async def test_read_only_refuses_mutations_centrally(make_app: Any, sandbox: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert " RO " in header_text(app)
        before = sandbox.store.scalar("SELECT count(*) FROM projects")
        await pilot.press("N")  # new project, from the tree
        await settle(pilot, app)
        assert app.screen.id == "main"  # no form was shown
        assert any("read-only" in n.lower() or "not allowed" in n.lower() for n in notes(app))
        await open_project(pilot, app, "search-dev")
        await pilot.press("X")
        await settle(pilot, app)
        assert app.screen.id == "main"
        assert sandbox.store.scalar("SELECT count(*) FROM projects") == before
        assert (
            sandbox.store.scalar("SELECT count(*) FROM projects WHERE archived_at IS NOT NULL") == 1
        )


async def test_offline_start_paints_the_cache(frozen_clock: Any) -> None:
    from orgtui.ui.app import OrgTuiApp

    await prefill_cache_async()
    app = OrgTuiApp(connect(None, transport=Unreachable()), clock=frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert "offline, showing data from 11:30" in header_text(app)
        assert len(app.session.snapshot.projects) == 7
        assert any("offline" in n.lower() or "connect" in n.lower() for n in notes(app))
        # Still usable: navigate to a cached project and see its keys.
        detail = await open_project(pilot, app, "search-prod")
        assert len(detail.query_one(KeysTable).rows) > 0


async def test_corrupt_cache_is_rebuilt_with_a_notice(make_app: Any) -> None:
    corrupt_cache()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert any("damaged" in n for n in notes(app))
        assert len(app.session.snapshot.projects) == 7  # refreshed from the sandbox


async def test_second_start_paints_from_cache_before_any_request(
    sandbox_app: Any, frozen_clock: Any
) -> None:
    from orgtui.ui.app import OrgTuiApp

    first = OrgTuiApp(make_connection(sandbox_app), clock=frozen_clock)
    async with first.run_test(size=(80, 24)) as pilot:
        await settle(pilot, first)
    second = OrgTuiApp(make_connection(sandbox_app), clock=frozen_clock)
    # Before the app even runs, the session already holds the cached organisation.
    assert len(second.session.snapshot.projects) == 7
    client = second.session.client  # built on first use: not yet, or with no request made
    assert not client.built or client.budget.requests_made == 0


async def test_keymap_override_remaps_a_binding(make_app: Any) -> None:
    app = make_app(keymap={"nav.jump": "ctrl+j", "app.help": "f1"})
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("colon")
        await settle(pilot, app)
        assert app.screen.id == "main"
        await pilot.press("ctrl+j")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "JumpScreen"
        await pilot.press("escape")
        await pilot.press("f1")
        await settle(pilot, app)
        assert type(app.screen).__name__ == "HelpScreen"
        body = plain(app.screen.query_one("#help-body"))
        assert "^j" in body and "f1" in body


async def test_help_lists_scope_actions_with_live_keys(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await open_project(pilot, app, "search-prod")
        await pilot.press("question_mark")
        await settle(pilot, app)
        body = plain(app.screen.query_one("#help-body"))
        for text in (
            "Keys that work here",
            "Archive project",
            "Jump to a project, key, account or member",
            "Organisation tree",
            "API keys list",
        ):
            assert text in body
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen.id == "main"


async def test_theme_cycles_through_dark_light_ansi(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.theme == "orgtui-dark"
        seen = []
        for _ in range(3):
            await pilot.press("T")
            await settle(pilot, app)
            seen.append(app.theme)
        assert seen == ["orgtui-light", "ansi-dark", "orgtui-dark"]


@pytest.mark.parametrize("setting", ["light", "ansi"])
async def test_start_theme_looks_like_switching_to_it(
    make_app: Any, sandbox_app: Any, setting: str
) -> None:
    """The profile's theme applied at start: the screen must look exactly as if the user had
    switched to that theme."""
    from textual.filter import ANSIToTruecolor

    from orgtui.config import demo_profile

    def look(app: Any) -> tuple[Any, ...]:
        truecolor = [f.enabled for f in app._filters if isinstance(f, ANSIToTruecolor)]
        modes = sorted(c for c in app.classes if c.endswith("-mode") or c.startswith("-theme-"))
        styles = app.screen.query_one("#tree").styles
        return app.theme, modes, truecolor, app.screen.styles.background, styles.color

    profile = demo_profile().replace(theme=setting)
    started = make_app(connection=make_connection(sandbox_app, profile=profile))
    async with started.run_test(size=(80, 24)) as pilot:
        await settle(pilot, started)
        at_start = look(started)
    switched = make_app()
    async with switched.run_test(size=(80, 24)) as pilot:
        await settle(pilot, switched)
        switched.theme = themes.theme_for_setting(setting)
        await settle(pilot, switched)
        assert look(switched) == at_start
    assert at_start[0] == themes.theme_for_setting(setting) != "orgtui-dark"


async def test_start_in_dark_theme_looks_like_switching_to_it(
    make_app: Any, sandbox_app: Any
) -> None:
    """The dark theme at start skips Textual's theme watcher (a second stylesheet parse): it
    must look exactly as if the user had switched to it from another theme."""
    from textual.filter import ANSIToTruecolor

    from orgtui.config import demo_profile

    def look(app: Any) -> tuple[Any, ...]:
        truecolor = [f.enabled for f in app._filters if isinstance(f, ANSIToTruecolor)]
        modes = sorted(c for c in app.classes if c.endswith("-mode") or c.startswith("-theme-"))
        tree = app.screen.query_one("#tree").styles
        return app.theme, modes, truecolor, app.screen.styles.background, tree.color

    started = make_app()
    async with started.run_test(size=(80, 24)) as pilot:
        await settle(pilot, started)
        at_start = look(started)
    light = demo_profile().replace(theme="light")
    switched = make_app(connection=make_connection(sandbox_app, profile=light))
    async with switched.run_test(size=(80, 24)) as pilot:
        await settle(pilot, switched)
        before = look(switched)
        switched.theme = themes.theme_for_setting("dark")
        await settle(pilot, switched)
        assert look(switched) == at_start
    assert at_start[0] == "orgtui-dark" and before != at_start


async def test_palette_lists_registry_actions_and_projects(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await settle(pilot, app)
        for ch in "go to search-p":
            await pilot.press("space" if ch == " " else ch)
        await palette_lists(pilot, "search-prod")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.id == "main"
        assert app.screen.tree.current.project_id == project_id_by_name(app, "search-prod")
        await pilot.press("ctrl+p")
        for ch in "refresh all":
            await pilot.press("space" if ch == " " else ch)
        await palette_lists(pilot, "Refresh all")
        await pilot.press("enter")
        await settle(pilot, app)
        assert any("whole organisation" in n for n in notes(app))


async def test_ten_thousand_keys_render_lazily_and_filter(make_app: Any) -> None:
    from orgtui.api.models import ProjectApiKey
    from orgtui.core.snapshot import PartStatus, project_part

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        detail = await open_project(pilot, app, "search-dev")
        pid = detail.project_id
        now = app.clock.now()
        keys = [
            ProjectApiKey(
                id=f"key_{i:05d}",
                name=f"bulk-{i:05d}",
                redacted_value="sk-proj...abcd",
                created_at=int(now) - i,
                last_used_at=None,
            )
            for i in range(10_000)
        ]
        part = project_part(pid, "keys")
        session = app.session
        session.apply(
            session.snapshot.with_project(pid, api_keys=keys).with_part_status(
                part, PartStatus(now)
            ),
            [part],
        )
        await settle(pilot, app)
        table = detail.query_one(KeysTable)
        assert len(table.rows) == 10_000
        built = sum(1 for row in table.rows if row._cells is not None)
        assert built < 100  # only the rows on screen were made
        await pilot.press("end")
        assert table.current.key == "key_09999"
        await pilot.press("slash", *"09998")
        await settle(pilot, app)
        assert [row.key for row in table.rows] == ["key_09998"]


async def test_start_on_another_view_runs_its_action(make_app: Any) -> None:
    app = make_app(start="spend")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        from orgtui.ui.dispatch import has_ui_handler

        if has_ui_handler("view.spend"):
            assert app.screen.id != "main"
        else:
            assert any("not available" in n for n in notes(app))
