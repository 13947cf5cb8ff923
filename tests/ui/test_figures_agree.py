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
    from orgtui.ui.features.projects.detail_pane import ProjectDetail
    from orgtui.ui.features.spend.screen import SpendScreen

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


async def test_key_staleness_is_one_rule_in_health_and_in_the_rows(
    make_app: Any, sandbox: Any, frozen_now: float
) -> None:
    """Keys placed either side of the 90-day rotation and 30-day unused thresholds: the
    keys table flags exactly the keys the health screen names."""
    from snapshot_scenes import project_id_by_name

    from orgtui.ui.features.health.screen import HealthScreen
    from orgtui.ui.widgets.tables import KeysTable

    store = sandbox.store
    day = 86_400
    keys = store.query(
        "SELECT k.id FROM api_keys k JOIN projects p ON p.id = k.project_id"
        " WHERE p.name = 'search-prod' AND k.deleted_at IS NULL ORDER BY k.id"
    )
    assert len(keys) >= 4
    placed = {  # created, last used (seconds before now)
        keys[0]["id"]: (90 * day, 1 * day),  # exactly 90 days: not yet due
        keys[1]["id"]: (90 * day + 1, 1 * day),  # one second more: due
        keys[2]["id"]: (60 * day, 30 * day),  # unused exactly 30 days: not yet
        keys[3]["id"]: (60 * day, 30 * day + 1),  # one second more: unused
    }
    for key_id, (age, idle) in placed.items():
        store.execute(
            "UPDATE api_keys SET created_at = ?, last_used_at = ? WHERE id = ?",
            (int(frozen_now) - age, int(frozen_now) - idle, key_id),
        )
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.main_screen_goto(app.session.profile.name, project_id_by_name(app, "search-prod"))
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        table = app.screen.query_one(KeysTable)
        columns = [c.key for c in table.columns]
        age, last_used = columns.index("age"), columns.index("last_used")
        flagged_old = {r.key for r in table.rows if r.cells[age].plain.startswith("! ")}
        flagged_idle = {r.key for r in table.rows if r.cells[last_used].plain.startswith("! ")}
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HealthScreen))
        health = app.screen
        await settle(pilot, app)

        def named(check: str) -> set[str]:
            return {
                o.id
                for f in health.findings
                if f.id == check
                for o in f.objects
                if o.project_id == project_id_by_name(app, "search-prod")
            }

        assert keys[1]["id"] in named("key.rotation_due") and keys[1]["id"] in flagged_old
        assert keys[0]["id"] not in named("key.rotation_due") | flagged_old
        assert keys[3]["id"] in named("key.unused") and keys[3]["id"] in flagged_idle
        assert keys[2]["id"] not in named("key.unused") | flagged_idle
        assert flagged_old == named("key.rotation_due")
        assert flagged_idle == named("key.unused") | named("key.never_used")


async def test_thirty_day_cost_in_the_graph_and_health(
    sandbox_app: Any, frozen_clock: Any, frozen_now: float
) -> None:
    from test_spend_support import spend_app, wait_for_screen

    from orgtui.ui.features.health.screen import HealthScreen
    from orgtui.ui.features.spend.screen import SpendScreen

    expected = await independent_summary(sandbox_app, frozen_now)
    last_30 = format_usd(expected.org.trailing_30d_usd)
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot, app)
        graph = screen.graph
        while graph.range_id != "cost":
            await pilot.press("g")
        await wait_for(pilot, lambda: graph.data is not None and graph.data.is_cost)
        legend = plain(graph.query_one("#graph-legend"))
        assert f"last 30 days {last_30}" in legend
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HealthScreen))
        health = app.screen
        await wait_for(pilot, lambda: health.costs_state == "ready")
        await settle(pilot, app)
        assert f"costs: last 30 days {last_30}" in plain(health.query_one("#health-title"))


async def test_every_kind_per_hour_agrees_across_spend_incident_and_spend_once(
    sandbox_app: Any, frozen_clock: Any
) -> None:
    """The spend screen's per-kind line, the incident panel's kind rows and `spend --once
    --json`'s `usage_by_kind` (its own code path, a fresh client) give the same figures."""
    from test_spend_support import spend_app, wait_for_screen
    from textual.widgets import DataTable

    from orgtui.config import demo_profile
    from orgtui.connect import connection_for_app
    from orgtui.core.incident_kinds import number
    from orgtui.reports_incident import incident_json, read_incident
    from orgtui.ui.features.incident.screen import IncidentScreen
    from orgtui.ui.features.spend.rows import SHORT_UNITS
    from orgtui.ui.features.spend.screen import SpendScreen

    now = frozen_clock.now()
    conn = connection_for_app(sandbox_app, demo_profile(), requests_per_minute=60000)
    report, error = await read_incident(conn.client, now)
    await conn.client.aclose()
    assert error is None and report is not None
    by_kind = incident_json(report, None, 3.0, SimpleNamespace_summary())["usage_by_kind"]
    kinds = [k for k in by_kind if k != "costs"]
    assert len(kinds) == 8 and all(by_kind[k]["per_hour_60m"] for k in kinds)

    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await wait_for(pilot, lambda: screen.kinds_report is not None)
        await settle(pilot, app)
        line = " ".join(plain(screen.query_one("#spend-kinds")).split())  # as wrapped
        from orgtui.core.usage_kinds import kind_name

        for kind in kinds:
            figure = by_kind[kind]
            unit = SHORT_UNITS.get(figure["unit"], figure["unit"])
            assert f"{kind_name(kind)} {number(figure['per_hour_60m'])} {unit}" in line, kind
        overview = plain(screen.query_one("#spend-overview"))
        assert f"{format_usd(by_kind['costs']['per_hour_today'])}/h" in overview

        await pilot.press("exclamation_mark")
        panel = await wait_for_screen(pilot, IncidentScreen)
        await wait_for(pilot, lambda: panel.report is not None)
        table = panel.query_one(DataTable)
        for index, row in enumerate(panel.rows):
            if row.scope != "kind":
                continue
            now_cell = str(table.get_row_at(index)[6])
            figure = by_kind[row.kind]
            # "now" is the last 15 minutes when their rise is more than noise, else the 60
            window = "per_hour_15m" if row.significant_15m else "per_hour_60m"
            assert now_cell == f"{number(figure[window])} {figure['unit']}", row.kind


def SimpleNamespace_summary() -> Any:  # noqa: N802
    """`incident_json` counts fired alerts from a spend summary: none here."""
    from types import SimpleNamespace

    return SimpleNamespace(org=SimpleNamespace(alerts=()), projects=())
