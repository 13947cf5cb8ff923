"""First paint through the real entry point: `python -m orgtui ...` in a child process.

The console has a benchmark hook (`orgtui.ui.BENCH_FIRST_PAINT_ENV`): with
`ORGTUI_BENCH_FIRST_PAINT=<file>` set, `run_console` runs headless and writes
`time.monotonic()` (CLOCK_MONOTONIC, shared by every process on Linux) at the first frame of
its start screen, then exits. The parent reads it and subtracts its own reading taken just
before the spawn: process start -> first paint, including Python's start-up, every import,
config, connection, cache load, mount and the first frame. The hello-world floor
(`hello_app.py --bench-hook`) is timed by the very same hook, interleaved.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from _harness import PERF_DIR, median

HOOK_ENV = "ORGTUI_BENCH_FIRST_PAINT"  # orgtui.ui.BENCH_FIRST_PAINT_ENV (not imported: no textual)
HELLO = [str(PERF_DIR / "hello_app.py"), "--bench-hook"]


def console_argv(*args: str) -> list[str]:
    """`orgtui ARGS` as the installed command runs it (orgtui/__main__.py -> cli.main)."""
    return ["-m", "orgtui", *args]


def first_paint(
    argv: Sequence[str], env: Mapping[str, str], timeout: float = 120.0
) -> tuple[float, str]:
    """(seconds from spawn to first frame, name of the screen drawn) for one child."""
    fd, out = tempfile.mkstemp(prefix="orgtui-first-paint-")
    os.close(fd)
    try:
        child_env = {**env, HOOK_ENV: out}
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, *argv], env=child_env, capture_output=True, text=True,
            timeout=timeout, stdin=subprocess.DEVNULL, check=False,
        )  # fmt: skip
        text = Path(out).read_text(encoding="utf-8").split()
        if proc.returncode != 0 or len(text) != 2:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-10:]
            raise RuntimeError(f"{argv[:3]} gave no first paint (rc {proc.returncode}): {tail}")
        return float(text[0]) - started, text[1]
    finally:
        Path(out).unlink(missing_ok=True)


def paired(
    argv: Sequence[str], env: Mapping[str, str], repeat: int, screen: str = "MainScreen"
) -> tuple[list[float], list[float]]:
    """(hello samples, console samples), interleaved after one warm-up run of each."""
    first_paint(HELLO, env)
    first_paint(argv, env)  # warms the file cache and writes any missing .pyc
    hello: list[float] = []
    console: list[float] = []
    for _ in range(repeat):
        hello.append(first_paint(HELLO, env)[0])
        seconds, shown = first_paint(argv, env)
        if shown != screen:
            raise RuntimeError(f"{argv[:3]} painted {shown}, not {screen}")
        console.append(seconds)
    return hello, console


def describe(hello: list[float], console: list[float]) -> str:
    return (
        f"median of {len(console)}, interleaved; console "
        f"{min(console):.2f}-{max(console):.2f}s, hello {median(hello):.2f}s"
    )
