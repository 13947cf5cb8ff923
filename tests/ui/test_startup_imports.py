"""What the console does before its first frame: paint the cache, nothing else.

The first frame waits on every import made before it, so the HTTP stack, the plotting library
and the feature modules (forms, services, spend) load after it. These tests run the real entry
point in a child process and look at what it had imported when the first frame was drawn;
they time nothing (tests/perf does that).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from orgtui.ui import features
from orgtui.ui.dispatch import _TABLE, has_ui_handler, promises_ui_handler

# Run as `python -c`: wraps the benchmark hook to dump sys.modules at the first frame.
_CHILD = """
import json, sys
import orgtui.ui as ui
out = sys.argv[1]
watch = ui.watch_first_paint

def hooked(app, path):
    watch(app, path)
    inner = app._display

    def display(screen, renderable):
        inner(screen, renderable)
        if app._display is not display and not getattr(app, "_dumped", False):
            app._dumped = True
            with open(out, "w") as fh:
                json.dump({"modules": sorted(sys.modules), "screen": type(screen).__name__}, fh)

    app._display = display

ui.watch_first_paint = hooked
from orgtui.cli import main
raise SystemExit(main(["--demo"]))
"""

LATER = (
    "httpx",
    "textual_plotext",
    "plotext",
    "orgtui.sandbox",
    "orgtui.api.models_activity",
    "orgtui.core.services",
    "orgtui.core.spend",
    "orgtui.ui.features.spend.alerts_watch",
    "orgtui.ui.features.keys.actions",
    "orgtui.ui.features.members.actions",
    "orgtui.ui.features.spend.actions",
    "orgtui.ui.features.usage.graph",
    "orgtui.ui.features.projects.detail_pane",
    "orgtui.ui.widgets.tables",
    "orgtui.ui.widgets.vtable",
    "orgtui.ui.widgets.rows",
    "pydantic",
    "annotated_types",  # the settings' bounds stand in for it (orgtui.core.constraints)
)


def _first_frame_modules(tmp_path: Path) -> dict[str, object]:
    out = tmp_path / "first-frame.json"
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL"}
    env["ORGTUI_BENCH_FIRST_PAINT"] = str(tmp_path / "mark")
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_first_frame_is_drawn_before_the_network_plots_and_features_load(
    tmp_path: Path,
) -> None:
    shown = _first_frame_modules(tmp_path)
    assert shown["screen"] == "MainScreen"
    modules = set(shown["modules"])  # type: ignore[arg-type]
    assert sorted(m for m in LATER if m in modules) == []
    assert "orgtui.ui.dispatch" in modules  # the test looked at a real console


def test_the_footer_promises_only_actions_that_get_a_handler() -> None:
    """Before the feature modules load, the footer offers every action of the table outside
    dialogs; once loaded, each of those must really have a handler."""
    every = [spec.id for spec in _TABLE.specs()]
    promised = [action for action in every if promises_ui_handler(action)]
    features.load()
    # The palette is Textual's own action; every other one needs a handler of ours.
    handled = [action for action in every if has_ui_handler(action) or action == "app.palette"]
    assert len(promised) > 30
    assert handled == promised


def test_garbage_collection_comes_back_after_the_first_frame() -> None:
    """The command line turns cyclic collection off for the start-up; the app turns it on."""
    import gc

    from orgtui.ui.app import OrgTuiApp

    gc.disable()
    try:
        OrgTuiApp.collect_garbage_again()
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # what existed at start is out of later collections
    finally:
        gc.unfreeze()
        gc.enable()
