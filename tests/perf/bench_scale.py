"""Benchmark: the console against a large organisation under the real request budget.

Org: the sandbox's `--scale` org (default 500 projects, 10,000 keys in one, 2,000 users; `--quick`
50,2000,300). Budget: the sandbox throttles each endpoint at 60 requests/min (sliding window,
100 ms latency) and the client paces itself at 60/min per endpoint, as in production.

Figures (seconds, each next to a baseline measured in this run):
- first paint, real profile: `python -m orgtui --profile served` (the real entry point, admin key
  from OPENAI_ADMIN_KEY) against `orgtui sandbox serve --scale ...` running in ANOTHER process,
  with a warm cache, timed by the console's benchmark hook (see _entry.py), vs hello world.
- first paint from a warm cache (scaffold): an OrgTuiApp built in the child around a transport
  that never answers, timed by the same hook: what the real path costs minus config/connection.
- peak memory, real profile: VmHWM of that console process (no sandbox inside it) painting from
  cache and then refreshing the whole org over HTTP. The older in-process figure (sandbox inside,
  an upper bound) is kept as info.
- visible project fresh: `Syncer.focus(pid)` + `refresh_all()`; when the focused project's five
  parts have landed, vs fetching the project list and that project alone with the same budget.
- full refresh: `refresh_all()` wall time vs the ideal the budget allows (see `ideal_seconds`).
- peak memory: ru_maxrss of a console process painting that org and refreshing all of it.

`--time-scale k` runs the budget k times faster (sandbox and client rpm x k, latency / k); the
seconds shown are multiplied back by k so they read as real-budget seconds, and the ratios are
unchanged. Not a test: nothing here asserts.

    /work/venv/bin/python tests/perf/bench_scale.py [--quick] [--time-scale K] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _entry import console_argv, describe, paired  # noqa: E402
from _harness import (  # noqa: E402
    Row,
    format_table,
    isolated_env,
    median,
    report_child,
    rows_to_json,
    run_child,
    served_sandbox,
    warm_cache,
)

FULL_SCALE = (500, 10_000, 2_000)
QUICK_SCALE = (50, 2_000, 300)
RPM = 60  # per endpoint, client and sandbox alike
LATENCY_MS = 100.0
PROFILE = "scale"
SERVED = "served"  # the real profile: a sandbox served by another process
BASE_URL = "http://127.0.0.1/v1"  # never dialled: every transport here is in-process
FAKE_KEY = "sk-admin-bench-FAKE-KEY-not-real-0000"
SIZE = (160, 50)


def say(text: str) -> None:
    print(f"[bench_scale] {text}", file=sys.stderr, flush=True)


def ideal_seconds(counts: dict[str, int], rpm: float) -> float:
    """The fastest a full refresh can be under the budget.

    Every endpoint (method + path template) is paced on its own at `rpm`, so the endpoints run in
    parallel and the one needing the most requests sets the pace: max over templates of
    requests / (rpm / 60). (The client's small burst and the server's sliding window could
    shave a few seconds off that; the figure ignores them, as they do not scale with the org.)
    """
    return max(counts.values()) / (rpm / 60.0)


# ---------------------------------------------------------------------------- in-process parts


class _CountingApp:
    """ASGI wrapper counting /v1 requests per endpoint template (the sandbox's own grouping)."""

    def __init__(self, app: Any) -> None:
        from orgtui.sandbox.faults import endpoint_key

        self.app = app
        self.key = endpoint_key
        self.counts: Counter[str] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("path", "").startswith("/v1"):
            self.counts[self.key(scope["method"], scope["path"])] += 1
        await self.app(scope, receive, send)


@contextlib.contextmanager
def _env(env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _profile(**extra: Any) -> Any:
    from orgtui.config import Profile

    return Profile(name=PROFILE, base_url=BASE_URL, org_name="Scale bench", **extra)


def _client(asgi: Any, rpm: float | None) -> Any:
    import httpx

    from orgtui.api.client import AdminClient
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    return AdminClient(
        BASE_URL, SANDBOX_ADMIN_KEY, transport=httpx.ASGITransport(app=asgi),
        requests_per_minute=rpm,
    )  # fmt: skip


async def _warm(counting: _CountingApp) -> tuple[float, str, Any]:
    """Unpaced full refresh into the cache; returns (seconds, focus pid, snapshot)."""
    from orgtui.core.cache import Cache
    from orgtui.core.session import Session
    from orgtui.core.sync import Syncer

    client = _client(counting, None)
    session = Session(_profile(), client, Cache.open(PROFILE))
    try:
        started = time.perf_counter()
        result = await Syncer(session).refresh_all()
        elapsed = time.perf_counter() - started
        if result.errors:
            raise RuntimeError(f"warm refresh failed: {list(result.errors.items())[:3]}")
        snapshot = session.snapshot
    finally:
        session.close()
        await client.aclose()
    # The visible project: the last active one, i.e. the one a refresh without focus does last.
    active = [v.id for v in snapshot.projects.values() if not v.archived]
    return elapsed, active[-1], snapshot


async def _paced(sandbox_app: Any, pid: str, k: float) -> dict[str, Any]:
    """Focus baseline (project alone), then the focused full refresh, both under the budget."""
    from orgtui.core.cache import Cache
    from orgtui.core.session import Session
    from orgtui.core.snapshot import PROJECT_PART_KINDS, project_part
    from orgtui.core.sync import Syncer

    sb = sandbox_app.state.sandbox
    sb.faults.latency_ms = LATENCY_MS / k
    sb.faults.rate_limit_rpm = max(1, round(RPM * k))

    sb.throttle.reset()
    client = _client(sandbox_app, RPM * k)
    alone = Session(_profile(), client, None)
    try:
        started = time.perf_counter()
        await Syncer(alone).refresh_parts(["projects"])
        res = await Syncer(alone).refresh_parts([project_part(pid, k) for k in PROJECT_PART_KINDS])
        alone_s = time.perf_counter() - started
        if res.errors:
            raise RuntimeError(f"focus baseline failed: {res.errors}")
    finally:
        await client.aclose()

    sb.throttle.reset()
    client = _client(sandbox_app, RPM * k)
    session = Session(_profile(), client, Cache.open(PROFILE))
    wanted = {project_part(pid, kind) for kind in PROJECT_PART_KINDS}
    landed: dict[str, float] = {}
    progress: list[tuple[float, int, int]] = []
    started = time.perf_counter()

    def on_change(_snapshot: Any, parts: tuple[str, ...]) -> None:
        now = time.perf_counter() - started
        for part in parts:
            landed.setdefault(part, now)

    session.subscribe(on_change)
    syncer = Syncer(session)
    syncer.focus(pid)
    try:
        started = time.perf_counter()
        result = await syncer.refresh_all(
            on_progress=lambda d, t, _l: progress.append((time.perf_counter() - started, d, t))
        )
        full_s = time.perf_counter() - started
        budget = client.budget
        incremental = await _incremental(sandbox_app, syncer, pid)
    finally:
        session.close()
        await client.aclose()
    missing = wanted - landed.keys()
    return {
        **incremental,
        "alone_s": alone_s,
        "focus_s": None if missing else max(landed[p] for p in wanted),
        "full_s": full_s,
        "errors": len(result.errors),
        "parts": result.done,
        "requests": budget.requests_made,
        "rate_limited": budget.rate_limited,
        "retries": budget.retries,
    }


async def _incremental(sandbox_app: Any, syncer: Any, pid: str) -> dict[str, Any]:
    """After the paced full refresh: a cycle with no changes, then one after another admin
    created a service account (and its key) in 3 projects, under the same budget."""
    import httpx

    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    # Cycles run `refresh_seconds` (300 s) apart: by then the budget spent by the full refresh
    # has refilled. A fresh client stands for that wait.
    full_client = syncer.session.client
    syncer.session.client = _client(sandbox_app, full_client.budget.requests_per_minute)
    sandbox_app.state.sandbox.throttle.reset()
    syncer.focus(pid)
    started = time.perf_counter()
    quiet = await syncer.refresh_incremental()
    quiet_s = time.perf_counter() - started
    active = [v.id for v in syncer.session.snapshot.projects.values() if not v.archived]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox_app),
        base_url=BASE_URL + "/organization",
        headers={"Authorization": f"Bearer {SANDBOX_ADMIN_KEY}"},
    ) as other_admin:
        sandbox_app.state.sandbox.throttle.reset()
        for n, changed in enumerate(active[:3]):
            made = await other_admin.post(
                f"/projects/{changed}/service_accounts", json={"name": f"bench-outside-{n}"}
            )
            made.raise_for_status()
    sandbox_app.state.sandbox.throttle.reset()
    started = time.perf_counter()
    changed_cycle = await syncer.refresh_incremental()
    changed_s = time.perf_counter() - started
    await syncer.session.client.aclose()
    syncer.session.client = full_client
    return {
        "quiet_s": quiet_s,
        "quiet_requests": quiet.requests,
        "quiet_mode": quiet.mode,
        "changed_s": changed_s,
        "changed_requests": changed_cycle.requests,
        "changed_mode": changed_cycle.mode,
    }


# ---------------------------------------------------------------------------- child processes


class _NeverTransport:
    """An httpx transport that never answers: the console can only paint from its cache."""

    async def handle_async_request(self, request: Any) -> Any:
        await asyncio.Event().wait()

    async def aclose(self) -> None:
        return None


def _peak_rss_mb() -> float:
    """This process's peak resident memory.

    VmHWM first: Linux carries ru_maxrss across exec, so a child spawned by a big parent would
    report at least the parent's size; VmHWM belongs to the new address space only.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _child(kind: str, db: str | None) -> int:
    app: Any
    marks: dict[str, Any] = {}
    state: Any = None
    mark_file = os.environ.get("ORGTUI_BENCH_FIRST_PAINT")
    if kind == "hello":
        from textual.app import App, ComposeResult
        from textual.widgets import Static

        class Hello(App[None]):
            def compose(self) -> ComposeResult:
                yield Static("Hello, world")

        app = Hello()
    else:
        from orgtui.api.client import AdminClient
        from orgtui.connect import Connection
        from orgtui.ui.app import OrgTuiApp

        marks["t_imported"] = time.monotonic()

        if kind == "paint":
            client = AdminClient(BASE_URL, FAKE_KEY, transport=_NeverTransport())  # type: ignore[arg-type]
            conn = Connection(profile=_profile(), client=client)
        elif kind == "served":  # the real connection path: config, key from env, HTTP
            from orgtui.connect import open_connection

            conn = open_connection(SERVED)
        else:  # "memory": the real sandbox in-process, unpaced, so the refresh completes
            from orgtui.sandbox import create_app

            sandbox_app = create_app(db)
            conn = Connection(profile=_profile(), client=_client(sandbox_app, None))
        app = OrgTuiApp(conn)  # opens and loads the cache
        marks["t_built"] = time.monotonic()
        state = app.sync_states[conn.profile.name]
    wall_start = time.time()

    async def pilot(p: Any) -> None:
        if kind in ("memory", "served"):
            # Done when no refresh runs and every part was fetched (or failed) since start.
            deadline = time.monotonic() + 600
            done = False
            while not done and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                snap = p.app.session.snapshot
                done = not state.running and all(
                    (st := snap.part(part)) is not None
                    and (st.error is not None or (st.fetched_at or 0) >= wall_start)
                    for part in snap.all_part_ids()
                )
            marks["refresh_done"] = done
            marks["sync_errors"] = len(state.last_errors)
        if kind != "hello":
            marks["projects"] = len(p.app.session.snapshot.projects)
        p.app.exit()

    if mark_file:  # first paint: the console's own benchmark hook (orgtui.ui)
        from orgtui.ui import watch_first_paint

        watch_first_paint(app, mark_file)
        app.run(headless=True, size=SIZE)
        marks["t_mark"] = float(Path(mark_file).read_text(encoding="utf-8").split()[0])
        if kind != "hello":
            marks["projects"] = len(app.session.snapshot.projects)
    else:
        app.run(headless=True, size=SIZE, auto_pilot=pilot)
    marks["maxrss_mb"] = _peak_rss_mb()
    report_child(marks)
    return 0


def _paint_rows(env: dict[str, str], db: Path, repeat: int, n_projects: int) -> list[Row]:
    me = str(Path(__file__).resolve())
    hello: list[float] = []
    console: list[float] = []
    hello_rss: list[float] = []
    imported: list[float] = []
    built: list[float] = []
    hooked = {**env, "ORGTUI_BENCH_FIRST_PAINT": str(db.parent / "first-paint.txt")}
    for i in range(repeat):  # interleaved, so both see the same background load
        _, h = run_child([me, "--child", "hello"], hooked)
        _, c = run_child([me, "--child", "paint"], hooked)
        if c.get("projects") != n_projects:
            raise RuntimeError(f"console painted {c.get('projects')} projects, not {n_projects}")
        hello.append(h["since_spawn"])
        console.append(c["since_spawn"])
        hello_rss.append(h["maxrss_mb"])
        imported.append(c["since_spawn_imported"])
        built.append(c["since_spawn_built"] - c["since_spawn_imported"])
        say(f"first paint {i + 1}/{repeat}: hello {h['since_spawn']:.2f}s, "
            f"console {c['since_spawn']:.2f}s")  # fmt: skip
    say("memory: console painting and refreshing the org (unpaced) ...")
    _, m = run_child([me, "--child", "memory", "--db", str(db)], env, timeout=1200)
    note = "" if m.get("refresh_done") else "refresh did not finish in the child; "
    return [
        Row("first paint from warm cache (scaffold)", median(console), baseline=median(hello),
            baseline_label="hello-world app", samples=console,
            note=f"OrgTuiApp built in the child, transport never answers; median of {repeat}; "
            f"python+imports {median(imported):.2f}s, OrgTuiApp() with cache load "
            f"{median(built):.2f}s, the rest is mount+compose+paint"),
        Row("peak memory, sandbox in-process", m["maxrss_mb"], unit="MB",
            baseline=median(hello_rss), baseline_label="hello-world app",
            note=note + "VmHWM of one process holding the console AND the sandbox, painting from "
            "cache then refreshing everything: an upper bound"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------- real profile


def _served(
    env: dict[str, str], root: Path, scale: tuple[int, int, int]
) -> contextlib.AbstractContextManager[str]:
    """`orgtui sandbox serve --scale ...` in another process; yields its base URL."""
    return served_sandbox(env, root, "--scale", ",".join(map(str, scale)), timeout=600)


def _write_profile(env: dict[str, str], base_url: str) -> None:
    """The `served` profile: unpaced (the server does not throttle), so a refresh completes."""
    config = Path(env["ORGTUI_CONFIG_DIR"]) / "config.toml"
    config.write_text(
        f'[profiles.{SERVED}]\nbase_url = "{base_url}"\norg_name = "Scale bench (served)"\n'
        "requests_per_minute = 100000\n",
        encoding="utf-8",
    )


async def _warm_served() -> int:
    """Fill the `served` profile's cache over HTTP, as an earlier console run would have."""
    from orgtui.connect import open_connection

    return await warm_cache(open_connection(SERVED), "served warm-up")


# A first paint is a third of a second on a shared, noisy machine: this many interleaved
# console/hello-world pairs (about half a second each) keep its median steady.
FIRST_PAINT_PAIRS = 9


def _served_rows(env: dict[str, str], root: Path, scale: tuple[int, int, int], repeat: int
                 ) -> list[Row]:  # fmt: skip
    from orgtui.sandbox import SANDBOX_ADMIN_KEY

    env = {**env, "OPENAI_ADMIN_KEY": SANDBOX_ADMIN_KEY}
    me = str(Path(__file__).resolve())
    with _served(env, root, scale) as base_url:
        _write_profile(env, base_url)
        with _env(env):
            started = time.perf_counter()
            n_projects = asyncio.run(_warm_served())
            say(f"served: {n_projects} projects cached over HTTP in "
                f"{time.perf_counter() - started:.1f}s")  # fmt: skip
        pairs = max(repeat, FIRST_PAINT_PAIRS)
        hello, console = paired(console_argv("--profile", SERVED), env, pairs)
        say(f"served first paint: console {median(console):.2f}s, hello {median(hello):.2f}s")
        say("served memory: console painting, then refreshing the org over HTTP ...")
        _, m = run_child([me, "--child", "served"], env, timeout=1200)
    note = "" if m.get("refresh_done") else "refresh did not finish in the child; "
    return [
        Row("first paint, real profile (warm cache)", median(console), baseline=median(hello),
            baseline_label="hello-world app", limit=1.5, samples=console,
            note="process start -> first frame via `python -m orgtui --profile served`, the "
            "sandbox served by another process; " + describe(hello, console)),
        Row("peak memory, real profile (console alone)", m["maxrss_mb"], unit="MB", limit=300,
            limit_on="value",
            note=note + f"VmHWM of the console process painting {m.get('projects')} projects "
            f"from cache, then refreshing all of them over HTTP ({m.get('sync_errors')} parts "
            "failed); no sandbox in it"),
    ]  # fmt: skip


# ---------------------------------------------------------------------------- driver


def measure(
    *,
    quick: bool = False,
    scale: tuple[int, int, int] | None = None,
    time_scale: float = 1.0,
    repeat: int = 3,
    paint: bool = True,
    refresh: bool = True,
) -> list[Row]:
    """Every figure of this benchmark as table rows (prints progress to stderr)."""
    scale = scale or (QUICK_SCALE if quick else FULL_SCALE)
    k = float(time_scale)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="orgtui-perf-") as tmp:
        root = Path(tmp)
        env = isolated_env(root)
        db = root / "scale.sqlite3"
        with _env(env):
            from orgtui.sandbox import create_app

            started = time.perf_counter()
            sandbox_app = create_app(db, scale=scale)
            say(f"sandbox org {scale} generated in {time.perf_counter() - started:.1f}s")
            counting = _CountingApp(sandbox_app)
            warm_s, pid, snapshot = asyncio.run(_warm(counting))
            counts = dict(counting.counts)
            total = sum(counts.values())
            ideal = ideal_seconds(counts, RPM)
            worst = max(counts, key=lambda t: counts[t])
            say(f"warm cache: {total} requests in {warm_s:.1f}s unpaced; ideal paced {ideal:.0f}s "
                f"({counts[worst]} x {worst})")  # fmt: skip
        if paint:
            rows += _served_rows(env, root, scale, repeat)
            rows += _paint_rows(env, db, repeat, len(snapshot.projects))
        if refresh:
            with _env(env):
                say(f"paced refresh at {RPM * k:g}/min/endpoint (time scale {k:g}), "
                    f"about {ideal / k / 60 * 1.3:.1f} min ...")  # fmt: skip
                r = asyncio.run(_paced(sandbox_app, pid, k))
            scaled = f"time scale {k:g}: seconds x{k:g} back to the real budget; " if k != 1 else ""
            rows += [
                Row("visible project fresh", None if r["focus_s"] is None else r["focus_s"] * k,
                    baseline=r["alone_s"] * k, baseline_label="project list + it alone",
                    limit=1.5, note=f"{scaled}focus {pid}, the last active project"),
                Row("full refresh", r["full_s"] * k, baseline=ideal,
                    baseline_label="ideal: budget", limit=1.2,
                    note=f"{scaled}{total} requests, ideal = max over endpoints of "
                    f"requests/(rpm/60) = {counts[worst]} on {worst}; paced run made "
                    f"{r['requests']} requests, {r['rate_limited']} got 429, "
                    f"{r['retries']} retries, {r['errors']} parts failed"),
                Row("incremental cycle, 3 changed projects", r["changed_s"] * k,
                    baseline=r["full_s"] * k, baseline_label="full refresh", limit=0.05,
                    note=f"{scaled}{r['changed_requests']} requests (target <= 15), "
                    f"mode {r['changed_mode']}: audit log x2, 3 projects' accounts and keys, "
                    "the focused project's keys"),
                Row("requests, incremental cycle with no changes", r["quiet_requests"],
                    unit="req", limit=3, limit_on="value",
                    note=f"mode {r['quiet_mode']}; {r['quiet_s'] * k:.1f} s"),
                Row("full refresh, unpaced (CPU)", warm_s, note="no budget, no latency: "
                    "client + sandbox + cache writes in one process"),
            ]  # fmt: skip
    for row in rows:
        row.source = "bench_scale"
    return rows


def _scale_arg(text: str) -> tuple[int, int, int]:
    p, k, u = (int(x) for x in text.split(","))
    return p, k, u


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"scale {QUICK_SCALE}")
    parser.add_argument("--scale", type=_scale_arg, help="P,K,U (default 500,10000,2000)")
    parser.add_argument("--time-scale", type=float, default=1.0, metavar="K")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-paint", action="store_true")
    parser.add_argument("--no-refresh", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--child", choices=("hello", "paint", "memory", "served"), help=argparse.SUPPRESS
    )
    parser.add_argument("--db", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.child:
        return _child(args.child, args.db)
    rows = measure(
        quick=args.quick, scale=args.scale, time_scale=args.time_scale, repeat=args.repeat,
        paint=not args.no_paint, refresh=not args.no_refresh,
    )  # fmt: skip
    print(rows_to_json(rows) if args.json else format_table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
