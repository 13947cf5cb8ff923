"""SVG snapshots of the console's main scenes (tests/ui/snapshots/), at 80x24 and 120x40.

Scenes come from snapshot_scenes.py (the same ones `make_screenshots.py` renders). Update with
`pytest tests/ui/test_shell_snapshots.py --snapshot-update`, then look at every changed SVG.
"""

from __future__ import annotations

import difflib
import html
import re
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


def _words(svg: str) -> list[str]:
    """The text an SVG screenshot shows, one fragment a line (for a readable failure)."""
    found = re.findall(r">([^<]*)</text>", svg)
    return [html.unescape(t).replace("\xa0", " ") for t in found if t.strip("&#160; ")]


@pytest.fixture
def shell_snap(snapshot: Any, request: Any, tmp_path: Path) -> Any:
    snap = snapshot.use_extension(_ShellSnapshots)

    def compare(app: Any, *, terminal_size: tuple[int, int], run_before: Any) -> bool:
        svg = take_svg_screenshot(app=app, terminal_size=terminal_size, run_before=run_before)
        if snap == svg:
            return True
        # Say what differs: CI keeps only the log.
        stored = Path(request.node.path).parent / "snapshots" / Path(request.node.path).stem
        old = stored / f"{request.node.name}.svg"
        (tmp_path / "actual.svg").write_text(svg, encoding="utf-8")
        if old.exists():
            diff = difflib.unified_diff(
                _words(old.read_text(encoding="utf-8")), _words(svg), "stored", "now", lineterm=""
            )
            print("\n".join(list(diff)[:60]))
        print(f"actual screenshot: {tmp_path / 'actual.svg'}")
        return False

    return compare


@pytest.mark.parametrize(("name", "size"), CASES)
def test_scene(shell_snap: Any, name: str, size: tuple[int, int]) -> None:
    scene = SCENES[name]
    assert shell_snap(scene.build(), terminal_size=size, run_before=scene.run_before)
