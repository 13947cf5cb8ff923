"""Several organisations in one console: header, dialogs, theme, jump, failing orgs."""

from __future__ import annotations

from typing import Any

import httpx
from conftest import make_connection, plain, settle
from snapshot_scenes import FROZEN_NOW, new_sandbox

from orgtui.config import Profile
from orgtui.core.clock import FrozenClock
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.widgets.header import ConsoleHeader
from orgtui.ui.widgets.org_line import OrgLine
from orgtui.ui.widgets.org_tree import NodeRef, OrgTree
from tests.pilot_support import wait_for_screen, wait_until

STAGING = "Staging Org"


def staging_profile(**kw: Any) -> Profile:
    return Profile(name="staging", base_url="http://sandbox/v1", org_name=STAGING, **kw)


def two_orgs(*, staging_read_only: bool = False, second: Any = None, demo: bool = True) -> Any:
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    first = make_connection(new_sandbox(clock))
    if second is None:
        second = make_connection(
            new_sandbox(clock, seed=2, demo=demo),
            profile=staging_profile(),
            read_only=staging_read_only,
        )
    return OrgTuiApp([first, second], clock=clock)


def header_text(app: Any) -> str:
    return app.screen.query_one(ConsoleHeader).render().plain


def root_label(app: Any, profile: str) -> str:
    tree = app.screen.query_one(OrgTree)
    return tree._ref_nodes[NodeRef(profile, "org")].label.plain


async def test_header_names_the_focused_org_and_ro_only_for_a_read_only_one() -> None:
    app = two_orgs(staging_read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = header_text(app)
        assert "Acme" in header and STAGING not in header
        assert " RO " not in header
        app.screen.query_one(OrgTree).select_ref(NodeRef("staging", "org"))
        await settle(pilot)
        header = header_text(app)
        assert STAGING in header and "staging" in header
        assert " RO " in header
        assert root_label(app, "staging").startswith("RO ")
        assert "RO" not in root_label(app, "demo")
        app.screen.query_one(OrgTree).select_ref(NodeRef("demo", "members"))
        await settle(pilot)
        assert " RO " not in header_text(app)


async def _dialog_org_line(pilot: Any, app: Any, action: str, ctx: ActionContext) -> str:
    from textual.screen import ModalScreen

    app.start_action(action, ctx)
    dialog = await wait_for_screen(pilot, ModalScreen)
    line = plain(dialog.query_one(OrgLine)).strip()
    await pilot.press("escape")
    await settle(pilot)
    return line


async def test_mutating_dialogs_name_the_org_they_change() -> None:
    from orgtui.core.actions import PROJECT

    app = two_orgs()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        staging = app.sessions[1]
        project = next(iter(staging.snapshot.projects.values())).project
        user = next(u for u in staging.snapshot.users or () if u.role != "owner")
        on_project = ActionContext(
            scope=PROJECT, project_id=project.id, item=project, session=staging
        )
        key_line = await _dialog_org_line(pilot, app, "key.create", on_project)
        assert key_line == f"in {STAGING} · staging"
        archive_line = await _dialog_org_line(pilot, app, "project.archive", on_project)
        assert archive_line == f"in {STAGING} · staging"
        member = ActionContext(item=user, session=staging)
        assert await _dialog_org_line(pilot, app, "org_member.remove", member) == (
            f"in {STAGING} · staging"
        )
        demo_project = next(iter(app.sessions[0].snapshot.projects.values())).project
        demo = ActionContext(
            scope=PROJECT, project_id=demo_project.id, item=demo_project, session=app.sessions[0]
        )
        assert (await _dialog_org_line(pilot, app, "key.create", demo)).startswith("in Acme")
        # Nothing changed in either organisation.
        assert project.id in staging.snapshot.projects


async def test_one_org_has_no_org_line(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        project = next(iter(app.session.snapshot.projects.values())).project
        ctx = ActionContext(project_id=project.id, item=project, session=app.session)
        assert await _dialog_org_line(pilot, app, "key.create", ctx) == ""


async def test_the_focused_orgs_theme_applies() -> None:
    from orgtui.ui import themes

    clock = FrozenClock(FROZEN_NOW)
    from orgtui.ui.app import OrgTuiApp

    first = make_connection(new_sandbox(clock))
    second = make_connection(new_sandbox(clock, seed=2), profile=staging_profile(theme="light"))
    app = OrgTuiApp([first, second], clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.theme == themes.DARK
        tree = app.screen.query_one(OrgTree)
        tree.select_ref(NodeRef("staging", "members"))
        await settle(pilot)
        assert app.theme == themes.LIGHT
        tree.select_ref(NodeRef("demo", "org"))
        await settle(pilot)
        assert app.theme == themes.DARK


def _client_connection(transport: httpx.AsyncBaseTransport, key: str) -> Any:
    from orgtui.api.client import AdminClient
    from orgtui.connect import Connection

    profile = staging_profile()
    client = AdminClient(
        profile.base_url, key, transport=transport, max_retries=0, requests_per_minute=60000
    )
    return Connection(profile=profile, client=client)


async def _demo_still_works(pilot: Any, app: Any) -> None:
    """The other organisation refreshed and can be browsed as usual."""
    demo = app.sessions[0]
    assert demo.snapshot.is_fetched("projects") and len(demo.snapshot.projects) > 1
    assert app.org_problem("demo") is None
    assert "⚠" not in root_label(app, "demo")
    app.screen.query_one(OrgTree).select_ref(NodeRef("demo", "projects"))
    await settle(pilot)
    assert "Acme" in header_text(app)


async def test_an_org_with_a_missing_key_shows_why_and_is_never_synced() -> None:
    import dataclasses

    clock = FrozenClock(FROZEN_NOW)
    sent: list[httpx.Request] = []

    class Counting(httpx.AsyncBaseTransport):
        inner = httpx.ASGITransport(app=new_sandbox(clock, seed=2))

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(request)
            return await self.inner.handle_async_request(request)

    broken = _client_connection(Counting(), "sk-admin-sandbox-FAKE-0000")
    reason = "no admin key: set OPENAI_ADMIN_KEY_STAGING"
    if any(f.name == "problem" for f in dataclasses.fields(broken)):
        broken = dataclasses.replace(broken, problem=reason)
    else:
        broken.problem = reason
    app = two_orgs(second=broken)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert reason in root_label(app, "staging")
        assert not app.sessions[1].snapshot.is_fetched("projects")
        app.refresh_all()
        await settle(pilot)
        assert not app.sessions[1].snapshot.is_fetched("projects")
        assert [str(r.url) for r in sent] == []
        app.screen.query_one(OrgTree).select_ref(NodeRef("staging", "members"))
        await settle(pilot)
        assert reason in header_text(app)
        # The usage graph under the tree says why too, instead of "loading…" for ever.
        caption = str(app.screen.query_one("#graph-caption").render())
        assert reason in caption and "loading" not in caption
        await _demo_still_works(pilot, app)
        assert [str(r.url) for r in sent] == []


async def test_a_revoked_key_shows_the_401_on_its_root() -> None:
    clock = FrozenClock(FROZEN_NOW)
    transport = httpx.ASGITransport(app=new_sandbox(clock, seed=2))
    app = two_orgs(second=_client_connection(transport, "sk-admin-revoked-FAKE-0000"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        problem = app.org_problem("staging")
        assert problem is not None and problem.startswith("Authentication failed")
        assert "⚠ Authentication failed" in root_label(app, "staging")
        await _demo_still_works(pilot, app)


async def test_an_offline_org_shows_offline_on_its_root() -> None:
    from snapshot_scenes import Unreachable

    app = two_orgs(second=_client_connection(Unreachable(), "sk-admin-sandbox-FAKE-0000"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "offline" in root_label(app, "staging")
        assert app.sync_states["staging"].offline
        await _demo_still_works(pilot, app)


async def test_jump_lists_every_org_with_its_name_first() -> None:
    from textual.widgets import OptionList

    from orgtui.ui.features.shell.jump_screen import JumpScreen

    app = two_orgs(demo=False)  # staging holds only its Default project
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        demo_name = app.sessions[0].snapshot.org_name
        staging_name = app.sessions[1].snapshot.org_name
        await pilot.press("colon")
        jump = await wait_for_screen(pilot, JumpScreen)
        for ch in "Default":
            await pilot.press(ch)
        await settle(pilot)
        options = jump.query_one(OptionList)
        shown = [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]
        assert f"{demo_name} · Default project" in shown
        assert f"{staging_name} · Default project" in shown
        options.highlighted = shown.index(f"{staging_name} · Default project")
        await pilot.press("enter")
        await settle(pilot)
        current = app.screen.query_one(OrgTree).current
        assert current.profile == "staging" and current.kind == "project"
        assert staging_name in header_text(app)


async def test_jump_lists_members_of_every_org_and_reveals_one() -> None:
    from textual.widgets import OptionList

    from orgtui.ui.features.shell.jump_screen import JumpScreen

    app = two_orgs()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        user = next(u for u in app.sessions[1].snapshot.users or () if u.role != "owner")
        await pilot.press("colon")
        jump = await wait_for_screen(pilot, JumpScreen)
        jump.query_one("#jump-input").value = user.email
        await settle(pilot)
        options = jump.query_one(OptionList)
        shown = [options.get_option_at_index(i).prompt.plain for i in range(options.option_count)]
        wanted = f"{STAGING} · member {user.name}  {user.email}"
        assert wanted in shown
        options.highlighted = shown.index(wanted)
        await pilot.press("enter")
        await settle(pilot)
        tree = app.screen.query_one(OrgTree)
        assert tree.current == NodeRef("staging", "members")
        assert STAGING in header_text(app)
        assert app.focused.current.key == user.id  # the member's row, in staging's members


async def test_palette_and_filter_work_within_the_focused_org() -> None:
    from orgtui.ui.commands import OrgCommands

    app = two_orgs(demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def palette_projects() -> list[str]:
            titles = [str(c[0]) for c in OrgCommands(app.screen)._build()]
            return [t for t in titles if t.startswith("Go to project")]

        assert "Go to project support-bot-dev" in palette_projects()
        tree = app.screen.query_one(OrgTree)
        tree.select_ref(NodeRef("staging", "org"))
        await settle(pilot)
        assert palette_projects() == ["Go to project Default project"]
        # `/` in the staging org filters its projects only: demo's stay as they were.
        demo_before = len(tree._ref_nodes[NodeRef("demo", "projects")].children)
        await pilot.press("slash", "z", "z")
        await settle(pilot)
        assert len(tree._ref_nodes[NodeRef("staging", "projects")].children) == 0
        assert len(tree._ref_nodes[NodeRef("demo", "projects")].children) == demo_before > 1


async def test_spend_shows_the_focused_org_and_o_switches_to_the_next() -> None:
    from textual.widgets import Digits

    from orgtui.ui.features.spend.screen import SpendScreen

    app = two_orgs(demo=False)  # staging: an org with no usage
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        assert screen.session is app.sessions[0]
        demo_name = app.sessions[0].snapshot.org_name
        assert demo_name in header_text(app) and "(1 of 2)" in header_text(app)
        demo_big = screen.query_one("#spend-big", Digits).value
        demo_rows = len(screen.projects_table.rows)
        await pilot.press("O")
        screen = await wait_until(
            pilot,
            lambda: (
                app.screen
                if isinstance(app.screen, SpendScreen) and app.screen.session is app.sessions[1]
                else None
            ),
        )
        await settle(pilot)
        assert STAGING in header_text(app) and demo_name not in header_text(app)
        assert "(2 of 2)" in header_text(app)  # as the main screen's header says of it
        assert screen.query_one("#spend-big", Digits).value != demo_big
        assert len(screen.projects_table.rows) != demo_rows
        await pilot.press("escape")  # back on the main screen: the tree's org has focus again
        await settle(pilot)
        assert app.screen.id == "main" and demo_name in header_text(app)
        assert app.session is app.sessions[0]
        await pilot.press("s")
        await wait_for_screen(pilot, SpendScreen)
        await pilot.press("O")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, SpendScreen) and app.screen.session is app.sessions[1],
        )
        await pilot.press("O")  # round to the first again
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, SpendScreen) and app.screen.session is app.sessions[0],
        )
        await settle(pilot)
        assert app.screen.query_one("#spend-big", Digits).value == demo_big
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.id == "main" and demo_name in header_text(app)


async def test_incident_view_names_the_org_and_o_switches() -> None:
    from orgtui.ui.features.incident.screen import IncidentScreen

    app = two_orgs(demo=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.screen.query_one(OrgTree).select_ref(NodeRef("staging", "org"))
        await settle(pilot)
        await pilot.press("exclamation_mark")
        screen = await wait_for_screen(pilot, IncidentScreen)
        assert screen.session is app.sessions[1]
        assert STAGING in plain(screen.query_one("#incident-title"))
        assert screen.rows == []  # staging has no usage at all
        await pilot.press("O")
        screen = await wait_until(
            pilot,
            lambda: (
                app.screen
                if isinstance(app.screen, IncidentScreen) and app.screen.session is app.sessions[0]
                else None
            ),
        )
        await wait_for_screen(pilot, IncidentScreen)
        demo_name = app.sessions[0].snapshot.org_name
        assert demo_name in plain(screen.query_one("#incident-title"))
        assert screen.rows  # the demo org's keys and projects, ranked


async def test_a_long_named_read_only_orgs_root_shows_ro_in_a_narrow_tree() -> None:
    """RO leads the root's label: a name wider than the tree never pushes it out of sight."""
    clock = FrozenClock(FROZEN_NOW)
    long_name = "Acme Robotics Worldwide Holdings International (staging)"
    profile = Profile(name="staging", base_url="http://sandbox/v1", org_name=long_name)
    second = make_connection(new_sandbox(clock, seed=2), profile=profile, read_only=True)
    app = two_orgs(second=second)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tree = app.screen.query_one(OrgTree)
        assert tree.size.width < len(long_name)
        tree.select_ref(NodeRef("staging", "org"))
        await settle(pilot)
        lines = [tree.render_line(y).text for y in range(tree.size.height)]
        [root] = [line for line in lines if "Acme Robotics W" in line]  # cut by the width
        assert root.startswith("▾ RO Acme Robotics W")
