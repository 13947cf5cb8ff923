"""Forms of the Groups screen: a group's name, and a member picker that filters as you type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from orgtui.core.services.groups import validate_group_name
from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.form import FormScreen, LabelledInput
from orgtui.ui.widgets.org_line import OrgLine

if TYPE_CHECKING:
    from orgtui.api.models import User

__all__ = ["ChoicePicker", "GroupNameForm", "MemberPicker"]


class GroupNameForm(FormScreen[str]):
    SUBMIT_LABEL = "Save"

    def __init__(self, current: str | None = None) -> None:
        super().__init__()
        self.current = current

    def fields(self) -> ComposeResult:
        yield LabelledInput(
            "Group name",
            value=self.current or "",
            placeholder="e.g. Search team",
            validate=validate_group_name,
            id="group-name",
        )

    def on_mount(self) -> None:
        super().on_mount()
        if self.current is None:
            title = Text("New group")
        else:
            title = Text("Rename ")
            title.append(safe_str(self.current, 60), style="bold")
        self.query_one("#form-title", Static).update(title)

    def submit(self) -> str | None:
        name, error = self.query_one("#group-name", LabelledInput).validated()
        return None if error else name


class MemberPicker(ModalScreen["User | None"]):
    """Organisation members not in the group yet, filtered by name or email as you type."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
        Binding("down", "to_list", "Members", show=False),
    ]
    DEFAULT_CSS = """
    MemberPicker { align: center middle; }
    MemberPicker > #pick-dialog { width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 1 1 0 1; }
    MemberPicker #pick-title { text-style: bold; padding: 0 1 1 1; }
    MemberPicker #pick-filter { margin: 0 1; }
    MemberPicker #pick-list { height: auto; max-height: 10; margin: 0 1; }
    MemberPicker #pick-note { padding: 0 1; color: $text-muted; }
    MemberPicker #pick-buttons { height: auto; align-horizontal: right; padding: 1; }
    MemberPicker #pick-buttons > Button { margin-left: 2; min-width: 10; }
    """

    def __init__(self, group_name: str, users: Sequence[User], in_group: set[str]) -> None:
        super().__init__()
        self.group_name = group_name
        self.candidates = sorted(
            (u for u in users if u.id not in in_group and not u.is_service_account),
            key=lambda u: (u.name or u.email or u.id).casefold(),
        )
        self.shown: list[User] = []

    def compose(self) -> ComposeResult:
        title = Text("Add a member to ")
        title.append_text(safe_text(self.group_name, 50))
        with Vertical(id="pick-dialog"):
            yield Static(title, id="pick-title")
            yield OrgLine()
            yield Input(placeholder="Type a name or an email to filter", id="pick-filter")
            yield OptionList(id="pick-list")
            yield Static("", id="pick-note")
            with Horizontal(id="pick-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Add", id="add", variant="primary", disabled=True)

    def on_mount(self) -> None:
        self._filter("")
        self.query_one("#pick-filter", Input).focus()

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        self.shown = [
            u
            for u in self.candidates
            if all(w in f"{u.name or ''} {u.email or ''}".casefold() for w in words)
        ]
        options = self.query_one("#pick-list", OptionList)
        options.clear_options()
        for user in self.shown:
            label = safe_text(user.name or user.id, 40)
            label.append(f"  {safe_str(user.email or '', 50)}", style="dim")
            options.add_option(Option(label, id=user.id))
        if self.shown:
            options.highlighted = 0
        note = f"{len(self.shown)} of {len(self.candidates)} organisation members"
        self.query_one("#pick-note", Static).update(Text(note))
        self.query_one("#add", Button).disabled = not self.shown

    def on_input_changed(self, event: Input.Changed) -> None:
        self._filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._pick()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._pick()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "add":
            self._pick()
        else:
            self.dismiss(None)

    def _pick(self) -> None:
        options = self.query_one("#pick-list", OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < len(self.shown):
            return
        self.dismiss(self.shown[index])

    def action_to_list(self) -> None:
        self.query_one("#pick-list", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


class ChoicePicker(ModalScreen["str | None"]):
    """Pick one of a few labelled values (a role to give or take); escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]
    DEFAULT_CSS = """
    ChoicePicker { align: center middle; }
    ChoicePicker > #choice-dialog { width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 1; }
    ChoicePicker #choice-title { text-style: bold; padding: 0 1 1 1; }
    ChoicePicker #choice-list { height: auto; max-height: 12; margin: 0 1; }
    ChoicePicker #choice-note { padding: 1 1 0 1; color: $text-muted; }
    """

    def __init__(self, title: Text, choices: Sequence[tuple[str, Text]], note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog"):
            yield Static(self.title_text, id="choice-title")
            yield OrgLine()
            yield OptionList(
                *(Option(label, id=value) for value, label in self.choices), id="choice-list"
            )
            yield Static(Text(self.note or "enter picks, escape cancels"), id="choice-note")

    def on_mount(self) -> None:
        options = self.query_one("#choice-list", OptionList)
        if self.choices:
            options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
