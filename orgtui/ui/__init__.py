"""The console UI (textual). Imported lazily: screenless commands never load textual."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgtui.connect import Connection

# Benchmark hook (tests/perf): when set to a file path, the console runs headless, writes
# `time.monotonic()` at its first painted frame (and the screen shown) to that file, then exits.
# Costs one environment lookup when unset.
BENCH_FIRST_PAINT_ENV = "ORGTUI_BENCH_FIRST_PAINT"


def watch_first_paint(app: Any, out: str) -> None:
    """Record when `app` first draws its start screen, then exit (benchmark use only).

    Wraps the app's frame output (`orgtui.ui.compat.frame_output`: the one place a frame goes
    to the terminal; headless apps skip only the write): the first frame of the start screen
    (the screen pushed on mount, or the default one when nothing is pushed) is the first paint. Not `pilot.pause()`: that waits for
    the process to go idle, which would also time the refresh that starts after the first frame.
    """
    import time

    from orgtui.ui.compat import frame_output, set_frame_output

    display = frame_output(app)

    def first_display(screen: Any, renderable: Any) -> None:
        display(screen, renderable)
        stack = app.screen_stack
        if renderable is None or (len(stack) > 1 and screen is stack[0]):
            return
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(f"{time.monotonic():.6f} {type(screen).__name__}\n")
        set_frame_output(app, display)
        app.call_later(app.exit, 0)

    set_frame_output(app, first_display)


def run_console(connections: Connection | list[Connection] | Any, start: str = "main") -> int:
    """Run the console until the user quits; returns the exit code.

    `connections` is one Connection or several (one root of the tree each): every org keeps
    its own session, cache, client (pacing budget), refresh and read-only flag. An org whose
    `problem` is set (no admin key) still has its root, which shows the reason."""
    from orgtui.ui.app import OrgTuiApp

    app = OrgTuiApp(connections, start=start)
    app.owns_connections = True
    bench = os.environ.get(BENCH_FIRST_PAINT_ENV)
    if bench:
        watch_first_paint(app, bench)
        app.run(headless=True, size=(160, 50))
    else:
        app.run()
    return int(app.return_code or 0)
