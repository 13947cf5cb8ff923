"""SVG snapshots of the console's main scenes (tests/ui/__snapshots__/), at 80x24 and 120x40.

Scenes come from snapshot_scenes.py (the same ones `make_screenshots.py` renders). Update with
`pytest tests/ui/test_shell_snapshots.py --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

from typing import Any

import pytest
from snapshot_scenes import SCENES

CASES = [
    pytest.param(name, size, id=f"{name}-{size[0]}x{size[1]}")
    for name, scene in SCENES.items()
    if scene.snapshot
    for size in scene.sizes
]


@pytest.mark.parametrize(("name", "size"), CASES)
def test_scene(snap_compare: Any, name: str, size: tuple[int, int]) -> None:
    scene = SCENES[name]
    assert snap_compare(scene.build(), terminal_size=size, run_before=scene.run_before)
