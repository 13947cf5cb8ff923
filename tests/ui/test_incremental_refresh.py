"""The periodic refresh reads the audit log: another admin's change appears in the tree after one
cycle, and the header says when the org was last refreshed in full and from the log."""

from __future__ import annotations

from typing import Any

import httpx
from conftest import settle

from orgtui.sandbox import SANDBOX_ADMIN_KEY
from orgtui.ui.widgets.header import ConsoleHeader


async def test_periodic_refresh_brings_in_another_admins_project(
    make_app: Any, sandbox_app: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        header = app.screen.query_one(ConsoleHeader)
        assert header.state.sync_note == "full 14:30"
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=sandbox_app),
            base_url="http://sandbox/v1/organization",
            headers={"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"},
        ) as other_admin:
            made = await other_admin.post("/projects", json={"name": "made-elsewhere"})
        assert made.status_code == 200
        syncer = app.syncers["demo"]
        full_requests = syncer.last_cycle.requests

        app._periodic_refresh()
        await settle(pilot, app)

        names = [v.project.name for v in app.session.snapshot.projects.values()]
        assert "made-elsewhere" in names
        assert syncer.last_cycle.mode == "incremental"
        assert syncer.last_cycle.requests < full_requests / 3
        note = app.screen.query_one(ConsoleHeader).state.sync_note
        assert note.startswith("full 14:30 · changes 14:30,") and note.endswith(" req")
        assert "made-elsewhere" in _tree_labels(app.screen.tree.root)


def _tree_labels(node: Any) -> str:
    return str(node.label) + "\n" + "".join(_tree_labels(c) for c in node.children)


async def test_header_shows_the_live_request_count(make_app: Any, monkeypatch: Any) -> None:
    from orgtui.ui.app import OrgTuiApp

    monkeypatch.setattr(OrgTuiApp, "live_counters", True)  # the console's own default
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        header = app.screen.query_one(ConsoleHeader)
        shown = header.state.requests
        assert 0 < shown <= app.session.client.budget.requests_made
        assert f"{shown} req" in str(header.render())
