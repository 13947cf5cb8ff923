"""Dialogs of the security feature: the certificate upload form (a file picker that filters as
you type), a picker of where to (de)activate a certificate, the model permissions editor, the
hosted-tools and retention choosers. Each dismisses with its answer, or None on escape."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from orgtui.ui.text import safe_str, safe_text

MAX_LISTED = 200
CERT_SUFFIXES = (".pem", ".crt", ".cer")

_CSS = """
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


def _buttons(ok: str) -> Horizontal:
    return Horizontal(
        Button("Cancel", id="cancel"),
        Button(ok, id="ok", variant="primary"),
        classes="dialog-buttons",
    )


class _Dialog(ModalScreen):  # type: ignore[type-arg]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def answer(self) -> object | None:
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


# ---------------------------------------------------------------- upload


@dataclass(frozen=True)
class UploadRequest:
    path: str
    name: str | None


def list_candidates(typed: str, cwd: Path) -> tuple[Path, list[tuple[str, bool]]]:
    """The entries of the folder `typed` points into whose names contain what follows its last
    slash: (folder, [(name, is_dir)]), folders first, then certificate files, then the rest."""
    text = os.path.expanduser(typed)
    base = Path(text) if os.path.isabs(text) else cwd / text
    if text.endswith(os.sep) or text == "":
        folder, needle = base, ""
    else:
        folder, needle = base.parent, base.name.casefold()
    entries: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder) as it:
            for entry in it:
                if needle and needle not in entry.name.casefold():
                    continue
                if entry.name.startswith(".") and not needle.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    continue
                entries.append((entry.name, is_dir))
                if len(entries) >= MAX_LISTED * 5:
                    break
    except OSError:
        return folder, []

    def rank(item: tuple[str, bool]) -> tuple[int, str]:
        name, is_dir = item
        kind = 0 if is_dir else 1 if name.lower().endswith(CERT_SUFFIXES) else 2
        return kind, name.casefold()

    return folder, sorted(entries, key=rank)[:MAX_LISTED]


class UploadCertificateScreen(_Dialog):
    DEFAULT_CSS = _CSS.format(cls="UploadCertificateScreen")

    def __init__(self, cwd: Path | None = None) -> None:
        super().__init__()
        self.cwd = cwd or Path.cwd()
        self._folder = self.cwd
        self._shown: list[tuple[str, bool]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(
                Text("Upload a certificate (PEM; uploaded inactive, + activates it)"),
                classes="dialog-title",
            )
            yield Label("File", classes="dialog-label")
            yield Input(placeholder="path/to/client.pem (type to filter)", id="upload-path")
            yield OptionList(id="upload-files")
            yield Static("", id="upload-note", classes="dialog-note")
            yield Label("Name (optional)", classes="dialog-label")
            yield Input(placeholder="e.g. edge-mtls-2026", id="upload-name")
            yield _buttons("Upload")

    def on_mount(self) -> None:
        self._refilter("")
        self.query_one("#upload-path", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "upload-path":
            event.stop()
            self._refilter(event.value)

    def _refilter(self, typed: str) -> None:
        self._folder, self._shown = list_candidates(typed, self.cwd)
        options = self.query_one("#upload-files", OptionList)
        options.clear_options()
        for name, is_dir in self._shown:
            label = safe_text(name + ("/" if is_dir else ""), 70)
            if not is_dir and not name.lower().endswith(CERT_SUFFIXES):
                label.stylize("dim")
            options.add_option(Option(label))
        if self._shown:
            options.highlighted = 0
        note = self.query_one("#upload-note", Static)
        where = safe_str(str(self._folder), 50)
        note.update(
            Text(f"{len(self._shown)} match{'es' * (len(self._shown) != 1)} in {where}")
            if self._shown
            else Text(f"Nothing matches in {where}")
        )
        note.set_class(not self._shown, "-warn")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name, is_dir = self._shown[event.option_index]
        path = self.query_one("#upload-path", Input)
        full = self._folder / name
        try:
            shown = str(full.relative_to(self.cwd))
        except ValueError:
            shown = str(full)
        path.value = shown + (os.sep if is_dir else "")
        path.cursor_position = len(path.value)
        (path if is_dir else self.query_one("#upload-name", Input)).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "upload-path" and self._shown and not self._is_file(event.value):
            self.query_one("#upload-files", OptionList).focus()
            return
        self._submit()

    def _is_file(self, typed: str) -> bool:
        text = os.path.expanduser(typed.strip())
        return bool(text) and (self.cwd / text).is_file()

    def answer(self) -> UploadRequest | None:
        typed = self.query_one("#upload-path", Input).value.strip()
        note = self.query_one("#upload-note", Static)
        if not self._is_file(typed):
            note.update(Text("Choose a certificate file first"))
            note.set_class(True, "-warn")
            return None
        path = str(self.cwd / os.path.expanduser(typed))
        name = self.query_one("#upload-name", Input).value.strip() or None
        return UploadRequest(path, name)


# ---------------------------------------------------------------- where to (de)activate

ORG_TARGET = "__organisation__"


class TargetPickerScreen(_Dialog):
    """The organisation or one project, filtered as you type. Dismisses with ORG_TARGET or a
    project id."""

    DEFAULT_CSS = _CSS.format(cls="TargetPickerScreen")

    def __init__(self, title: str, targets: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._targets = list(targets)
        self._shown: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe_text(self._title, 70), classes="dialog-title")
            yield Input(placeholder="Type to filter", id="target-filter")
            yield OptionList(id="target-list")
            yield Static("", id="target-note", classes="dialog-note")
            yield _buttons("Choose")

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


class ModelPermissionsScreen(_Dialog):
    """Allow list or deny list, over the models the project used (ticked = listed), plus models
    typed in (comma separated)."""

    DEFAULT_CSS = _CSS.format(cls="ModelPermissionsScreen")

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
            yield _buttons("Save")

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


class HostedToolsScreen(_Dialog):
    """Tick the tools the project may use; dismisses with {tool: enabled}."""

    DEFAULT_CSS = _CSS.format(cls="HostedToolsScreen")

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
            yield SelectionList[str](
                *((self._labels.get(t, t), t, on) for t, on in self._enabled.items()),
                id="tools-list",
            )
            yield Static(Text("space ticks or unticks a tool"), classes="dialog-note")
            yield _buttons("Save")

    def on_mount(self) -> None:
        self.query_one("#tools-list", SelectionList).focus()

    def answer(self) -> dict[str, bool]:
        ticked = set(self.query_one("#tools-list", SelectionList).selected)
        return {tool: tool in ticked for tool in self._enabled}


class RetentionScreen(_Dialog):
    """One retention value out of `choices` (value, label); dismisses with the value."""

    DEFAULT_CSS = _CSS.format(cls="RetentionScreen")

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], current: str | None) -> None:
        super().__init__()
        self._title = title
        self._choices = list(choices)
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(safe_text(self._title, 70), classes="dialog-title")
            yield OptionList(
                *(
                    Option(label + ("  (current)" if v == self._current else ""))
                    for v, label in self._choices
                ),
                id="retention-list",
            )
            yield _buttons("Save")

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
