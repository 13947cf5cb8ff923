"""SVG snapshots of the console's main scenes (tests/ui/snapshots/), at 80x24 and 120x40.

Scenes come from snapshot_scenes.py (the same ones `make_screenshots.py` renders). Update with
`pytest tests/ui/test_shell_snapshots.py --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_textual_snapshot import SVGImageExtension
from snapshot_scenes import SCENES
from textual._doc import take_svg_screenshot

CASES = [
    pytest.param(name, size, id=f"{name}-{size[0]}x{size[1]}")
    for name, scene in SCENES.items()
    if scene.snapshot
    for size in scene.sizes
]


class _ShellSnapshots(SVGImageExtension):
    """Keep the shell's pictures in tests/ui/snapshots/<test module>/."""

    @classmethod
    def dirname(cls, *, test_location: Any) -> str:
        return str(Path(test_location.filepath).parent / "snapshots" / test_location.basename)


@pytest.fixture
def shell_snap(snapshot: Any) -> Any:
    snap = snapshot.use_extension(_ShellSnapshots)

    def compare(app: Any, *, terminal_size: tuple[int, int], run_before: Any) -> bool:
        svg = take_svg_screenshot(app=app, terminal_size=terminal_size, run_before=run_before)
        return bool(snap == svg)

    return compare


@pytest.mark.parametrize(("name", "size"), CASES)
def test_scene(shell_snap: Any, name: str, size: tuple[int, int]) -> None:
    scene = SCENES[name]
    assert shell_snap(scene.build(), terminal_size=size, run_before=scene.run_before)
