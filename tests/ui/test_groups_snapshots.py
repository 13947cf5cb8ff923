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
