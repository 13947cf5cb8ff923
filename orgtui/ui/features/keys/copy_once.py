"""The copy-once dialog: the only place a freshly minted key value is ever shown.

The value lives in one `OneTimeSecret` owned by this screen. It is drawn in a read-only
`TextArea` (so Textual's own mouse selection and the terminal's shift-drag both work over SSH),
copied on `c` both ways at once (OSC 52 written straight to the terminal, wrapped for tmux or
screen, plus a native clipboard tool when one works), and destroyed when the screen goes away,
together with every clipboard copy the dialog made. Closing needs an explicit "I have stored
it" (`y`); `escape` without it asks once more.

Textual's `App.copy_to_clipboard` emits an unwrapped OSC 52 that tmux drops, so every copy path
of this screen (our `c`, the text area's `ctrl+c`, the screen's selection copy) goes through
`_copy`, which writes our own sequence via the injectable `ClipboardIO`.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from orgtui.core.clipboard_tmux import TmuxCopy, tmux_delete_buffer, tmux_load
from orgtui.core.secret import (
    ClipboardReport,
    OneTimeSecret,
    clear_native,
    copy_native,
    detect_multiplexer,
    osc52_clear_sequence,
    osc52_sequence,
)
from orgtui.ui.compat import forget_copied_text
from orgtui.ui.features.keys.clipboard_access import (
    ClipboardIO,
    TerminalWriter,
    driver_writer,
    report_text,
    wipe_copies,
)
from orgtui.ui.features.keys.key_facts import KeyFacts, minted_facts
from orgtui.ui.text import safe_str, safe_text

__all__ = [
    "ClipboardIO",
    "CopyOnceScreen",
    "KeyFacts",
    "TerminalWriter",
    "clipboard_io",
    "driver_writer",
    "show_minted",
]

clipboard_io = ClipboardIO()


WARNING = (
    "This is the only time this key is shown. orgtui keeps no copy: store it now in your "
    "secret manager. Closing the dialog discards it."
)


class SecretArea(TextArea):
    """The value, read-only and selectable; its own copy goes through the dialog."""

    def action_copy(self) -> None:
        text = self.selected_text
        screen = self.screen
        if text and isinstance(screen, CopyOnceScreen):
            screen.copy_text(text, what="selection")
        elif text:
            super().action_copy()


class CopyOnceScreen(ModalScreen[bool]):
    """Shows one secret once. Dismisses with True when the user said it is stored."""

    # No side borders and no padding around the value: a terminal's own selection (shift-drag
    # over SSH) then picks up only the key's characters, line by line.
    DEFAULT_CSS = """
    CopyOnceScreen { align: center middle; }
    CopyOnceScreen > #dialog {
        width: 100%; max-width: 100; height: auto; max-height: 100%;
        border-top: thick $warning; border-bottom: thick $warning;
        background: $surface; padding: 0;
    }
    CopyOnceScreen #dialog > * { padding: 0 1; }
    CopyOnceScreen #dialog > #title { text-style: bold; color: $warning; padding: 0 1 1 1; }
    CopyOnceScreen .fact { height: 1; }
    CopyOnceScreen #dialog > #secret {
        height: auto; max-height: 7; margin: 1 0 0 0; padding: 0; border: none;
        border-top: hkey $accent; border-bottom: hkey $accent; background: $boost;
    }
    CopyOnceScreen #warning { margin: 1 0 0 0; color: $warning; }
    CopyOnceScreen #status { height: auto; min-height: 1; color: $text-muted; }
    CopyOnceScreen #buttons { height: 3; margin: 1 0 0 0; }
    CopyOnceScreen #buttons Button { margin: 0 1 0 0; min-width: 10; }
    """

    BINDINGS = [
        Binding("c", "copy", "Copy", id="secret.copy"),
        Binding("v", "reveal", "Reveal/hide", id="secret.reveal"),
        Binding("y", "stored", "I have stored it", id="secret.stored"),
        Binding("escape", "close", "Close", show=False),
        # Quitting from here would drop the key unseen: ask first, like escape.
        Binding("q", "close", "Close", show=False),
        Binding("ctrl+c,super+c", "copy_selection", "Copy selection", show=False),
        # Textual's Button answers enter only; space presses the focused button too.
    ]

    def __init__(
        self,
        secret: OneTimeSecret,
        facts: KeyFacts,
        *,
        io: ClipboardIO | None = None,
        revealed: bool = True,
    ) -> None:
        super().__init__()
        self._secret = secret
        self.facts = facts
        self._io = io
        self._revealed = revealed
        self.acknowledged = False
        self.last_report: ClipboardReport | None = None
        self._osc_mux: str | None = None
        self._osc_sent = False
        self._native_tool: str | None = None
        self._osc_plain = False  # the unwrapped form went out inside tmux too
        self._tmux_buffers: list[str] = []  # named tmux buffers this dialog created
        self._asking = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        facts = self.facts
        with Vertical(id="dialog"):
            yield Static(safe_text(facts.title, 70), id="title")
            key = facts.key_name or facts.key_id
            if facts.key_name and facts.key_id:
                key = f"{facts.key_name} ({facts.key_id})"
            rows = [("Project", facts.project), ("Account", facts.account), ("Key", key)]
            for label, value in [*rows, *facts.lines]:
                if value:
                    line = Text(f"{label:<10}", style="bold")
                    line.append_text(safe_text(value, 62))
                    yield Static(line, classes="fact")
            yield SecretArea(
                self._shown_value(),
                read_only=True,
                soft_wrap=True,
                show_line_numbers=False,
                show_cursor=False,
                id="secret",
            )
            yield Static(WARNING, id="warning")
            copy = self._key("secret.copy", "c")
            yield Static(f"Press {copy} to copy, or select the value with the mouse.", id="status")
            with Horizontal(id="buttons"):
                yield Button(f"Copy ({copy})", id="copy", variant="primary")
                yield Button(self._reveal_label(), id="reveal")
                stored = self._key("secret.stored", "y")
                yield Button(f"I have stored it ({stored})", id="stored", variant="success")

    def on_mount(self) -> None:
        # Focus the value, not a button: the Enter that submitted the form must not close this.
        self.query_one(SecretArea).focus()

    def _shown_value(self) -> str:
        return self._secret.reveal() if self._revealed else self._secret.masked()

    def _reveal_label(self) -> str:
        key = self._key("secret.reveal", "v")
        return f"Hide ({key})" if self._revealed else f"Reveal ({key})"

    def _key(self, binding_id: str, default: str) -> str:
        """The key the user presses, after the config's [keymap] (the console keeps it)."""
        keymap = getattr(self.app, "keymap_overrides", None) or {}
        return str(keymap.get(binding_id, default)).split(",")[0]

    # ------------------------------------------------------------------ actions

    @property
    def secret_alive(self) -> bool:
        return self._secret.alive

    @property
    def revealed(self) -> bool:
        return self._revealed

    def _clipboard(self) -> ClipboardIO:
        return self._io or clipboard_io

    def action_copy(self) -> None:
        if self._secret.alive:
            self.copy_text(self._secret.reveal(), what="key")

    def action_copy_selection(self) -> None:
        area = self.query_one(SecretArea)
        text = area.selected_text or self.get_selected_text()
        if text:
            self.copy_text(text, what="selection")

    def action_copy_text(self) -> None:  # the Screen's own selection copy
        self.action_copy_selection()

    def copy_text(self, text: str, *, what: str) -> None:
        """OSC 52 now (on the UI thread, in order with rendering); tmux and the native tool in
        a thread. Inside tmux the value is handed to tmux itself (`load-buffer`), which also
        forwards it to the terminal; only when that fails does the plain OSC 52 go out too."""
        io = self._clipboard()
        mux = detect_multiplexer(io.env)
        self._osc_mux = mux
        sent = self._write(osc52_sequence(text, tmux=mux == "tmux", screen=mux == "screen"))
        self._show_report(ClipboardReport(osc52_sent=sent, multiplexer=mux), what)
        self._copy_out(text, what, sent, mux, io.use_native)

    def _write(self, sequence: str) -> bool:
        writer = self._clipboard().writer_for(self.app)
        if writer is None:
            return False
        try:
            writer(sequence)
        except OSError:
            return False
        self._osc_sent = True
        return True

    # An explicit description: Textual's default is the call with its arguments' reprs, and
    # it logs worker state changes with it (that would put the value in TEXTUAL_LOG).
    @work(thread=True, exclusive=True, group="native-clipboard", description="clipboard copy")
    def _copy_out(
        self, text: str, what: str, sent: bool, mux: str | None, use_native: bool
    ) -> None:
        io = self._clipboard()
        loaded: TmuxCopy | None = None
        if mux == "tmux":
            loaded = tmux_load(text, runner=io.runner, which=io.which, env=io.env)
            if loaded.buffer is not None:
                if not self._secret.alive:  # the dialog closed while tmux ran
                    tmux_delete_buffer(loaded.buffer, runner=io.runner, which=io.which, env=io.env)
                    return
                self._tmux_buffers.append(loaded.buffer)
            elif self._secret.alive:
                # tmux could not take it: the plain form lands with `set-clipboard on`.
                self.app.call_from_thread(self._write_plain, text)
        tool = copy_native(text, io.runner, env=io.env, which=io.which) if use_native else None
        if tool is not None and not self._secret.alive:
            clear_native(tool, io.runner, env=io.env, which=io.which)
            return
        if tool is not None:
            self._native_tool = tool
        if tool is None and loaded is None:
            return
        report = ClipboardReport(
            osc52_sent=sent,
            multiplexer=mux,
            native_tool=tool,
            tmux_buffer=bool(loaded and loaded.checked),
            tmux_forwarded=bool(loaded and loaded.forwarded),
        )
        self.app.call_from_thread(self._show_report, report, what)

    def _write_plain(self, text: str) -> None:
        if self._secret.alive and self._write(osc52_sequence(text)):
            self._osc_plain = True

    def _show_report(self, report: ClipboardReport, what: str) -> None:
        self.last_report = report
        if self.is_mounted:
            self.query_one("#status", Static).update(Text(report_text(report, what)))

    def action_reveal(self) -> None:
        if not self._secret.alive:
            return
        self._revealed = not self._revealed
        self.query_one(SecretArea).load_text(self._shown_value())
        self.query_one("#reveal", Button).label = self._reveal_label()

    def action_stored(self) -> None:
        self.acknowledged = True
        self._close(True)

    def action_close(self) -> None:
        if self.acknowledged:
            self._close(True)
        elif not self._asking:
            self._ask_before_closing()

    @work(exclusive=True, group="close")
    async def _ask_before_closing(self) -> None:
        from orgtui.ui.widgets.confirm import ConfirmScreen

        self._asking = True
        try:
            close = await self.app.push_screen_wait(
                ConfirmScreen(
                    "Close without storing?",
                    "You have not confirmed you stored this key. Close anyway? "
                    "It cannot be shown again.",
                    "Close anyway",
                )
            )
        finally:
            self._asking = False
        if close:
            self._close(False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "copy": self.action_copy,
            "reveal": self.action_reveal,
            "stored": self.action_stored,
        }
        handler = actions.get(event.button.id or "")
        if handler is not None:
            handler()

    # ------------------------------------------------------------------ closing

    def _close(self, acknowledged: bool) -> None:
        self._forget()
        self.dismiss(acknowledged)

    def on_unmount(self) -> None:
        self._forget()

    def _forget(self) -> None:
        """Drop the value and every copy this dialog made of it. Runs once; safe to repeat."""
        if self._secret.alive:
            value = self._secret.reveal()
            app_clip = self.app.clipboard
            if app_clip and (app_clip in value or value in app_clip):
                forget_copied_text(self.app)
            self._secret.destroy()
        for area in self.query(SecretArea):  # empty once unmounted
            area.load_text(self._secret.masked())
        io = self._clipboard()
        if self._osc_sent:
            self._osc_sent = False
            writer = io.writer_for(self.app)
            if writer is not None:
                mux = self._osc_mux
                clear = osc52_clear_sequence(tmux=mux == "tmux", screen=mux == "screen")
                if self._osc_plain:
                    clear = osc52_clear_sequence() + clear
                with contextlib.suppress(OSError):
                    writer(clear)
        tool, self._native_tool = self._native_tool, None
        buffers, self._tmux_buffers = self._tmux_buffers, []
        if tool or buffers:
            # Off the UI thread: a tool may take up to its timeout.
            asyncio.get_running_loop().run_in_executor(None, wipe_copies, io, buffers, tool)


# ---------------------------------------------------------------------- the one way in


async def show_minted(
    app: Any, minted: Any, *, title: str | None = None, extra: tuple[tuple[str, str], ...] = ()
) -> bool:
    """Show a just-minted key once (from a worker); True when "stored" was confirmed.

    Afterwards the value is destroyed whatever happened, and a notification names the key
    (never its value).
    """
    facts = minted_facts(minted, app.clock.now(), title)
    if extra:  # e.g. the environment lines a service should set
        facts = replace(facts, lines=(*facts.lines, *extra))
    try:
        stored = bool(await app.push_screen_wait(CopyOnceScreen(minted.secret, facts)))
    finally:
        minted.secret.destroy()
    warning = getattr(minted, "warning", None)
    app.notify(
        safe_str(minted.message, 300),
        title="Key created",
        markup=False,
        severity="warning" if warning else "information",
        timeout=8 if warning else 5,
    )
    if not stored:
        app.notify(
            "Closed without confirming the key was stored. If it was not, mint another and "
            "delete this one.",
            title="Key not confirmed",
            severity="warning",
            timeout=8,
        )
    return stored
