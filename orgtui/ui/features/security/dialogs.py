"""Dialogs of the security feature: the certificate upload form (in `upload_dialog`), a picker
of where to (de)activate a certificate, the model permissions editor, the hosted-tools and
retention choosers. Each dismisses with its answer, or None on escape."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.option_list import Option

from orgtui.ui.features.security.dialog_base import DIALOG_CSS, Dialog, dialog_buttons
from orgtui.ui.features.security.upload_dialog import UploadCertificateScreen, UploadRequest
from orgtui.ui.text import safe_text
from orgtui.ui.widgets.org_line import OrgLine

__all__ = [
    "ORG_TARGET",
    "HostedToolsScreen",
    "ModelChoice",
    "ModelPermissionsScreen",
    "RetentionScreen",
    "TargetPickerScreen",
    "UploadCertificateScreen",
    "UploadRequest",
]

# ---------------------------------------------------------------- where to (de)activate

ORG_TARGET = "__organisation__"


class TargetPickerScreen(Dialog[str]):
    """The organisation or one project, filtered as you type. Dismisses with ORG_TARGET or a
    project id."""

    DEFAULTDIALOG_CSS = DIALOG_CSS.format(cls="TargetPickerScreen")

    def __init__(self, title: str, targets: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._targets = list(targets)
        self._shown: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe_text(self._title, 70), classes="dialog-title")
            yield OrgLine()
            yield Input(placeholder="Type to filter", id="target-filter")
            yield OptionList(id="target-list")
            yield Static("", id="target-note", classes="dialog-note")
            yield dialog_buttons("Choose")

    def on_mount(self) -> None:
        self._refilter("")
        self.query_one("#target-filter", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refilter(event.value)

    def _refilter(self, typed: str) -> None:
        needle = typed.strip().casefold()
        self._shown = [t for t in self._targets if not needle or needle in t[1].casefold()]
        options = self.query_one("#target-list", OptionList)
        options.clear_options()
        options.add_options(Option(safe_text(label, 70)) for _, label in self._shown)
        if self._shown:
            options.highlighted = 0
        self.query_one("#target-note", Static).update(
            Text(f"{len(self._shown)} of {len(self._targets)}" if self._shown else "No match")
        )

    def answer(self) -> str | None:
        index = self.query_one("#target-list", OptionList).highlighted
        if index is None or index >= len(self._shown):
            return None
        return self._shown[index][0]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit()


# ---------------------------------------------------------------- model permissions


@dataclass(frozen=True)
class ModelChoice:
    mode: str
    model_ids: tuple[str, ...]


class ModelPermissionsScreen(Dialog[ModelChoice]):
    """Allow list or deny list, over the models the project used (ticked = listed), plus models
    typed in (comma separated)."""

    DEFAULTDIALOG_CSS = DIALOG_CSS.format(cls="ModelPermissionsScreen")

    def __init__(
        self, project: str, mode: str, listed: Sequence[str], used: Sequence[str] | None
    ) -> None:
        super().__init__()
        self._project = project
        self._mode = mode
        self._listed = list(listed)
        self._used = list(used or ())
        self._used_known = used is not None

    def compose(self) -> ComposeResult:
        title = Text("Model permissions of ")
        title.append_text(safe_text(self._project, 50))
        choices = list(dict.fromkeys([*self._used, *self._listed]))
        with Vertical(id="dialog"):
            yield Static(title, classes="dialog-title")
            yield OrgLine()
            with RadioSet(id="models-mode"):
                yield RadioButton(
                    "Allow only these", value=self._mode == "allow_list", id="mode-allow"
                )
                yield RadioButton("Deny these", value=self._mode != "allow_list", id="mode-deny")
            yield Label("Models the project used (last 30 days)", classes="dialog-label")
            yield SelectionList[str](
                *((safe_text(m, 60), m, m in self._listed) for m in choices), id="models-used"
            )
            if not self._used_known:
                yield Static(
                    Text("Usage could not be read: type the models below"),
                    classes="dialog-note -warn",
                )
            elif not choices:
                yield Static(
                    Text("No usage in the last 30 days: type the models below"),
                    classes="dialog-note",
                )
            yield Label("More models (comma separated)", classes="dialog-label")
            yield Input(placeholder="e.g. gpt-4.1-mini, o3", id="models-extra")
            yield Static("", id="models-note", classes="dialog-note")
            yield dialog_buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#models-used", SelectionList).focus()

    @property
    def mode(self) -> str:
        return "allow_list" if self.query_one("#mode-allow", RadioButton).value else "deny_list"

    def answer(self) -> ModelChoice | None:
        ticked = list(self.query_one("#models-used", SelectionList).selected)
        extra = [m.strip() for m in self.query_one("#models-extra", Input).value.split(",")]
        models = tuple(dict.fromkeys([*ticked, *(m for m in extra if m)]))
        if self.mode == "allow_list" and not models:
            note = self.query_one("#models-note", Static)
            note.update(Text("An allow list needs at least one model (else nothing could run)"))
            note.set_class(True, "-warn")
            return None
        return ModelChoice(self.mode, models)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()


# ---------------------------------------------------------------- hosted tools, retention


class HostedToolsScreen(Dialog[dict[str, bool]]):
    """Tick the tools the project may use; dismisses with {tool: enabled}."""

    DEFAULTDIALOG_CSS = DIALOG_CSS.format(cls="HostedToolsScreen")

    def __init__(self, project: str, enabled: dict[str, bool], labels: dict[str, str]) -> None:
        super().__init__()
        self._project = project
        self._enabled = dict(enabled)
        self._labels = labels

    def compose(self) -> ComposeResult:
        title = Text("Hosted tools of ")
        title.append_text(safe_text(self._project, 50))
        with Vertical(id="dialog"):
            yield Static(title, classes="dialog-title")
            yield OrgLine()
            yield SelectionList[str](
                *((self._labels.get(t, t), t, on) for t, on in self._enabled.items()),
                id="tools-list",
            )
            yield Static(Text("space ticks or unticks a tool"), classes="dialog-note")
            yield dialog_buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#tools-list", SelectionList).focus()

    def answer(self) -> dict[str, bool]:
        ticked = set(self.query_one("#tools-list", SelectionList).selected)
        return {tool: tool in ticked for tool in self._enabled}


class RetentionScreen(Dialog[str]):
    """One retention value out of `choices` (value, label); dismisses with the value."""

    DEFAULTDIALOG_CSS = DIALOG_CSS.format(cls="RetentionScreen")

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], current: str | None) -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe_text(self._title, 70), classes="dialog-title")
            yield OrgLine()
            yield OptionList(
                *(
                    Option(label + ("  (current)" if v == self._current else ""))
                    for v, label in self._choices
                ),
                id="retention-list",
            )
            yield dialog_buttons("Save")

    def on_mount(self) -> None:
        options = self.query_one("#retention-list", OptionList)
        values = [v for v, _ in self._choices]
        options.highlighted = values.index(self._current) if self._current in values else 0
        options.focus()

    def answer(self) -> str | None:
        index = self.query_one("#retention-list", OptionList).highlighted
        return None if index is None else self._choices[index][0]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._submit()
