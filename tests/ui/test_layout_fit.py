"""Every screen and modal at 80x24 and 120x40: each Button and each focusable widget can be
seen, at once or once focused (a scrollable container brings it into view)."""

from __future__ import annotations

import pytest
from conftest import SNAPSHOT_SIZES
from layout_harness import SURFACES, Surface, unreachable
from snapshot_scenes import build_app


@pytest.mark.parametrize("size", SNAPSHOT_SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
async def test_every_control_can_be_seen(surface: Surface, size: tuple[int, int]) -> None:
    app = build_app()
    async with app.run_test(size=size) as pilot:
        await surface.open(pilot)
        assert type(app.screen).__name__ == surface.screen
        assert await unreachable(pilot) == []
