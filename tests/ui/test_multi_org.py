"""Several organisations in one console: header, dialogs, theme, jump, failing orgs."""

from __future__ import annotations

from typing import Any

from conftest import make_connection, plain, settle
from snapshot_scenes import FROZEN_NOW, new_sandbox

from orgtui.config import Profile
from orgtui.core.clock import FrozenClock
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.widgets.header import ConsoleHeader
from orgtui.ui.widgets.org_line import OrgLine
from orgtui.ui.widgets.org_tree import NodeRef, OrgTree
from tests.pilot_support import wait_for_screen

STAGING = "Staging Org"


def staging_profile(**kw: Any) -> Profile:
    return Profile(name="staging", base_url="http://sandbox/v1", org_name=STAGING, **kw)


def two_orgs(*, staging_read_only: bool = False, second: Any = None) -> Any:
    from orgtui.ui.app import OrgTuiApp

    clock = FrozenClock(FROZEN_NOW)
    first = make_connection(new_sandbox(clock))
    if second is None:
        second = make_connection(
            new_sandbox(clock, seed=2),
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
        assert "RO" in root_label(app, "staging") and "RO" not in root_label(app, "demo")
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
