"""Every use of Textual's private API, in one place.

Textual may change anything whose name starts with `_` in any release. Each function here
names what it needs of Textual and why no public API does it; tests/ui/test_compat.py checks
each one against the installed Textual and that this Textual is inside TEXTUAL_RANGE, the range
pyproject.toml declares, so an upgrade fails that test loudly instead of the console quietly.

No performance trick is here. Each one that reached into Textual was measured with
tests/perf/bench_compat.py (a copy of the package without the trick against the code as is,
through the real entry point, interleaved medians of 11, 21 and 21 rounds; 2026-12-05, Textual
8.2.8, 2 shared cores, so +/- 15 ms of noise) and removed, since none paid the 20 ms of first
paint a trick must pay to stay. Milliseconds of first paint paid, `orgtui --demo` / real
profile on the full-scale served sandbox (500 projects, 10,000 keys, 2,000 users):
- starting in the profile's theme without Textual's theme watcher (it called
  `App._refresh_truecolor_filter`): +18, -9, +13 / -16, -4, +14;
- batching the organisation tree's invalidations (overriding `Tree._invalidate`): +27, -4, -2 /
  -42, +7, +1.
The process-wide GC switch pays +28 to +79 ms and is kept, in orgtui/perf_gc.py (it touches no
Textual). `textual.lazy.Lazy` for the project detail's Security and Groups tabs (the panes not
shown first) made no difference within the noise to showing a project, so it is not used: the
detail pane already builds each pane the first time it is shown.

Importing this module is cheap and loads nothing of Textual: screenless commands import
`orgtui.ui` for the benchmark hook only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget
    from textual.widgets import Footer, RadioSet, Tree

__all__ = [
    "TEXTUAL_RANGE",
    "footer_bindings_ready",
    "footer_key",
    "forget_copied_text",
    "frame_output",
    "highlight_radio",
    "number_tree_lines",
    "on_app_thread",
    "set_frame_output",
    "terminal_writer",
]

# The Textual versions this module was checked against: the same text as the `textual`
# requirement in pyproject.toml (tests/ui/test_compat.py compares them).
TEXTUAL_RANGE = ">=8.0,<9"

FrameOutput = Callable[[Any, Any], None]


def frame_output(app: App[Any]) -> FrameOutput:
    """`App._display(screen, renderable)`: the one call through which every frame goes to the
    terminal (headless apps skip only the write). Benchmark use only (the first painted frame,
    orgtui.ui.watch_first_paint): Textual 8 has no public "frame drawn" signal, and
    `call_after_refresh` runs later, once the app's messages have settled."""
    return app._display


def set_frame_output(app: App[Any], output: FrameOutput) -> None:
    """Route the app's frames through `output` (which calls what `frame_output` gave)."""
    # Replacing a method on an instance: mypy checks it against the unbound signature.
    app._display = output  # type: ignore[method-assign,assignment]


def forget_copied_text(app: App[Any]) -> None:
    """Empty the app's copy of the last text sent to the clipboard (`App.clipboard`).

    The copy-once dialog drops every copy of a secret it made; Textual 8 keeps the last copy
    in `App._clipboard` and its only public setter, `copy_to_clipboard`, also writes to the
    terminal's clipboard.
    """
    app._clipboard = ""


def terminal_writer(app: App[Any]) -> Callable[[str], None] | None:
    """Raw output to the terminal beside Textual's rendering (None before the app runs): the
    driver's `write`, as `App.copy_to_clipboard` uses it. Textual 8 has no public accessor
    for the driver (`App._driver`)."""
    driver = getattr(app, "_driver", None)
    return None if driver is None else driver.write


def on_app_thread(app: App[Any]) -> bool:
    """True on the thread running the app's event loop (`App._thread_id`, which
    `call_from_thread` checks too; Textual 8 has no public way to ask)."""
    return threading.get_ident() == app._thread_id


def highlight_radio(radios: RadioSet, index: int) -> None:
    """Put the highlight (what `enter` presses) on button `index` of a mounted RadioSet.
    Textual 8 highlights the first button whatever is pressed; the highlight is the private
    reactive `RadioSet._selected`."""
    radios._selected = index


def footer_bindings_ready(footer: Footer) -> bool:
    """Whether the screen's bindings are known, so a Footer subclass can compose its keys
    (Textual 8's `Footer._bindings_ready`, set when the screen's bindings first update)."""
    return bool(footer._bindings_ready)


def footer_key(
    key: str, key_display: str, description: str, action: str, *, disabled: bool, tooltip: str
) -> Widget:
    """One item of a footer, Textual's `FooterKey`: Textual 8 does not export it from
    `textual.widgets`, only from the private module `textual.widgets._footer`."""
    from textual.widgets._footer import FooterKey

    return FooterKey(key, key_display, description, action, disabled=disabled, tooltip=tooltip)


def number_tree_lines(tree: Tree[Any]) -> None:
    """Give the nodes added to `tree` since its last render their line numbers now, so
    `move_cursor` (which reads `TreeNode.line`) can move to them before the next frame. Public
    API, but it leans on a detail: reading `Tree.last_line` rebuilds the tree's lines."""
    tree.last_line  # noqa: B018
