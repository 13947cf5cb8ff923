"""What the security dialogs share: their style, their buttons and the `Dialog` base, which
dismisses with `answer()` on OK and with None on cancel or escape."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button

__all__ = ["DIALOG_CSS", "Dialog", "dialog_buttons"]

DIALOG_CSS = """
{cls} {{ align: center middle; }}
{cls} > #dialog {{ width: 76; max-width: 100%; height: auto; max-height: 100%;
    border: round $primary; background: $surface; padding: 1 1 0 1; }}
{cls} .dialog-title {{ text-style: bold; padding: 0 1 1 1; }}
{cls} .dialog-label {{ padding: 0 1; text-style: bold; }}
{cls} Input {{ margin: 0 1; }}
{cls} OptionList, {cls} SelectionList {{ height: auto; max-height: 7; margin: 0 1; }}
{cls} .dialog-note {{ padding: 0 1; color: $text-muted; height: auto; }}
{cls} .dialog-note.-warn {{ color: $text-warning; text-style: bold; }}
{cls} RadioSet {{ layout: horizontal; width: 100%; border: none; margin: 0 1; padding: 0;
    background: $surface; }}
{cls} RadioSet > RadioButton {{ width: auto; margin-right: 4; }}
{cls} .dialog-buttons {{ height: auto; align-horizontal: right; padding: 1; }}
{cls} .dialog-buttons > Button {{ margin-left: 2; min-width: 10; }}
"""


def dialog_buttons(ok: str) -> Horizontal:
    return Horizontal(
        Button("Cancel", id="cancel"),
        Button(ok, id="ok", variant="primary"),
        classes="dialog-buttons",
    )


T = TypeVar("T")


class Dialog(ModalScreen[T]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def answer(self) -> T | None:
        raise NotImplementedError

    def _submit(self) -> None:
        result = self.answer()
        if result is not None:
            self.dismiss(result)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)
