"""First paint with three cached organisations vs one (a script, not a test): a ratio.

    python tests/perf/bench_multi_org.py [--runs 7] [--json]

Each run is a fresh child process: imports first (not timed), then the clock starts, the
console is built with N connections (each org's cache loaded) and run headless, and the clock
stops when the first frame of the main screen is drawn (`OrgTuiApp._after_first_frame`, which is
also where each org's first refresh starts: nothing before it sends a request). One org and
three orgs alternate, median of the runs; every org has the same cached demo data (a warm-up
child fills the caches first). Target: three orgs <= 1.2x one org.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(HERE)]
NOW = 1795012200.0

from _harness import Row, format_table, isolated_env, median, rows_to_json  # noqa: E402


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
    from orgtui.core.cache import Cache
    from orgtui.core.session import Session
    from orgtui.core.sync import Syncer

    for conn in _connections(n):
        session = Session(conn.profile, conn.client, Cache.open(conn.profile))
        try:
            result = await Syncer(session).refresh_all()
            if result.errors:
                raise RuntimeError(f"warm-up failed: {list(result.errors.items())[:2]}")
        finally:
            session.close()
            await conn.aclose()


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


def measure(*, quick: bool = False, runs: int | None = None) -> list[Row]:
    runs = runs or (3 if quick else 7)
    with tempfile.TemporaryDirectory(prefix="orgtui-bench-multi-") as tmp:
        _child(3, tmp, warm=True)  # three orgs' caches (org0 is the one-org case's)
        one: list[float] = []
        three: list[float] = []
        for _ in range(runs):  # interleaved: the machine's load falls on both alike
            one.append(_child(1, tmp, warm=False))
            three.append(_child(3, tmp, warm=False))
    return [
        Row(
            "first paint, 3 cached orgs",
            median(three),
            baseline=median(one),
            baseline_label="1 cached org",
            limit=1.2,
            note=f"in-process (imports done), median of {runs} interleaved child runs",
            source="bench_multi_org",
            samples=three,
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
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
