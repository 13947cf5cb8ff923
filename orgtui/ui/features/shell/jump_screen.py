"""`:`: jump to a project, an API key, a service account or an organisation member, with
suggestions as you type, across every open organisation (each prefixed with its name).

Projects match by name; keys and service accounts of every loaded project match by name, by
id, or (keys) by the redacted value's visible characters ("…abcd"); members by name, email or
id. Substring first, then fuzzy. An empty query lists the projects.

A pasted key value (or its start, or a redacted `sk-proj...abcd`) is matched like `orgtui
whose` does (`core.key_match`), admin keys included: the input hides it at once, and only the
redacted form is ever drawn.
"""

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
Choice = tuple[str, str, str, str | None]  # (profile, kind, object id, project id)
PROJECT, KEY, ACCOUNT, ADMIN_KEY = "project", "api_key", "service_account", "admin_key"
MEMBER = "user"  # an organisation member (`reveal_object` kind)
TITLE = "Jump to a project, key, account or member"
_LABELS = {KEY: "key ", ADMIN_KEY: "ADMIN key ", ACCOUNT: "account ", MEMBER: "member "}


def pasted_key(text: str) -> bool:
    """Text that is (part of) a key value or its redacted form, not a name being typed."""
    value = text.strip()
    return value.startswith("sk-") or ("..." in value and value.startswith("sk"))


class JumpInput(Input):
    """An input that hides a pasted key before it is ever drawn (the `validate_value` hook of
    the reactive runs before the new value is stored, so no frame shows it)."""

    def validate_value(self, value: str) -> str:
        self.password = pasted_key(value)
        return value


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
    JumpScreen > Vertical { width: 100; max-width: 90%; height: auto; max-height: 80%;
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
        self._ids: dict[Choice, str] = {}  # what else finds it: ids, the redacted value
        self._where: dict[Choice, str] = {}  # the project a key or account is in
        self._profile_label: dict[str, str] = {}
        for session in sessions:
            profile = session.profile.name
            # Several organisations: each suggestion starts with its org's name.
            self._profile_label[profile] = (session.snapshot.org_name or profile) if many else ""
            views = list(session.snapshot.projects.values())
            for view in views:
                name = view.project.name or view.project.id
                choice: Choice = (profile, PROJECT, view.id, view.id)
                self._names.append((choice, name, view.archived))
                self._ids[choice] = view.id
            for view in views:
                project_name = view.project.name or view.id
                for key in view.get("api_keys") or ():
                    choice = (profile, KEY, key.id, view.id)
                    self._names.append((choice, key.name or key.id, view.archived))
                    self._ids[choice] = f"{key.id} {key.redacted_value or ''}"
                    self._where[choice] = project_name
                for account in view.get("service_accounts") or ():
                    choice = (profile, ACCOUNT, account.id, view.id)
                    self._names.append((choice, account.name or account.id, view.archived))
                    self._ids[choice] = account.id
                    self._where[choice] = project_name
            for user in session.snapshot.users or ():
                choice = (profile, MEMBER, user.id, None)
                self._names.append((choice, user.name or user.email or user.id, False))
                self._ids[choice] = f"{user.id} {user.email or ''}"
        self._sessions = list(sessions)
        self._shown: list[Choice] = []
        self.pasted: str | None = None  # the redacted form of a pasted key, never the value

    def key_matches(self, query: str) -> list[tuple[Choice, str, bool]]:
        """Keys (admin keys too) whose family and visible end fit a pasted value."""
        from orgtui.core.key_match import ProbeError, candidates, probe

        try:
            found = probe(query)
        except ProbeError:
            self.pasted = None
            return []
        self.pasted = found.shown
        out: list[tuple[Choice, str, bool]] = []
        for session in self._sessions:
            profile = session.profile.name
            for c in candidates(found, session.snapshot):
                kind = ADMIN_KEY if c.kind == "admin_key" else KEY
                choice: Choice = (profile, kind, c.key_id, c.project_id)
                self._ids.setdefault(choice, f"{c.key_id} {c.redacted_value}")
                self._where.setdefault(choice, c.project_name or "the organisation")
                out.append((choice, c.name or c.key_id, False))
        return out

    def ranked(self, query: str) -> list[tuple[Choice, str, bool]]:
        """Name matches (exact, prefix, substring), then id or key-suffix matches, then fuzzy
        name matches; an empty query lists the projects."""
        if pasted_key(query):
            return self.key_matches(query)
        self.pasted = None
        needle = query.strip().casefold()
        if not needle:
            return rank("", [n for n in self._names if n[0][1] == PROJECT])
        by_name = rank(query, self._names)
        close = [n for n in by_name if needle in n[1].casefold()]

        def closeness(entry: tuple[Choice, str, bool]) -> tuple[int, bool]:
            hay = entry[1].casefold()
            level = 0 if hay == needle else 1 if hay.startswith(needle) else 2
            return level, entry[0][1] != PROJECT  # a project before a key of the same match

        close.sort(key=closeness)
        fuzzy = [n for n in by_name if needle not in n[1].casefold()]
        found = {n[0] for n in by_name}
        by_id = [
            n
            for n in self._names
            if n[0] not in found and needle in self._ids.get(n[0], "").casefold()
        ]
        return close + by_id + fuzzy

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(TITLE), id="jump-title")
            yield JumpInput(
                placeholder="name, id, a key's last characters, or a pasted key", id="jump-input"
            )
            yield OptionList(id="jump-options")
            yield Static("", id="jump-empty")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        ranked = self.ranked(query)[:MAX_SUGGESTIONS]
        self._shown = [choice for choice, _, _ in ranked]
        for number, (choice, name, archived) in enumerate(ranked):
            profile, kind, object_id, _ = choice
            # One line each, cut with an ellipsis: a suggestion that wraps reads as two.
            prompt = Text(no_wrap=True, overflow="ellipsis")
            if self._profile_label.get(profile):
                prompt.append_text(safe_text(self._profile_label[profile], 30, style="bold"))
                prompt.append(" · ", style="dim")
            if kind != PROJECT:
                prompt.append(_LABELS[kind], style="bold red" if kind == ADMIN_KEY else "dim")
            prompt.append_text(safe_text(name, 50))
            if kind in (KEY, ADMIN_KEY, MEMBER):
                suffix = self._ids[choice].split(" ", 1)[-1]  # redacted value; email
                if suffix and suffix != name:
                    prompt.append(f"  {safe_str(suffix, 40)}", style="dim")
            if kind not in (PROJECT, MEMBER):
                prompt.append("  in ", style="dim")
                prompt.append_text(safe_text(self._where.get(choice, ""), 30, style="dim"))
            if archived:
                prompt.append(" (archived)", style="dim italic")
            options.add_option(Option(prompt, id=f"{number}"))
        if ranked:
            options.highlighted = 0
        empty = Text("Nothing matches")
        if self.pasted is not None:
            empty = Text(f"No live key matches {self.pasted}: deleted, or another org's")
        self.query_one("#jump-empty", Static).update("" if ranked else empty)
        title = Text(TITLE)
        if self.pasted is not None:
            title = Text(f"Pasted key {self.pasted}: {len(ranked)} match(es)")
        self.query_one("#jump-title", Static).update(title)

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
        self.query_one(Input).value = ""  # the pasted value goes with the dialog
        self.dismiss(self._shown[index])

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(current + step, options.option_count - 1))

    def action_cancel(self) -> None:
        self.dismiss(None)
