"""A figure shown in two places is computed once (orgtui.core.figures, the spend watch) and
both places show the sandbox's own number."""

from __future__ import annotations

from typing import Any

from conftest import plain, settle
from test_spend_support import independent_summary, wait_for

from orgtui.core.money import format_usd
from orgtui.ui.widgets.detail import OrgSummary
from orgtui.ui.widgets.org_tree import NodeRef, OrgTree


def summary_text(app: Any) -> str:
    return plain(app.screen.query_one(OrgSummary).query_one("#org-summary-body"))


def tree_label(app: Any, kind: str) -> str:
    tree = app.screen.query_one(OrgTree)
    return tree._ref_nodes[NodeRef(app.session.profile.name, kind)].label.plain


async def test_invites_pending_and_total_agree_with_the_sandbox(
    make_app: Any, sandbox: Any, frozen_now: float
) -> None:
    store = sandbox.store
    pending = store.scalar(  # an unanswered invite past its expiry is "expired", not pending
        "SELECT count(*) FROM invites WHERE deleted_at IS NULL AND status = 'pending'"
        " AND (expires_at IS NULL OR expires_at > ?)",
        (int(frozen_now),),
    )
    total = store.scalar("SELECT count(*) FROM invites WHERE deleted_at IS NULL")
    assert 0 < pending < total  # the seed has answered and unanswered invites
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        named = f"{pending} pending of {total}"
        assert tree_label(app, "invites") == f"Invites {named}"
        assert f"Invites         {named}" in summary_text(app)


async def test_projects_active_and_archived_agree_with_the_sandbox(
    make_app: Any, sandbox: Any
) -> None:
    store = sandbox.store
    active = store.scalar("SELECT count(*) FROM projects WHERE archived_at IS NULL")
    archived = store.scalar("SELECT count(*) FROM projects WHERE archived_at IS NOT NULL")
    assert active and archived
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        tree = app.screen.query_one(OrgTree)
        projects = tree._ref_nodes[NodeRef(app.session.profile.name, "projects")]
        assert tree_label(app, "projects") == f"Projects {active} +{archived} archived"
        assert f"{active} active, {archived} archived" in summary_text(app)
        assert len(projects.children) == active
        await pilot.press("A")  # archived shown: the label still counts both, by name
        await settle(pilot, app)
        assert tree_label(app, "projects") == f"Projects {active} +{archived} archived"
        assert len(projects.children) == active + archived


async def test_month_to_date_on_limits_tab_and_spend_screen(
    make_app: Any, sandbox_app: Any, frozen_now: float
) -> None:
    from orgtui.ui.screens.spend import SpendScreen
    from orgtui.ui.widgets.project_detail import ProjectDetail

    expected = await independent_summary(sandbox_app, frozen_now)
    project = next(p for p in expected.projects if p.name == "search-prod")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        from snapshot_scenes import project_id_by_name

        app.main_screen_goto(app.session.profile.name, project_id_by_name(app, "search-prod"))
        await settle(pilot, app)
        await pilot.press("enter", "4")
        detail = app.screen.query_one(ProjectDetail)
        limits = detail.query_one("#limits-summary")
        # Spend was never opened: the tab fetches the figure itself.
        await wait_for(pilot, lambda: "loading" not in plain(limits))
        shown = format_usd(project.month_to_date_usd)
        assert f"Month to date: {shown}" in plain(limits)
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, SpendScreen))
        screen = app.screen
        await wait_for(pilot, lambda: any(r.key == project.id for r in screen.projects_table.rows))
        row = next(r for r in screen.projects_table.rows if r.key == project.id)
        assert row.cells[1].plain == shown
