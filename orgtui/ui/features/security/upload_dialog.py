"""The certificate upload form: a file picker that filters as you type."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from orgtui.ui.features.security.dialog_base import DIALOG_CSS, Dialog, dialog_buttons
from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.org_line import OrgLine

__all__ = ["UploadCertificateScreen", "UploadRequest", "list_candidates"]

MAX_LISTED = 200
CERT_SUFFIXES = (".pem", ".crt", ".cer")


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


class UploadCertificateScreen(Dialog[UploadRequest]):
    DEFAULTDIALOG_CSS = DIALOG_CSS.format(cls="UploadCertificateScreen")

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
            yield OrgLine()
            yield Label("File", classes="dialog-label")
            yield Input(placeholder="path/to/client.pem (type to filter)", id="upload-path")
            yield OptionList(id="upload-files")
            yield Static("", id="upload-note", classes="dialog-note")
            yield Label("Name (optional)", classes="dialog-label")
            yield Input(placeholder="e.g. edge-mtls-2026", id="upload-name")
            yield dialog_buttons("Upload")

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
