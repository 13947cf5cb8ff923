"""SVG snapshots of a project's Groups tab, a project's roles, and "what they can do, and why"
for a member and a group (frozen clock, seed 1, the demo organisation).

Update with `pytest tests/ui/test_access_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from typing import Any

import pytest
from snapshot_scenes import build_app, settle
from test_members_support import goto_node, goto_project_tab, user

SIZES = [(120, 40), (80, 24)]
SHAFI = "shafi.goldwasser@acme-robotics.example"


async def open_groups_tab(pilot: Any) -> None:
    await goto_project_tab(pilot, "search-prod", 7)
    await settle(pilot)


async def open_project_roles(pilot: Any) -> None:
    await open_groups_tab(pilot)
    await pilot.press("p")
    await settle(pilot)
    await pilot.press("down", "down")  # the project's custom role
    await settle(pilot)


async def explain_member(pilot: Any) -> None:
    await goto_node(pilot, "members")
    pilot.app.screen.query_one("#members-table").select_key(user(pilot.app, SHAFI).id)
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


async def explain_group(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("W")
    await settle(pilot)
    await pilot.press("down")  # the Support team
    await settle(pilot)
    await pilot.press("w")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_project_groups_tab(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=open_groups_tab)


@pytest.mark.parametrize("size", SIZES)
def test_project_roles(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=open_project_roles)


@pytest.mark.parametrize("size", SIZES)
def test_explain_member(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=explain_member)


@pytest.mark.parametrize("size", SIZES)
def test_explain_group(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=explain_group)
