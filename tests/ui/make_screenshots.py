"""Regenerate screenshots/*.svg from the snapshot scenes (same scenes as the snapshot tests).

    python tests/ui/make_screenshots.py [scene ...] [--out screenshots]

Each scene runs in fresh scratch config/cache/data dirs, in UTC, with the frozen clock.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]

from snapshot_scenes import SCENES, Scene  # noqa: E402


def _scratch_env(root: Path) -> None:
    for kind in ("CONFIG", "CACHE", "DATA", "STATE"):
        path = root / kind.lower()
        path.mkdir(parents=True, exist_ok=True)
        os.environ[f"ORGTUI_{kind}_DIR"] = str(path)
    os.environ["TZ"] = "UTC"
    os.environ.pop("NO_COLOR", None)
    time.tzset()


async def _shoot(app: Any, scene: Scene, size: tuple[int, int], out: Path) -> Path:
    async with app.run_test(size=size, notifications=True) as pilot:
        await scene.run_before(pilot)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        target = out / f"{scene.name}-{size[0]}x{size[1]}.svg"
        app.save_screenshot(filename=target.name, path=str(out))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="*", help="scene names (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args(argv)
    unknown = [name for name in args.scenes if name not in SCENES]
    if unknown:
        parser.error(f"unknown scene(s): {', '.join(unknown)}; known: {', '.join(SCENES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.scenes or list(SCENES):
        scene = SCENES[name]
        for size in scene.sizes:
            with tempfile.TemporaryDirectory(prefix="orgtui-shot-") as scratch:
                _scratch_env(Path(scratch))
                app = scene.build()  # outside the loop: some scenes prefill a cache first
                path = asyncio.run(_shoot(app, scene, size, args.out))
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
