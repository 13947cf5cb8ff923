"""SVG snapshots of the audit log and an event's details (frozen clock, seed 1, UTC).

Update with `pytest tests/ui/test_audit_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from typing import Any

import pytest
from snapshot_scenes import build_app, settle

import orgtui.ui.features.shell.reveal  # noqa: F401  (registers view.audit / view.health)


async def open_audit(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)


async def open_detail(pilot: Any) -> None:
    await open_audit(pilot)
    await pilot.press("down", "down", "enter")
    await settle(pilot)


async def filtered(pilot: Any) -> None:
    await open_audit(pilot)
    await pilot.press("slash")  # to the filters
    screen = pilot.app.screen
    screen.query_one("#f-event").value = "api_key.*"
    screen.query_one("#f-project").value = "nowhere"
    screen.query_one("#f-time").value = "30d"
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_audit_log(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=open_audit)


def test_audit_event_details(snap_compare: Any) -> None:
    assert snap_compare(build_app(), terminal_size=(120, 40), run_before=open_detail)


def test_audit_filter_error(snap_compare: Any) -> None:
    assert snap_compare(build_app(), terminal_size=(80, 24), run_before=filtered)
