"""Confirmation dialog for destructive actions.

Cancel is focused, so the key that started the action cannot also confirm it. With `typed`,
the input is focused instead (typing the name is the confirmation), Confirm stays disabled
until the exact name is typed, enter on a wrong name says so, and escape cancels.

    ok = await app.push_screen(ConfirmScreen("Archive project", body, "Archive",
                                             typed=project.name), wait_for_dismiss=True)

`title` and a `str` body are shown literally (no markup): pass names in freely.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.org_line import OrgLine


class _Body(VerticalScroll, can_focus=False):
    """Scrolls to what tab reaches; not a tab stop itself."""


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > #confirm { width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: round $error; background: $surface; padding: 1 2 0 2; }
    ConfirmScreen #confirm-scroll { height: auto; max-height: 55vh; }
    ConfirmScreen #confirm-title { text-style: bold; color: $text-error; padding-bottom: 1; }
    ConfirmScreen #confirm-body { padding-bottom: 1; }
    ConfirmScreen #confirm-typed-label { color: $text-muted; }
    ConfirmScreen #confirm-typed-error { color: $text-error; height: auto; }
    ConfirmScreen #confirm-buttons { height: auto; align-horizontal: right; padding: 1 0; }
    ConfirmScreen #confirm-buttons > Button { margin-left: 2; min-width: 10; }
    """

    def __init__(
        self,
        title: str,
        body: str | Text,
        confirm_label: str,
        *,
        typed: str | None = None,
        cancel_label: str = "Cancel",
    ) -> None:
        super().__init__()
        self._cancel_label = cancel_label
        self._title = title
        self._body = body
        self._confirm_label = confirm_label
        self._typed = typed

    def compose(self) -> ComposeResult:
        body = self._body if isinstance(self._body, Text) else Text(safe_str(self._body, 2000))
        with Vertical(id="confirm"):
            yield Static(safe_text(self._title, 200), id="confirm-title")
            yield OrgLine()
            # A long body scrolls; the title and the buttons stay on screen (80x24 included).
            with _Body(id="confirm-scroll"):
                yield Static(body, id="confirm-body")
                if self._typed is not None:
                    label = Text("Type ")
                    label.append_text(safe_text(self._typed, 120, style="bold"))
                    label.append(" to confirm:")
                    yield Static(label, id="confirm-typed-label")
                    yield Input(id="confirm-typed", placeholder="exact name")
                    yield Static("", id="confirm-typed-error")
            with Horizontal(id="confirm-buttons"):
                yield Button(self._cancel_label, id="cancel")
                yield Button(
                    self._confirm_label,
                    id="confirm-button",
                    variant="error",
                    disabled=self._typed is not None,
                )

    def on_mount(self) -> None:
        if self._typed is not None:
            self.query_one("#confirm-typed", Input).focus()
        else:
            self.query_one("#cancel", Button).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#confirm-button", Button).disabled = event.value != self._typed
        self.query_one("#confirm-typed-error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value == self._typed:
            self.dismiss(True)
            return
        said = Text("That is not the name: type ")
        said.append_text(safe_text(self._typed or "", 120, style="bold"))
        said.append(" exactly, or press escape to cancel.")
        if not event.value:
            said = Text("Type the name first, or press escape to cancel.")
        self.query_one("#confirm-typed-error", Static).update(said)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-button")

    def action_cancel(self) -> None:
        self.dismiss(False)


def typeable(name: str, limit: int = 80) -> bool:
    """Whether a name can reasonably be typed back (else ask for the id instead)."""
    return 0 < len(name) <= limit and name.isprintable() and safe_str(name, None) == name
