"""SVG snapshots of the Groups screen (frozen clock, seed 1): the demo's three teams, with the
Support team's members.

Update with `pytest tests/ui/test_groups_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from typing import Any

import pytest
from snapshot_scenes import build_app, settle


async def open_groups(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("W")
    await settle(pilot)
    await pilot.press("down")  # the Support team
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_groups_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=open_groups)


async def open_roles(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("P")
    await settle(pilot)
    await pilot.press("down", "down")  # the demo's custom role
    await settle(pilot)


async def open_role_form(pilot: Any) -> None:
    await open_roles(pilot)
    await pilot.press("e")
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_roles_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=open_roles)


def test_role_form(snap_compare: Any) -> None:
    assert snap_compare(build_app(), terminal_size=(80, 24), run_before=open_role_form)


async def open_rate_limit_form(pilot: Any) -> None:
    from test_members_support import goto_project_tab

    await goto_project_tab(pilot, "search-dev", 5)
    pilot.app.screen.query_one("#tab-rate-limits-table").select_key("rl-gpt-4o")
    await pilot.press("e")
    await settle(pilot)


def test_rate_limit_form(snap_compare: Any) -> None:
    assert snap_compare(build_app(), terminal_size=(80, 24), run_before=open_rate_limit_form)
