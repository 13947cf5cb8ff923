"""The floor for first-paint measurements: a hello-world Textual app.

python tests/perf/hello_app.py --first-paint   # prints unix time of the first paint (pause)
ORGTUI_BENCH_FIRST_PAINT=<file> python tests/perf/hello_app.py --bench-hook
    # the console's own first-paint hook (orgtui.ui.watch_first_paint), see _entry.py
"""

from __future__ import annotations

import os
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class HelloApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello, world")
        yield Footer()


async def _report_first_paint(pilot: object) -> None:
    print(f"FIRST_PAINT {time.time():.6f}", flush=True)
    pilot.app.exit()  # type: ignore[attr-defined]


if __name__ == "__main__":
    if "--bench-hook" in sys.argv:
        from orgtui.ui import BENCH_FIRST_PAINT_ENV, watch_first_paint  # tiny: no orgtui deps

        app = HelloApp()
        watch_first_paint(app, os.environ[BENCH_FIRST_PAINT_ENV])
        app.run(headless=True, size=(160, 50))
    elif "--first-paint" in sys.argv:
        HelloApp().run(headless=True, size=(120, 40), auto_pilot=_report_first_paint)
    else:
        HelloApp().run()
