"""Console performance figures (a script, not a test): ratios, not single times.

    python tests/perf/bench_console.py [--runs 5] [--keys 10000] [--json]

1. First paint: process start -> first frame of the main screen through the real entry point,
   `python -m orgtui --demo` with a warm cache (see _entry.py: the console's benchmark hook),
   vs the hello-world Textual app timed by the same hook, interleaved, median of N.
2. A project with N keys: time from the snapshot arriving to the table painted, for orgtui's
   VirtualTable, next to Textual's DataTable.add_rows for reference.
3. Responsiveness: lateness of a 50 ms heartbeat timer while scrolling that table (p50/p95).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "ui"), str(HERE)]
NOW = 1795012200.0

from _entry import console_argv, describe, paired  # noqa: E402
from _harness import Row, format_table, median, rows_to_json, warm_cache  # noqa: E402


def _scratch_env() -> None:
    root = Path(tempfile.mkdtemp(prefix="orgtui-bench-"))
    for kind in ("CONFIG", "CACHE", "DATA", "STATE"):
        (root / kind.lower()).mkdir()
        os.environ[f"ORGTUI_{kind}_DIR"] = str(root / kind.lower())


# ---------------------------------------------------------------------- first paint, real path


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("TEXTUAL", "PYTHONDONTWRITEBYTECODE")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return env


async def _warm_demo() -> int:
    """What an earlier `orgtui --demo` leaves behind: the demo database and a full cache."""
    from orgtui.connect import open_connection

    return await warm_cache(open_connection(demo=True), "demo warm-up")


# ---------------------------------------------------------------------- in-process figures


def _keys(n: int, now: float) -> list[Any]:
    from orgtui.api.models import ApiKeyOwner, ProjectApiKey, ProjectApiKeyOwnerServiceAccount

    account = ProjectApiKeyOwnerServiceAccount(id="svc_x", name="bench-bot")
    owner = ApiKeyOwner(type="service_account", service_account=account)
    return [
        ProjectApiKey(
            id=f"key_{i:05d}",
            name=f"bench-key-{i:05d}",
            redacted_value=f"sk-proj...{i:04d}"[-17:],
            created_at=int(now - i * 600),
            last_used_at=int(now - i * 60),
            owner_project_access="active",
            owner=owner,
        )
        for i in range(n)
    ]


async def _next_frame(widget: Any) -> None:
    """Until the frame showing `widget`'s current state has been drawn.

    Not `pilot.pause()`: that waits for the whole process to go idle, and the console's timers
    (sync progress, usage polling) keep it from being idle for a while.
    """
    drawn = asyncio.Event()
    widget.refresh()
    widget.call_after_refresh(drawn.set)
    await drawn.wait()


async def _big_table(n: int) -> dict[str, float]:
    from snapshot_scenes import connect, new_sandbox, settle

    from orgtui.core.clock import FrozenClock
    from orgtui.core.snapshot import PartStatus, project_part
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.widgets.tables import KeysTable

    clock = FrozenClock(NOW)
    app = OrgTuiApp(connect(new_sandbox(clock)), clock=clock)
    keys = _keys(n, NOW)
    out: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        session = app.session
        pid = next(iter(session.snapshot.projects))
        app.main_screen_goto(session.profile.name, pid)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        part = project_part(pid, "keys")
        start = time.perf_counter()
        session.apply(
            session.snapshot.with_project(pid, api_keys=keys).with_part_status(
                part, PartStatus(NOW)
            ),
            [part],
        )
        out["apply"] = time.perf_counter() - start  # core: merge + write 10,000 keys to the cache
        table = app.screen.query_one(KeysTable)
        while len(table.rows) != n:
            await asyncio.sleep(0)
        await _next_frame(table)
        out["show"] = time.perf_counter() - start
        # Heartbeat: a 50 ms timer's lateness while the table scrolls.
        lateness: list[float] = []
        expected = [time.perf_counter() + 0.05]

        def beat() -> None:
            now = time.perf_counter()
            lateness.append(max(0.0, now - expected[0]))
            expected[0] = now + 0.05

        timer = app.set_interval(0.05, beat)
        table.focus()
        scroll_start = time.perf_counter()
        presses = 0
        while time.perf_counter() - scroll_start < 3.0:
            await pilot.press("pagedown" if presses % 40 < 30 else "pageup")
            await pilot.press("down", "down", "up")
            presses += 4
        timer.stop()
        out["presses"] = presses
        out["p50"] = statistics.median(lateness) if lateness else float("nan")
        out["p95"] = (
            statistics.quantiles(lateness, n=20)[18]
            if len(lateness) > 20
            else max(lateness, default=float("nan"))
        )
        out["beats"] = len(lateness)
    return out


async def _datatable(n: int) -> float:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Plain(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    rows = [
        (k.name, k.redacted_value, "bench-bot", "2026-01-01", "1 min ago", "active", "40d")
        for k in _keys(n, NOW)
    ]
    app = Plain()
    async with app.run_test(size=(120, 40)):
        table = app.query_one(DataTable)
        table.add_columns("Name", "Key", "Owner", "Created", "Last used", "Access", "Age")
        start = time.perf_counter()
        table.add_rows(rows)
        await _next_frame(table)
        return time.perf_counter() - start


def measure(*, quick: bool = False, runs: int | None = None, keys: int = 10_000) -> list[Row]:
    """Every figure of this benchmark as table rows (`quick` only lowers the repeat count)."""
    _scratch_env()
    os.environ["TZ"] = "UTC"
    repeat = runs or (3 if quick else 5)
    asyncio.run(_warm_demo())
    # Pairs are cheap (about half a second) and a first paint is noisy: at least 9 of them.
    hello, demo = paired(console_argv("--demo"), _child_env(), max(repeat, 9))
    big = asyncio.run(_big_table(keys))
    plain = asyncio.run(_datatable(keys))
    rows = [
        Row("first paint, orgtui --demo (warm cache)", median(demo), baseline=median(hello),
            baseline_label="hello-world app", limit=1.5, samples=demo,
            note="process start -> first frame via `python -m orgtui --demo`; "
            + describe(hello, demo)),
        Row(f"{keys:,} keys: snapshot -> table painted", big["show"], limit=0.2,
            limit_on="value", note=f"VirtualTable; {big['apply'] * 1000:.0f} ms of it is "
            "Session.apply (merge + cache write)"),
        Row(f"{keys:,} keys: DataTable.add_rows + paint", plain, baseline=big["show"],
            baseline_label="VirtualTable", note="Textual's DataTable, for reference"),
        Row("heartbeat lateness p50 while scrolling", big["p50"] * 1000, unit="ms",
            note=f"{int(big['beats'])} beats of a 50 ms timer"),
        Row("heartbeat lateness p95 while scrolling", big["p95"] * 1000, unit="ms", limit=50,
            limit_on="value", note=f"{int(big['presses'])} key presses in 3 s"),
    ]  # fmt: skip
    for row in rows:
        row.source = "bench_console"
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = measure(runs=args.runs, keys=args.keys)
    print(rows_to_json(rows) if args.json else format_table(rows))
    print(f"\n(runs={args.runs}, python {sys.version.split()[0]}, {os.cpu_count()} cpus)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
