"""Benchmark: one incident poll (`orgtui.core.incident`) on the scale organisation.

Org: the sandbox's `--scale` org (500 projects, 10,000 keys in one, 2,000 users; `--quick`
50,2000,300), in-process, with one key in incident (x25 for the last 15 minutes), unpaced.

Figures:
- requests per poll: every request the poll made, counted by a wrapper around the transport
  (grouped queries: one hourly per kind, one costs, minute-by-minute for 3 kinds). Target: <= 12.
- answers -> ranked: the time `rank()` takes on the answers once they have all arrived (the
  panel's work before drawing). Target: < 1 s.
- answers -> panel drawn: `rank()`, then the incident panel (`IncidentScreen.show`) filling its
  table and a whole frame of it rendered (`export_screenshot`), in a headless 120x40 app whose
  snapshot holds the scale org's projects and keys (read from the sandbox's store). Target: < 1 s.
- the whole poll (sandbox included), the bytes answered and peak memory: info.
Not a test: nothing here asserts.

    /work/venv/bin/python tests/perf/bench_incident.py [--quick] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import Row, format_table, rows_to_json  # noqa: E402

FULL_SCALE = (500, 10_000, 2_000)
QUICK_SCALE = (50, 2_000, 300)


async def _poll(scale: tuple[int, int, int]) -> dict[str, Any]:
    import httpx

    from orgtui.api.client import AdminClient
    from orgtui.core.incident import _refine_choice, rank
    from orgtui.core.incident_fetch import fetch_hourly, fetch_minutes
    from orgtui.sandbox import SANDBOX_ADMIN_KEY, create_app

    root = Path(tempfile.mkdtemp(prefix="bench-incident-"))
    app = create_app(root / "sandbox.sqlite3", scale=scale)
    sb = app.state.sandbox
    now = time.time()
    sources = [
        s
        for s in sb.traffic.sources()
        if s["deleted_at"] is None and s["active_until"] is None and s["weight"]
    ]
    key = str(sources[len(sources) // 2]["api_key_id"])
    sb.set_incident(key, since=now - 15 * 60)
    seen: list[int] = []

    class Counting(httpx.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx.ASGITransport(app=app)

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            response = await self.inner.handle_async_request(request)
            await response.aread()
            seen.append(len(response.content))
            return response

    async with AdminClient(
        "http://sandbox/v1",
        SANDBOX_ADMIN_KEY,
        transport=Counting(),
        requests_per_minute=1_000_000,
        timeout=900,
    ) as client:
        started = time.perf_counter()
        data = await fetch_hourly(client, now)
        await fetch_minutes(client, data, _refine_choice(data))
        answered = time.perf_counter()
        report = rank(data)
        ranked = time.perf_counter()
        drawn_s = await _draw(sb, data, client)
    first = report.spikes(3.0)[0] if report.spikes(3.0) else None
    return {
        "requests": len(seen),
        "bytes": sum(seen),
        "poll_s": ranked - started,
        "rank_s": ranked - answered,
        "drawn_s": drawn_s,
        "rows": len(report.rows),
        "incident_first": bool(first and first.scope == "key" and first.id == key),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _snapshot(sb: Any) -> Any:
    """What the panel reads of a snapshot (project and key names), from the sandbox's store."""
    from types import SimpleNamespace

    from orgtui.core.snapshot import ProjectView

    keys: dict[str, list[Any]] = {}
    for row in sb.store.query("SELECT id, name, project_id FROM api_keys"):
        keys.setdefault(row["project_id"], []).append(
            SimpleNamespace(id=row["id"], name=row["name"])
        )
    views = {
        row["id"]: ProjectView(
            project=SimpleNamespace(id=row["id"], name=row["name"]),  # type: ignore[arg-type]
            api_keys=keys.get(row["id"], []),
        )
        for row in sb.store.query("SELECT id, name FROM projects")
    }
    return SimpleNamespace(projects=views, project=views.get)


async def _draw(sb: Any, data: Any, client: Any) -> float:
    """Seconds from the answers (all arrived) to the panel drawn: rank, fill, render a frame."""
    from types import SimpleNamespace

    from textual.app import App

    from orgtui.core.incident import rank
    from orgtui.ui.features.incident.screen import IncidentScreen

    session = SimpleNamespace(
        client=client,
        snapshot=_snapshot(sb),
        profile=SimpleNamespace(name="bench", thresholds=SimpleNamespace(spike_factor=3.0)),
    )

    class Panel(IncidentScreen):
        def action_reload(self) -> None:  # the answers are handed over below, not fetched
            pass

    class Bench(App[None]):
        pass

    app = Bench()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = Panel(session)  # type: ignore[arg-type]
        await app.push_screen(screen)
        await pilot.pause()
        started = time.perf_counter()
        screen.show(rank(data))
        await pilot.pause()
        app.export_screenshot()
        drawn = time.perf_counter() - started
        assert screen.rows, "the panel drew no rows"
    return drawn


def measure(*, quick: bool = False) -> list[Row]:
    scale = QUICK_SCALE if quick else FULL_SCALE
    r = asyncio.run(_poll(scale))
    org = f"{scale[0]} projects, {scale[1]} keys"
    first = "incident key ranked first" if r["incident_first"] else "incident key NOT first"
    return [
        Row(
            "incident poll: requests",
            r["requests"],
            unit="req",
            limit=12,
            limit_on="value",
            note=f"{org}; {first}",
            source="bench_incident",
        ),
        Row(
            "incident: answers -> ranked",
            r["rank_s"],
            limit=1.0,
            limit_on="value",
            note=f"{r['rows']} rows ranked",
            source="bench_incident",
        ),
        Row(
            "incident: answers -> panel drawn",
            r["drawn_s"],
            limit=1.0,
            limit_on="value",
            note="rank + fill the table + render a 120x40 frame",
            source="bench_incident",
        ),
        Row(
            "incident poll, sandbox in-process",
            r["poll_s"],
            note=f"{r['bytes'] / 1e6:.0f} MB answered",
            source="bench_incident",
        ),
        Row("incident poll peak memory", r["peak_mb"], unit="MB", source="bench_incident"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = measure(quick=args.quick)
    print(rows_to_json(rows) if args.json else format_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
