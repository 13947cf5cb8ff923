"""`y` on a list: copy the focused object's id, the same way the copy-once dialog copies.

Inside tmux the id goes into tmux's own buffer (`load-buffer -w`, which also reaches the outer
terminal), with OSC 52 (plain and tmux-wrapped, or screen's form) and a native clipboard tool
where one works. The tools run off the UI thread; the notification says what happened.
"""

from __future__ import annotations

from typing import Any

from orgtui.ui.text import safe_str

__all__ = ["yank"]


def yank(app: Any, text: str, what: str = "id") -> None:
    """Copy `text` (an id: nothing secret) and tell the user how it went."""
    from orgtui.core.secret import copy_to_clipboard
    from orgtui.ui.features.keys.copy_once import clipboard_io

    io = clipboard_io
    writer = io.writer_for(app)

    def write(sequence: str) -> None:
        if writer is not None:
            app.call_from_thread(writer, sequence)

    def work() -> None:
        report = copy_to_clipboard(
            text,
            write if writer is not None else None,
            env=io.env,
            runner=io.runner,
            which=io.which,
            use_native=io.use_native,
        )
        summary = report.summary()
        if report.copied:
            summary = summary.replace("Copied", f"Copied {what} {text}", 1)
        app.call_from_thread(
            app.notify, safe_str(summary, 300), title="Yank", markup=False, timeout=4
        )

    app.run_worker(work, thread=True, group="yank", description="yank id")
