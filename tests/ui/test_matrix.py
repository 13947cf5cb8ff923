"""The access matrix: roles by member and project, the filter, changes from a cell, parts not
fetched yet, archived columns, read-only mode, and 500 projects drawn only where visible."""

from __future__ import annotations

from typing import Any

from test_members_support import (
    ALAN,
    HEDY,
    last_note,
    notes,
    project,
    project_role_in_store,
    settle,
    type_text,
    user,
)
from textual.widgets import Input

from orgtui.api.models import Project, ProjectUser, User
from orgtui.core.snapshot import PartStatus, project_part
from orgtui.ui.features.members.matrix import MatrixFilter, MatrixGrid, MatrixScreen
from orgtui.ui.features.members.org_members import RoleScreen
from orgtui.ui.widgets.confirm import ConfirmScreen


async def _open(pilot: Any) -> MatrixScreen:
    await settle(pilot)
    await pilot.press("M")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MatrixScreen)
    return screen


async def _goto(pilot: Any, grid: MatrixGrid, email: str, project_name: str) -> None:
    grid.row = next(i for i, u in enumerate(grid.model.users) if u.email == email)
    grid.col = next(i for i, v in enumerate(grid.model.projects) if v.project.name == project_name)
    grid.action_move(0, 0)
    await settle(pilot)


def _lines(grid: MatrixGrid) -> list[str]:
    return [grid.render_line(y).text for y in range(grid.size.height)]


def _row_text(grid: MatrixGrid, email: str) -> str:
    index = next(i for i, u in enumerate(grid.model.users) if u.email == email)
    return grid.render_line(index + 2 - round(grid.scroll_y)).text


async def test_matrix_shows_roles_by_member_and_project(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        grid = screen.grid
        assert app.focused is grid
        assert len(grid.model.users) == 24
        header = grid.render_line(0).text + grid.render_line(1).text
        for name in ("Default", "search-prod", "search-dev", "support-bot-", "data-"):
            assert name in header
        row = _row_text(grid, "barbara.liskov@acme-robotics.example")
        assert row.split()[:4] == ["Barbara", "Liskov", "reader", "│"]
        assert row.split()[4:7] == ["member", "owner", "owner"]
        assert [v.project.name for v in grid.model.projects][-1] == "experiment-2025"
        status = str(screen.query_one("#matrix-status").render())
        assert "Ada Lovelace" in status and "Default project: owner" in status
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, MatrixScreen)


def test_filter_syntax() -> None:
    flt = MatrixFilter.parse("Alan  project:search role:owner p:dev r:member")
    assert flt == MatrixFilter(("alan",), ("search", "dev"), ("owner", "member"))


async def test_filter_by_name_project_and_role(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        grid = screen.grid
        await pilot.press("slash")
        field = screen.query_one("#matrix-filter", Input)
        assert app.focused is field
        await type_text(pilot, "turing")
        assert [u.email for u in grid.model.users] == [ALAN]
        field.value = ""
        await type_text(pilot, "project:search")
        assert [v.project.name for v in grid.model.projects] == ["search-prod", "search-dev"]
        assert len(grid.model.users) == 24
        field.value = ""
        await type_text(pilot, "project:search role:owner")
        names = {u.name for u in grid.model.users}
        assert {"Ada Lovelace", "Barbara Liskov", "Grace Hopper"} <= names  # Grace: org owner
        assert "Alan Turing" not in names
        field.value = ""
        await type_text(pilot, "role:member project:data")
        assert {u.name for u in grid.model.users} == {
            "Shafi Goldwasser",
            "Niklaus Wirth",
            "Adele Goldberg",
        }
        field.value = ""
        await type_text(pilot, "nobody-matches")
        assert "No member matches the filter" in grid.render_line(2).text
        await pilot.press("escape")
        assert app.focused is grid
        assert isinstance(app.screen, MatrixScreen)


async def test_change_role_from_a_cell(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        grid = (await _open(pilot)).grid
        await _goto(pilot, grid, ALAN, "search-prod")
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RoleScreen)
        await pilot.press("down", "enter", "enter")
        await settle(pilot)
        assert "Alan Turing is now owner in search-prod" in last_note(app)
        assert project_role_in_store(app, "search-prod", ALAN) == "owner"
        assert (
            app.screen.grid.model.role(user(app, ALAN).id, project(app, "search-prod").id)
            == "owner"
        )
        assert grid.current_cell()[0].email == ALAN  # the cursor stays on the cell


async def test_add_from_an_empty_cell(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        grid = (await _open(pilot)).grid
        await _goto(pilot, grid, HEDY, "search-prod")
        assert "not a member" in str(app.screen.query_one("#matrix-status").render())
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RoleScreen)
        assert "Add to search-prod" in str(dialog.query_one("#role-title").render())
        assert str(dialog.query_one("#apply").label) == "Add member"
        await pilot.press("enter", "enter")  # "member" is highlighted first
        await settle(pilot)
        assert "Added Hedy Lamarr to search-prod as member" in last_note(app)
        assert project_role_in_store(app, "search-prod", HEDY) == "member"
        assert "member" in _row_text(grid, HEDY).split("│")[1].split()[:2]


async def test_remove_from_a_cell(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        grid = (await _open(pilot)).grid
        await _goto(pilot, grid, ALAN, "search-dev")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#confirm-button")
        await settle(pilot)
        assert "Removed Alan Turing from search-dev" in last_note(app)
        assert project_role_in_store(app, "search-dev", ALAN) is None
        assert grid.model.role(user(app, ALAN).id, project(app, "search-dev").id) == ""


async def test_remove_on_an_empty_cell_says_so(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        grid = (await _open(pilot)).grid
        await _goto(pilot, grid, HEDY, "search-dev")
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "Hedy Lamarr is not in search-dev: nothing to remove" in last_note(app)


async def test_archived_column_is_read_only(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        grid = (await _open(pilot)).grid
        await pilot.press("end")
        assert grid.model.projects[grid.col].project.name == "experiment-2025"
        assert "experiment-" in grid.render_line(0).text  # scrolled into view
        assert "(archived: read-only)" in str(app.screen.query_one("#matrix-status").render())
        for key in ("e", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, MatrixScreen)
        refused = [n for n in notes(app) if "experiment-2025 is archived" in n]
        assert len(refused) == 2 and "so changing its members is not possible" in refused[0]


async def test_parts_not_fetched_show_ellipsis_then_load(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        session = app.session
        dev = project(app, "search-dev").id
        part = project_part(dev, "users")
        session.apply(
            session.snapshot.with_project(dev, users=None).with_part_status(part, PartStatus(None)),
            [part],
        )
        sandbox.faults.latency_ms = 2000  # long enough to look before it lands
        sandbox.faults.path_filter = "/users"
        await pilot.press("M")
        await pilot.pause()
        screen = app.screen
        grid = screen.grid
        col = next(i for i, v in enumerate(grid.model.projects) if v.id == dev)
        assert grid.model.roles[dev] is None
        assert "…" in _row_text(grid, ALAN).split("│")[1]
        assert part in screen._requested  # a background fetch was started
        assert "1 project(s) not loaded yet" in str(screen.query_one("#matrix-status").render())
        grid.col = col
        grid.action_move(0, 0)
        await pilot.press("e")
        await pilot.pause()
        assert "search-dev are still loading" in last_note(app)
        sandbox.faults.latency_ms = 0
        await settle(pilot)
        assert grid.model.roles[dev] is not None
        assert grid.model.role(user(app, ALAN).id, dev) == "member"
        assert "…" not in _row_text(grid, ALAN)


async def test_read_only_refuses_matrix_changes(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        grid = (await _open(pilot)).grid
        await _goto(pilot, grid, ALAN, "search-prod")
        for key in ("e", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, MatrixScreen)
        assert sum("not allowed: read-only" in n for n in notes(app)) == 2
        assert project_role_in_store(app, "search-prod", ALAN) == "member"


def big_snapshot(snapshot: Any, projects: int = 500, users: int = 60) -> Any:
    """A synthetic organisation: every member in a few projects, all parts fetched."""
    people = [
        User(
            id=f"user-{i:03}",
            name=f"Person {i:03}",
            email=f"p{i:03}@example.com",
            role="owner" if i < 2 else "reader",
            added_at=0,
        )
        for i in range(users)
    ]
    snap = snapshot.with_org(users=people).with_projects(
        [Project(id=f"proj_{j:03}", name=f"project-{j:03}", created_at=0) for j in range(projects)],
        1.0,
    )
    for j in range(projects):
        members = [
            ProjectUser(
                id=p.id,
                name=p.name,
                email=p.email,
                added_at=0,
                role="owner" if (i + j) % 7 == 0 else "member",
            )
            for i, p in enumerate(people)
            if (i + j) % 5 == 0
        ]
        pid = f"proj_{j:03}"
        snap = snap.with_project(pid, users=members).with_part_status(
            project_part(pid, "users"), PartStatus(1.0)
        )
    return snap


async def test_500_projects_draw_only_the_visible_cells(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        session = app.session
        session._snapshot = big_snapshot(session.snapshot)  # no sandbox round trips needed
        screen = MatrixScreen(session)
        await app.push_screen(screen)
        await pilot.pause()
        grid = screen.grid
        assert len(grid.model.projects) == 500 and len(grid.model.users) == 60
        shown = grid.visible_columns()
        assert 5 <= len(shown) <= 10 and shown[0] == 0
        assert "project-499" not in grid.render_line(0).text
        await pilot.press("end", "pagedown", "pagedown", "pagedown")
        assert grid.model.projects[grid.col].id == "proj_499"
        assert grid.visible_columns()[-1] == 499
        assert "project-499" in grid.render_line(0).text
        assert grid.current_cell()[0].id == "user-030"
        status = str(screen.query_one("#matrix-status").render())
        assert "of 500" in status and "←/→ scroll" in status
        assert not screen._requested  # everything was fetched: nothing to ask for


async def test_hostile_names_render_literally(make_app: Any, sandbox: Any) -> None:
    hostile = "[red]Mallory[/red] \x1b[31m\u202eevil " + "x" * 300
    row = sandbox.store.user_by_email(ALAN)
    sandbox.store.set_fields("users", row["id"], name=hostile)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        grid = (await _open(pilot)).grid
        await _goto(pilot, grid, ALAN, "search-prod")
        line = _row_text(grid, ALAN)
        assert " [red]Mallory[/red] ␛[31… reader │" in line and "\x1b" not in line
        assert len(line) == grid.scrollable_content_region.width  # nothing spills over
        assert line.split("│")[1].split()[:2] == ["member", "member"]
        await pilot.press("e")
        await settle(pilot)
        who = str(app.screen.query_one("#role-who").render())
        assert "[red]Mallory[/red] ␛[31m↔evil xxx" in who and "\x1b" not in who


async def test_access_through_a_group_says_via_which(make_app: Any) -> None:
    shafi = "shafi.goldwasser@acme-robotics.example"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        grid = screen.grid
        assert grid.model.via_groups(user(app, shafi).id, project(app, "search-dev").id)
        row = _row_text(grid, shafi)
        assert row.split()[4:7] == ["member", "·", "member"]  # Default, search-prod, search-dev
        await _goto(pilot, grid, shafi, "search-dev")
        status = str(screen.query_one("#matrix-status").render())
        assert "search-dev: not a direct member, member via group Data team" in status
        await _goto(pilot, grid, "alan.turing@acme-robotics.example", "search-prod")
        status = str(screen.query_one("#matrix-status").render())
        assert "search-prod: member, Key keeper via group Search team" in status
