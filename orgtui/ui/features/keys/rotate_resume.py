"""At start-up: the key rotations an earlier run left unfinished, to resume one."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from orgtui.ui.text import relative_time, safe_text

__all__ = ["ResumeRotationsScreen"]


class ResumeRotationsScreen(ModalScreen[str | None]):
    """At start-up: rotations an earlier run left unfinished. Enter resumes the highlighted."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Later", id="rotate.later"),
    ]
    DEFAULT_CSS = """
    ResumeRotationsScreen { align: center middle; }
    ResumeRotationsScreen > #resume { width: 72; max-width: 100%; height: auto;
        max-height: 100%; border: round $primary; background: $surface; padding: 0 1; }
    ResumeRotationsScreen #resume-title { text-style: bold; padding-bottom: 1; }
    ResumeRotationsScreen OptionList { height: auto; max-height: 10; }
    ResumeRotationsScreen #resume-buttons { height: 3; margin-top: 1; align-horizontal: right; }
    ResumeRotationsScreen #resume-buttons > Button { margin-left: 2; }
    """

    def __init__(
        self, rotations: list[Any], now: float, orgs: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self.rotations = rotations
        self.now = now
        # Several organisations open: each rotation's organisation name, by rotation id.
        self.orgs = orgs or {}

    def _label(self, rotation: Any) -> Text:
        text = Text()
        if rotation.id in self.orgs:
            text.append_text(safe_text(self.orgs[rotation.id], 30))
            text.append(" · ")
        text.append_text(safe_text(rotation.old_key_name or rotation.old_key_id, 30, style="bold"))
        text.append(" in ")
        text.append_text(safe_text(rotation.project_name or rotation.project_id, 24))
        started = relative_time(rotation.started_at, self.now)
        text.append(f"  {rotation.step}, started {started}", style="dim")
        return text

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        count = len(self.rotations)
        with Vertical(id="resume"):
            yield Static(
                f"{count} key rotation{'s' if count != 1 else ''} left unfinished. "
                "Both keys still work until one is finished. Resume now?",
                id="resume-title",
            )
            yield OptionList(*(Option(self._label(r), id=r.id) for r in self.rotations))
            with Horizontal(id="resume-buttons"):
                yield Button("Later", id="later")
                yield Button("Resume", id="resume-go", variant="primary")

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        self.query_one(OptionList).focus()

    def _chosen(self) -> str | None:
        from textual.widgets import OptionList

        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def on_option_list_option_selected(self, event: Any) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self._chosen() if event.button.id == "resume-go" else None)

    def action_later(self) -> None:
        self.dismiss(None)
