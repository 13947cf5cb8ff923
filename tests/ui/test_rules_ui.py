"""Core's rules refuse before any dialog opens: the dispatch asks `core.rules.precheck`."""

from __future__ import annotations

from typing import Any

import pytest
from test_members_support import notes, project, run, settle

from orgtui.core import actions as A
from orgtui.ui.features.shell.main_screen import MainScreen


@pytest.mark.parametrize(
    ("action", "scope", "doing"),
    [
        ("limit.set", A.LIMITS, "setting its limit"),
        ("limit.remove", A.LIMITS, "removing its limit"),
        ("alert.create", A.LIMITS, "adding an alert"),
        ("rate_limit.edit", A.RATE_LIMIT, "changing its rate limits"),
        ("project.rename", A.PROJECT, "renaming it"),
        ("key.create", A.PROJECT, "creating a key"),
    ],
)
async def test_archived_project_refused_before_any_dialog(
    make_app: Any, action: str, scope: str, doing: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        archived = project(app, "experiment-2025")
        app.clear_notifications()
        await run(pilot, action, scope=scope, project_id=archived.id)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen), app.screen
        assert notes(app) == [
            f"{app.registry.get(action).label}: Project experiment-2025 is archived: archived "
            f"projects cannot be used or updated, so {doing} is not possible"
        ]


@pytest.mark.parametrize(
    ("action", "scope"),
    [("project.create", A.TREE), ("invite.create", A.GLOBAL), ("limit.set", A.LIMITS)],
)
async def test_read_only_refused_before_any_dialog(make_app: Any, action: str, scope: str) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.clear_notifications()
        await run(pilot, action, scope=scope)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen), app.screen
        (note,) = notes(app)
        assert note.startswith(f"Read-only: {app.registry.get(action).label} is not allowed")
