"""`:`: jump to a project by name, with suggestions as you type (substring first, then fuzzy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from orgtui.ui.text import safe_str, safe_text

if TYPE_CHECKING:
    from orgtui.core.session import Session

MAX_SUGGESTIONS = 50
Choice = tuple[str, str]  # (profile, project id)


def _fuzzy(needle: str, hay: str) -> int | None:
    """A score for `needle` as a subsequence of `hay` (lower is better), None if absent."""
    position = -1
    gaps = 0
    for ch in needle:
        found = hay.find(ch, position + 1)
        if found < 0:
            return None
        gaps += found - position - 1
        position = found
    return gaps


def rank(query: str, names: Sequence[tuple[Choice, str, bool]]) -> list[tuple[Choice, str, bool]]:
    """Names matching `query`: exact, prefix, substring (by position), then fuzzy (by gaps)."""
    needle = query.strip().casefold()
    if not needle:
        return [n for n in names if not n[2]] + [n for n in names if n[2]]
    scored: list[tuple[tuple[int, int, int], tuple[Choice, str, bool]]] = []
    for entry in names:
        hay = entry[1].casefold()
        archived = int(entry[2])
        if hay == needle:
            scored.append(((0, archived, 0), entry))
        elif (at := hay.find(needle)) >= 0:
            scored.append(((1, archived, at), entry))
        elif (gaps := _fuzzy(needle, hay)) is not None:
            scored.append(((2, archived, gaps), entry))
    scored.sort(key=lambda item: (item[0], len(item[1][1])))
    return [entry for _, entry in scored]


class JumpScreen(ModalScreen[Choice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="jump.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="jump.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="jump.previous"),
    ]
    DEFAULT_CSS = """
    JumpScreen { align: center top; }
    JumpScreen > Vertical { width: 70; max-width: 100%; height: auto; max-height: 80%;
        margin-top: 2; border: round $primary; background: $surface; }
    JumpScreen #jump-title { padding: 0 1; text-style: bold; }
    JumpScreen Input, JumpScreen Input:focus { border: none; height: 1; margin: 0 1;
        padding: 0 1; background: $boost; }
    JumpScreen OptionList { height: auto; max-height: 16; border: none; }
    JumpScreen #jump-empty { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, sessions: Sequence[Session]) -> None:
        super().__init__()
        many = len(sessions) > 1
        self._names: list[tuple[Choice, str, bool]] = []
        self._profile_label: dict[str, str] = {}
        for session in sessions:
            profile = session.profile.name
            self._profile_label[profile] = profile if many else ""
            for view in session.snapshot.projects.values():
                name = view.project.name or view.project.id
                self._names.append(((profile, view.id), name, view.archived))
        self._shown: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text("Jump to project"), id="jump-title")
            yield Input(placeholder="name (substring or fuzzy)", id="jump-input")
            yield OptionList(id="jump-options")
            yield Static("", id="jump-empty")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        ranked = rank(query, self._names)[:MAX_SUGGESTIONS]
        self._shown = [choice for choice, _, _ in ranked]
        for (profile, pid), name, archived in ranked:
            prompt = safe_text(name, 60)
            if archived:
                prompt.append(" (archived)", style="dim italic")
            if self._profile_label.get(profile):
                prompt.append(f"  {safe_str(profile, 30)}", style="dim")
            options.add_option(Option(prompt, id=f"{profile}\x00{pid}"))
        if ranked:
            options.highlighted = 0
        self.query_one("#jump-empty", Static).update("" if ranked else Text("No project matches"))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.query_one(OptionList).highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self._shown):
            self.app.bell()
            return
        self.dismiss(self._shown[index])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + step, options.option_count - 1))

    def action_cancel(self) -> None:
        self.dismiss(None)
