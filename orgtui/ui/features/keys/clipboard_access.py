"""How the copy-once dialog reaches the clipboard: the raw terminal writer and the tools it
runs. Tests swap `copy_once.clipboard_io` for a `ClipboardIO` that captures what is written."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from textual.app import App

from orgtui.core.clipboard_tmux import tmux_delete_buffer
from orgtui.core.secret import ClipboardReport, clear_native
from orgtui.ui.compat import terminal_writer

__all__ = ["ClipboardIO", "TerminalWriter", "driver_writer", "report_text", "wipe_copies"]

TerminalWriter = Callable[[str], None]


def driver_writer(app: App[Any]) -> TerminalWriter | None:
    """Raw output to the terminal, beside Textual's rendering (None before the app runs)."""
    return terminal_writer(app)


@dataclass
class ClipboardIO:
    """How the dialog reaches the clipboard. Tests swap the module's `clipboard_io` for one
    that captures what is written and runs no real tool."""

    writer_for: Callable[[App[Any]], TerminalWriter | None] = driver_writer
    env: Mapping[str, str] | None = None  # None: os.environ at copy time
    runner: Callable[..., Any] = subprocess.run
    which: Callable[[str], str | None] = shutil.which
    use_native: bool = True


def wipe_copies(io: ClipboardIO, tmux_buffers: list[str], native_tool: str | None) -> None:
    """Delete the named tmux buffers and clear the native clipboard tool (blocking)."""
    for name in tmux_buffers:
        tmux_delete_buffer(name, runner=io.runner, which=io.which, env=io.env)
    if native_tool:
        clear_native(native_tool, io.runner, env=io.env, which=io.which)


def report_text(report: ClipboardReport, what: str) -> str:
    """The dialog's status line after a copy of `what` ("key" or "selection")."""
    text = report.summary()
    if what == "selection":
        text = text.replace("Copied", "Copied the selection", 1)
    if report.notes:
        text += ". " + "; ".join(report.notes)
    return text
