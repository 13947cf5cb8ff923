"""The health screen, driven with Pilot against the in-process sandbox (frozen clock, UTC)."""

from __future__ import annotations

from typing import Any

from snapshot_scenes import build_app, project_id_by_name, settle
from textual.widgets import Static

import orgtui.ui.features.shell.reveal  # noqa: F401  (registers view.audit / view.health)
from orgtui.core.access import load_access
from orgtui.core.health import SEVERITY_ORDER, count_by_severity, run_checks
from orgtui.core.health_access import merged, run_access_checks
from orgtui.core.spend_fetch import fetch_spend_data, trailing_cost_by_project
from orgtui.ui.features.audit.screen import AuditScreen
from orgtui.ui.features.health.screen import HealthScreen, NodeData
from orgtui.ui.features.shell.main_screen import MainScreen
from orgtui.ui.widgets.org_tree import NodeRef


async def open_health(pilot: Any) -> HealthScreen:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, HealthScreen)
    return screen


async def expected_findings(app: Any) -> list[Any]:
    session = app.session
    data = await fetch_spend_data(session.client, app.clock.now(), include_usage=False)
    from orgtui.core.security import load_security_facts

    found = run_checks(
        session.snapshot,
        trailing_cost_by_project(data),
        app.clock.now(),
        session.profile.thresholds,
        security=await load_security_facts(session),
    )
    # ...and the checks on groups and roles, which the screen reads in the background
    snapshot = session.snapshot
    active = [pid for pid, v in snapshot.projects.items() if not v.project.archived]
    access = await load_access(session.client, active, [u.id for u in snapshot.users])
    return merged(found, run_access_checks(access, snapshot))


def tree_groups(screen: HealthScreen) -> dict[str, dict[str, list[tuple[str, str]]]]:
    """severity -> check id -> [(object type, object id)], as the tree shows them."""
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for top in screen.tree.root.children:
        assert isinstance(top.data, NodeData) and top.data.kind == "severity"
        severity = top.data.findings[0].severity
        checks = out.setdefault(str(severity), {})
        for check in top.children:
            assert check.data is not None and check.data.kind == "check"
            checks[check.data.key[1]] = [
                (o.data.ref.type, o.data.ref.id)  # type: ignore[union-attr]
                for o in check.children
            ]
    return out


def find_object(screen: HealthScreen, check_id: str, object_type: str) -> Any:
    for top in screen.tree.root.children:
        for check in top.children:
            if check.data.key == ("c", check_id):
                check.expand()
                for leaf in check.children:
                    if leaf.data.ref.type == object_type:
                        return leaf
    raise LookupError(check_id)


async def select(pilot: Any, screen: HealthScreen, node: Any) -> None:
    await pilot.pause()
    screen.tree.move_cursor(node, animate=False)
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


async def test_lists_run_checks_grouped_by_severity() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_health(pilot)
        expected = await expected_findings(app)
        assert screen.findings == expected
        assert screen.costs_state == "ready"
        groups = tree_groups(screen)
        wanted: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for finding in expected:
            checks = wanted.setdefault(str(finding.severity), {})
            checks.setdefault(finding.id, []).extend((o.type, o.id) for o in finding.objects)
        assert groups == wanted
        assert list(groups) == [str(s) for s in SEVERITY_ORDER if str(s) in wanted]
        assert {"failure", "warning", "info"} <= set(groups)
        assert "project.no_spend_limit" in groups["failure"]
        summary = str(screen.query_one("#health-summary", Static).content)
        counts = count_by_severity(expected)
        assert summary.startswith(
            f"{counts['failure']} failures · {counts['warning']} warnings · {counts['info']} info"
        )
        title = screen.query_one("#health-title", Static).content
        assert "computed 14:30 (just now)" in str(title.columns[1]._cells[0])  # type: ignore[attr-defined]


async def test_enter_on_a_key_jumps_to_it() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_health(pilot)
        leaf = find_object(screen, "key.owner_inactive", "api_key")
        ref = leaf.data.ref
        await select(pilot, screen, leaf)
        main = app.screen
        assert isinstance(main, MainScreen)
        assert main.tree.current == NodeRef("demo", "project", ref.project_id)
        table = app.focused
        assert table.current is not None and table.current.key == ref.id
        assert type(table).__name__ == "KeysTable"


async def test_enter_on_projects_and_org_objects() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_health(pilot)
        leaf = find_object(screen, "project.no_spend_limit", "project")
        await select(pilot, screen, leaf)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.tree.current == NodeRef("demo", "project", leaf.data.ref.id)

        screen = await open_health(pilot)
        for check, kind, node, table in (
            ("admin_key.no_expiry", "admin_key", "admin_keys", "AdminKeysTable"),
            ("invite.expired", "invite", "invites", "InvitesTable"),
            ("service_account.owner_role", "service_account", "project", "ServiceAccountsTable"),
        ):
            screen = (
                app.screen if isinstance(app.screen, HealthScreen) else await open_health(pilot)
            )
            leaf = find_object(screen, check, kind)
            await select(pilot, screen, leaf)
            main = app.screen
            assert isinstance(main, MainScreen)
            assert main.tree.current is not None and main.tree.current.kind == node
            assert type(app.focused).__name__ == table
            assert app.focused.current.key == leaf.data.ref.id


async def test_r_recomputes_with_fresh_data() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_health(pilot)
        pid = project_id_by_name(app, "data-pipeline")
        assert ("project", pid) in tree_groups(screen)["failure"]["project.no_spend_limit"]
        costs_calls = []
        original = app.session.client.iter_cost_lines

        def counting(*args: Any, **kwargs: Any) -> Any:
            costs_calls.append(args)
            return original(*args, **kwargs)

        app.session.client.iter_cost_lines = counting
        await app.session.client.set_project_spend_limit(pid, 500_000)
        await pilot.press("r")
        await settle(
            pilot,
        )
        await settle(pilot)
        assert costs_calls  # fresh trailing-30-day costs
        assert screen.findings == await expected_findings(app)
        failures = tree_groups(screen)["failure"]["project.no_spend_limit"]
        assert ("project", pid) not in failures


async def test_costs_unavailable_is_said() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        faults = app.extra_sandbox.faults
        faults.path_filter, faults.malformed_rate = "/costs", 1.0
        screen = await open_health(pilot)
        assert screen.costs_state == "failed"
        assert any(f.id == "spend.unavailable" for f in screen.findings)
        title = screen.query_one("#health-title", Static).content
        assert "costs unavailable" in str(title.columns[1]._cells[0])  # type: ignore[attr-defined]


async def test_a_on_an_object_opens_its_audit_log() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_health(pilot)
        leaf = find_object(screen, "service_account.owner_role", "service_account")
        await pilot.pause()
        screen.tree.move_cursor(leaf, animate=False)
        await pilot.pause()
        await pilot.press("a")
        await settle(pilot)
        audit = app.screen
        assert isinstance(audit, AuditScreen)
        assert audit.filters is not None
        assert audit.filters.resource_ids == (leaf.data.ref.id,)
        assert [r.item.type for r in audit.table.rows] == ["service_account.created"]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_security_findings_link_to_their_objects() -> None:
    """The demo's certificate close to expiry, its *-prod project without an allow list and
    its project keeping data longer than the organisation are found; enter shows each."""
    from orgtui.ui.features.security.panes import CertificatesPane, SecurityPanel

    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_health(pilot)
        groups = tree_groups(screen)
        expiring = groups["warning"]["certificate.expiring"]
        assert [t for t, _ in expiring] == ["certificate"]
        prod = groups["warning"]["project.prod_no_model_allow_list"]
        names = {app.session.snapshot.project(pid).project.name for _, pid in prod}
        assert names == {"support-bot-prod"}  # search-prod has its allow list
        longer = groups["warning"]["project.retention_longer"]
        assert [app.session.snapshot.project(pid).project.name for _, pid in longer] == [
            "data-pipeline"
        ]
        await select(pilot, screen, find_object(screen, "certificate.expiring", "certificate"))
        assert isinstance(app.screen, MainScreen)
        pane = app.screen.query_one(CertificatesPane)
        for _ in range(200):
            if pane.table.current is not None:
                break
            await pilot.pause(0.02)
        assert pane.table.current is not None and pane.table.current.key == expiring[0][1]
        screen = await open_health(pilot)
        await select(
            pilot,
            screen,
            find_object(screen, "project.retention_longer", "project_security"),
        )
        from textual.widgets import TabbedContent

        panel = app.screen.query_one(SecurityPanel)
        assert panel.project_id == longer[0][1]
        assert app.screen.query_one("#project-tabs", TabbedContent).active == "tab-security"


async def test_access_findings_and_enter_on_a_group() -> None:
    from orgtui.ui.features.access.groups_screen import GroupsScreen, GroupsTable

    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_health(pilot)
        groups = tree_groups(screen)
        assert "access.owner_level_group_role" in groups["warning"]
        assert "access.direct_duplicates_group" in groups["info"]
        leaf = find_object(screen, "access.owner_level_group_role", "group")
        await select(pilot, screen, leaf)
        opened = app.screen
        assert isinstance(opened, GroupsScreen)
        current = opened.query_one(GroupsTable).current
        assert current is not None and current.item.group.name == "Support team"
