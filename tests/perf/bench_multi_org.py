"""First paint with three cached organisations vs one (a script, not a test): ratios.

    python tests/perf/bench_multi_org.py [--quick] [--runs 9] [--json]

Two rows, each with one org and three orgs alternating (median of the runs):

- process start: the real entry point, `python -m orgtui --profile org0 --profile org1
  --profile org2` vs `python -m orgtui --profile org0`, timed from the spawn to the first frame
  of the main screen by the console's benchmark hook (`_entry.first_paint`). The three profiles
  of a config file point at `orgtui sandbox serve` in another process (its demo org; the admin
  key comes from OPENAI_ADMIN_KEY), and their caches were filled over HTTP first, as an earlier
  run would have: Python's start-up, every import, config, connections, each org's cache load,
  mount and the first frame.
- in-process: imports first (not timed), then the clock starts, the console is built with N
  in-process sandbox connections (each org's cache loaded) and run headless, and the clock stops
  at the first frame (`OrgTuiApp._after_first_frame`, which is also where each org's first
  refresh starts: nothing before it sends a request). What the orgs themselves cost.

Target: three orgs <= 1.2x one org, on the first row (first paint as DESIGN.md defines it); the
second is for diagnosis (it leaves out what both pay alike, so its ratio is larger).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]
NOW = 1795012200.0

from _entry import console_argv, first_paint  # noqa: E402
from _harness import (  # noqa: E402
    Row,
    format_table,
    isolated_env,
    median,
    rows_to_json,
    served_sandbox,
    warm_cache,
)

PROFILES = ("org0", "org1", "org2")


def _profiles(n: int) -> list[Any]:
    from orgtui.config import Profile

    return [
        Profile(name=f"org{i}", base_url="http://sandbox/v1", org_name=f"Org {i}") for i in range(n)
    ]


def _connections(n: int) -> list[Any]:
    from orgtui.connect import connection_for_app
    from orgtui.core.clock import FrozenClock
    from orgtui.sandbox import create_app

    clock = FrozenClock(NOW)
    return [
        connection_for_app(create_app(None, seed=1, clock=clock), p, requests_per_minute=60000)
        for p in _profiles(n)
    ]


async def _warm(n: int) -> None:
    for conn in _connections(n):
        await warm_cache(conn)


async def _first_paint(n: int) -> float:
    from orgtui.core.clock import FrozenClock
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.features.shell.main_screen import MainScreen

    assert MainScreen  # imported before the clock starts, as the entry point's imports are
    connections = _connections(n)
    clock = FrozenClock(NOW)
    painted: list[float] = []

    start = time.perf_counter()
    app = OrgTuiApp(connections, clock=clock)

    def first_frame() -> None:  # what `_after_first_frame` would start is not timed
        painted.append(time.perf_counter())
        app.exit(0)

    app._after_first_frame = first_frame  # type: ignore[method-assign]
    await app.run_async(headless=True, size=(120, 40))
    if not painted:
        raise RuntimeError("the console exited before its first frame")
    return painted[0] - start


def _child(n: int, cache_dir: str, warm: bool) -> float:
    import subprocess as sp

    env = isolated_env(Path(cache_dir))
    argv = [sys.executable, str(Path(__file__).resolve()), "--child", str(n)]
    if warm:
        argv.append("--warm")
    proc = sp.run(argv, env=env, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        raise RuntimeError((proc.stderr or proc.stdout).strip().splitlines()[-3:])
    return float(json.loads(proc.stdout.strip().splitlines()[-1])["seconds"])


# ------------------------------------------------------------ process start (real entry point)


def _served(env: dict[str, str], root: Path) -> contextlib.AbstractContextManager[str]:
    """`orgtui sandbox serve` (the demo org) in another process; yields its base URL."""
    return served_sandbox(env, root)


def _write_config(env: dict[str, str], base_url: str) -> None:
    """Three profiles on the served sandbox, unpaced (the server does not throttle)."""
    config = Path(env["ORGTUI_CONFIG_DIR"]) / "config.toml"
    config.write_text(
        "".join(
            f'[profiles.{name}]\nbase_url = "{base_url}"\norg_name = "Org {i} (served)"\n'
            "requests_per_minute = 100000\n\n"
            for i, name in enumerate(PROFILES)
        ),
        encoding="utf-8",
    )


async def _warm_served() -> None:
    """Fill each profile's cache over HTTP, as an earlier console run would have."""
    from orgtui.connect import open_connection

    for name in PROFILES:
        await warm_cache(open_connection(name), f"{name} warm-up")


def _paint(argv: list[str], env: dict[str, str]) -> float:
    seconds, shown = first_paint(argv, env)
    if shown != "MainScreen":
        raise RuntimeError(f"{argv} painted {shown}, not MainScreen")
    return seconds


def _process_start_row(tmp: Path, runs: int) -> Row:
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    root = tmp / "process"
    env = {**isolated_env(root), "OPENAI_ADMIN_KEY": SANDBOX_ADMIN_KEY}
    one_org = console_argv("--profile", PROFILES[0])
    three_orgs = console_argv(*(arg for name in PROFILES for arg in ("--profile", name)))
    with _served(env, root) as base_url:
        _write_config(env, base_url)
        argv = [sys.executable, str(Path(__file__).resolve()), "--warm-served"]
        warm = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=600)
        if warm.returncode != 0:
            raise RuntimeError((warm.stderr or warm.stdout).strip().splitlines()[-3:])
        _paint(one_org, env)  # warm-up of each: file cache, any missing .pyc
        _paint(three_orgs, env)
        one: list[float] = []
        three: list[float] = []
        for _ in range(runs):  # interleaved: the machine's load falls on both alike
            one.append(_paint(one_org, env))
            three.append(_paint(three_orgs, env))
    return Row(
        "first paint, 3 cached orgs (process start)",
        median(three),
        baseline=median(one),
        baseline_label="1 cached org",
        limit=1.2,
        note=f"spawn -> first frame of `python -m orgtui --profile org0 --profile org1 "
        f"--profile org2` vs `--profile org0`, served sandbox, caches warm; median of {runs} "
        f"interleaved pairs; 3 orgs {min(three):.2f}-{max(three):.2f}s, "
        f"1 org {min(one):.2f}-{max(one):.2f}s",
        source="bench_multi_org",
        samples=three,
    )


# ------------------------------------------------------------------------------------ driver


def measure(*, quick: bool = False, runs: int | None = None) -> list[Row]:
    runs = runs or (3 if quick else 9)
    with tempfile.TemporaryDirectory(prefix="orgtui-bench-multi-") as tmp:
        rows = [_process_start_row(Path(tmp), runs)]
        _child(3, tmp, warm=True)  # three orgs' caches (org0 is the one-org case's)
        one: list[float] = []
        three: list[float] = []
        for _ in range(runs):  # interleaved: the machine's load falls on both alike
            one.append(_child(1, tmp, warm=False))
            three.append(_child(3, tmp, warm=False))
    rows.append(
        Row(
            "first paint, 3 cached orgs (in-process)",
            median(three),
            baseline=median(one),
            baseline_label="1 cached org",
            note=f"for diagnosis, no target (the target is first paint from process start): "
            f"what the orgs alone cost, imports done, no Python start-up; median of {runs} "
            f"interleaved child runs",
            source="bench_multi_org",
            samples=three,
        )
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--warm-served", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_served:
        asyncio.run(_warm_served())
        return 0
    if args.child:
        if args.warm:
            asyncio.run(_warm(args.child))
            print(json.dumps({"seconds": 0.0}))
        else:
            print(json.dumps({"seconds": asyncio.run(_first_paint(args.child))}))
        return 0
    rows = measure(quick=args.quick, runs=args.runs)
    print(rows_to_json(rows) if args.json else format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
