"""Helpers for the security UI tests: open the Certificates node or a project's Security tab
and wait for what it read."""

from __future__ import annotations

from typing import Any

from snapshot_scenes import settle
from test_keys_support import goto_project

from orgtui.ui.features.security.panes import CertificatesPane, SecurityPanel
from orgtui.ui.widgets.org_tree import CERTIFICATES, NodeRef
from tests import pilot_support


async def open_certificates(pilot: Any, *, focus: bool = True) -> CertificatesPane:
    await settle(pilot)
    app = pilot.app
    main = app.screen
    main.tree.select_ref(NodeRef(app.session.profile.name, CERTIFICATES))
    await settle(pilot)
    pane = await wait_until(pilot, lambda: _pane(app))
    await wait_until(pilot, lambda: pane.overview is not None and not pane.loading)
    if focus:
        pane.table.focus()
    await settle(pilot)
    return pane


def _pane(app: Any) -> CertificatesPane | None:
    found = list(app.screen.query(CertificatesPane))
    return found[0] if found and found[0].display else None


async def open_security(pilot: Any, project: str) -> SecurityPanel:
    pid = await goto_project(pilot, project)
    from orgtui.ui.features.projects.detail_pane import ProjectDetail

    detail = pilot.app.screen.query_one(ProjectDetail)
    detail.action_tab_index(5)
    panel = pilot.app.screen.query_one(SecurityPanel)
    await wait_until(pilot, lambda: panel.project_id == pid and panel.data is not None)
    panel.focus()
    await settle(pilot)
    return panel


async def wait_until(pilot: Any, check: Any, rounds: int = 200) -> Any:
    """Until `check()` is truthy; returns its value (`pilot_support.wait_until`)."""
    return await pilot_support.wait_until(pilot, check)


def cert_rows(pane: CertificatesPane) -> dict[str, str]:
    """Each row's name -> its cells as plain text."""
    out = {}
    for row in pane.table.all_rows:
        cells = [c.plain if hasattr(c, "plain") else str(c) for c in row.cells]
        out[cells[0]] = " | ".join(cells)
    return out
