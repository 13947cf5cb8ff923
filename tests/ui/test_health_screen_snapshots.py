"""SVG snapshots of the health screen (frozen clock, seed 1, UTC).

Update with `pytest tests/ui/test_health_screen_snapshots.py --snapshot-update`, then look.
"""

from __future__ import annotations

from typing import Any

import pytest
from snapshot_scenes import build_app, settle

import orgtui.ui.features.shell.reveal  # noqa: F401  (registers view.audit / view.health)


async def open_health(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("h")
    await settle(pilot)
    await pilot.press("down", "down", "down", "down", "down", "down")  # onto a key
    await settle(pilot)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_health(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=open_health)
