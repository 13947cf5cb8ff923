"""Shared helpers of the perf scripts: one row shape, medians, child processes, the table.

Why ratios: the machine is shared and noisy, so a figure is only meaningful next to a baseline
measured in the same run (a hello-world Textual app, the ideal set by the request budget...).
Nothing here asserts: the perf scripts report, the test suite never times anything.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "PERF_DIR",
    "REPO",
    "Row",
    "format_table",
    "isolated_env",
    "median",
    "rows_from_json",
    "rows_to_json",
    "run_child",
    "timed",
]

PERF_DIR = Path(__file__).resolve().parent
REPO = PERF_DIR.parents[1]
# The line a child process prints its result on, so stray output (logs, warnings) is ignored.
RESULT_PREFIX = "PERF-RESULT "


@dataclass
class Row:
    """One figure of the table.

    `ratio` is value / baseline when both exist; `limit` is the highest acceptable ratio (or, when
    `limit_on` is "value", the highest acceptable value); the verdict follows from them.
    """

    figure: str
    value: float | None
    unit: str = "s"
    baseline: float | None = None
    baseline_label: str = ""
    limit: float | None = None
    limit_on: str = "ratio"  # "ratio" or "value"
    note: str = ""
    source: str = ""
    samples: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.baseline:
            return None
        return self.value / self.baseline

    @property
    def target(self) -> str:
        if self.limit is None:
            return "-"
        if self.limit_on == "value":
            return f"< {_num(self.limit)} {self.unit}"
        return f"<= {self.limit:g}x"

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "ERROR"
        if self.limit is None:
            return "info"
        measured = self.value if self.limit_on == "value" else self.ratio
        if measured is None:
            return "info"
        return "ok" if measured <= self.limit else "OVER"

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(ratio=self.ratio, target=self.target, verdict=self.verdict)
        return data


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def timed(fn: Callable[[], object], repeat: int = 3) -> list[float]:
    """Seconds taken by `fn()`, `repeat` times (perf_counter)."""
    out: list[float] = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def isolated_env(root: Path) -> dict[str, str]:
    """Environment with every orgtui directory under `root` (never the user's cache or config)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORGTUI_")}
    env.pop("OPENAI_ADMIN_KEY", None)
    for name in ("CONFIG", "CACHE", "DATA", "STATE"):
        path = root / name.lower()
        path.mkdir(parents=True, exist_ok=True)
        env[f"ORGTUI_{name}_DIR"] = str(path)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.pop("TEXTUAL", None)  # no devtools
    # An installed orgtui has its .pyc files; without this every start would compile from source.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(
    argv: Sequence[str], env: Mapping[str, str], timeout: float = 600.0
) -> tuple[float, dict[str, Any]]:
    """Run a Python child; returns (seconds from just before spawn, its result JSON).

    The child prints `RESULT_PREFIX + json`. A child may report `"t_mark"`: a `time.monotonic()`
    reading (CLOCK_MONOTONIC, shared by every process on Linux); it is turned into seconds since
    the spawn as `"since_spawn"`, which is how process-start-to-first-paint is measured. Other
    `"t_<name>"` readings become `"since_spawn_<name>"` the same way.
    """
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, *argv],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    elapsed = time.monotonic() - started
    result: dict[str, Any] | None = None
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    if proc.returncode != 0 or result is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-15:]
        raise RuntimeError(f"child {argv[:2]} failed (rc {proc.returncode}):\n" + "\n".join(tail))
    for name in [k for k in result if k.startswith("t_")]:
        suffix = name.removeprefix("t_mark").removeprefix("t_")
        result["since_spawn" + (f"_{suffix}" if suffix else "")] = float(result[name]) - started
    return elapsed, result


def report_child(result: Mapping[str, Any]) -> None:
    """What a child calls last: the parent picks this line out of its stdout."""
    sys.stdout.write(RESULT_PREFIX + json.dumps(dict(result)) + "\n")
    sys.stdout.flush()


def _num(x: float | None) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def format_table(rows: Iterable[Row]) -> str:
    """The one table: figure, value, baseline, ratio, target, verdict."""
    header = ("figure", "value", "baseline", "ratio", "target", "verdict")
    lines: list[tuple[str, ...]] = [header]
    notes: list[str] = []
    for row in rows:
        value = "-" if row.value is None else f"{_num(row.value)} {row.unit}"
        base = "-" if row.baseline is None else f"{_num(row.baseline)} {row.unit}"
        if row.baseline_label:
            base += f" ({row.baseline_label})"
        ratio = "-" if row.ratio is None else f"{row.ratio:.2f}x"
        lines.append((row.figure, value, base, ratio, row.target, row.verdict))
        if row.note:
            notes.append(f"  {row.figure}: {row.note}")
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    if notes:
        out += ["", "notes:", *notes]
    return "\n".join(out)


def rows_to_json(rows: Iterable[Row], meta: Mapping[str, Any] | None = None) -> str:
    return json.dumps({"meta": dict(meta or {}), "rows": [r.as_dict() for r in rows]}, indent=2)


def rows_from_json(data: Mapping[str, Any]) -> list[Row]:
    names = set(Row.__dataclass_fields__)
    return [Row(**{k: v for k, v in item.items() if k in names}) for item in data["rows"]]


@contextlib.contextmanager
def served_sandbox(
    env: Mapping[str, str], root: Path, *extra: str, timeout: float = 120.0
) -> Iterator[str]:
    """`orgtui sandbox serve [EXTRA]` in another process (data under `root/served`, log in
    `root/served.log`) on a free loopback port; yields its base URL, stops it after."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    argv = [sys.executable, "-m", "orgtui", "sandbox", "serve", "--port", str(port),
            *extra, "--data-dir", str(root / "served"), "--log-level", "warning"]  # fmt: skip
    with (root / "served.log").open("w") as log:
        proc = subprocess.Popen(argv, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"sandbox serve exited: {(root / 'served.log').read_text()}")
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"sandbox serve did not start in {timeout:.0f} s")
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}/v1"
        finally:
            proc.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(10)
            if proc.poll() is None:
                proc.kill()


async def warm_cache(conn: Any, label: str = "warm-up") -> int:
    """Refresh all of `conn`'s organisation into its profile's cache, as an earlier console run
    would have, then close it; returns how many projects it has. Raises on any failed part."""
    from orgtui.core.cache import Cache
    from orgtui.core.session import Session
    from orgtui.core.sync import Syncer

    session = Session(conn.profile, conn.client, Cache.open(conn.profile))
    try:
        result = await Syncer(session).refresh_all()
        if result.errors:
            raise RuntimeError(f"{label} failed: {list(result.errors.items())[:3]}")
        return len(session.snapshot.projects)
    finally:
        session.close()
        await conn.aclose()
