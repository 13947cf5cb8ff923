"""One audit event in full (a modal), and the words the audit list shows about an event.

Everything in an event is untrusted text from the API: the JSON is pretty-printed, each line is
passed through `safe_str` (controls, escapes and bidi overrides become visible placeholders,
runaway lines are cut) and rendered as a `Text`, so nothing in it is parsed as markup.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any, ClassVar

from rich.console import Group
from rich.highlighter import JSONHighlighter
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from orgtui.core.audit_directory import Directory, event_data
from orgtui.ui.text import relative_time, safe_str, safe_text
from orgtui.ui.widgets.footer import OrgFooter

__all__ = ["AuditDetailScreen", "actor_label", "event_json", "event_object", "local_time"]

JSON_LINE_MAX = 400  # a 10,000-character name is cut, with an ellipsis, in the detail view


def local_time(ts: float | None, *, seconds: bool = False) -> str:
    if ts is None:
        return "—"
    return time.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M", time.localtime(ts))


def actor_label(entry: Any, directory: Directory) -> str:
    """Who did it: the user's email for a console session, the key's name for an API key."""
    actor = getattr(entry, "actor", None)
    if actor is None:
        return "system"
    session = getattr(actor, "session", None)
    if session is not None and session.user is not None:
        return session.user.email or session.user.id or "session"
    api_key = getattr(actor, "api_key", None)
    if api_key is not None:
        return f"key {directory.name_of(api_key.id) or api_key.id or '?'}"
    return actor.type or "unknown"


def event_object(entry: Any, directory: Directory) -> tuple[str | None, str | None]:
    """(name, id) of what the event is about. The name comes from the console's own data, else
    from the event's details (a deleted key keeps only its id)."""
    details: Mapping[str, Any] = getattr(entry, "details", None) or {}
    raw_id = details.get("id")
    ident = raw_id if isinstance(raw_id, str) else None
    name = directory.name_of(ident)
    if name is None:
        data = details.get("data")
        if isinstance(data, Mapping):
            found = next((data[k] for k in ("name", "email", "title") if data.get(k)), None)
            name = found if isinstance(found, str) else None
    return name, ident


def event_json(entry: Any, *, ascii_only: bool = False) -> str:
    """The event as the API sent it (fields it left out stay out), pretty-printed."""
    data = event_data(entry)
    return json.dumps(data, indent=2, ensure_ascii=ascii_only)


def json_text(source: str) -> Text:
    lines = [safe_str(line, JSON_LINE_MAX) for line in source.splitlines()]
    text = Text("\n".join(lines), end="")
    JSONHighlighter().highlight(text)
    return text


class AuditDetailScreen(ModalScreen[None]):
    """The full event: a summary, then its JSON. `c` copies the JSON (OSC 52)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close"),
        Binding("c", "copy_json", "Copy JSON"),
    ]
    DEFAULT_CSS = """
    AuditDetailScreen { align: center middle; }
    AuditDetailScreen > #audit-detail-box {
        width: 96; max-width: 100%; height: 90%; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    AuditDetailScreen #audit-detail-title { height: 1; text-style: bold; color: $text-primary; }
    AuditDetailScreen #audit-detail-summary { height: auto; margin: 1 0; }
    AuditDetailScreen #audit-detail-json { height: 1fr; background: $background;
        scrollbar-size-vertical: 1; }
    AuditDetailScreen #audit-detail-json > Static { padding: 0 1; }
    AuditDetailScreen Footer { dock: bottom; }
    """

    def __init__(self, entry: Any, directory: Directory, now: float) -> None:
        super().__init__()
        self.entry = entry
        self.directory = directory
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(id="audit-detail-box"):
            yield Static(self._title(), id="audit-detail-title")
            yield Static(self._summary(), id="audit-detail-summary")
            with VerticalScroll(id="audit-detail-json"):
                yield Static(json_text(event_json(self.entry)), id="audit-detail-body")
        yield OrgFooter()

    def on_mount(self) -> None:
        self.query_one("#audit-detail-json").focus()

    def _title(self) -> Text:
        title = safe_text(self.entry.type, 80)
        title.append(" · ").append(local_time(self.entry.effective_at, seconds=True), style="dim")
        return title

    def _summary(self) -> Group:
        entry = self.entry
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(
            "When",
            f"{local_time(entry.effective_at, seconds=True)}"
            f" ({relative_time(entry.effective_at, self.now)})",
        )
        actor = Text.assemble(safe_text(actor_label(entry, self.directory), 120))
        session = entry.actor.session if entry.actor is not None else None
        if session is not None and session.ip_address:
            actor.append("  ").append(f"from {safe_str(session.ip_address, 60)}", style="dim")
        grid.add_row("Actor", actor)
        if entry.project is not None:
            project = safe_text(entry.project.name or entry.project.id, 80)
            project.append("  ").append(safe_str(entry.project.id, 60), style="dim")
            grid.add_row("Project", project)
        name, ident = event_object(entry, self.directory)
        if name or ident:
            thing = safe_text(name or ident, 80)
            if name and ident:
                thing.append("  ").append(safe_str(ident, 60), style="dim")
            grid.add_row("Object", thing)
        grid.add_row("Event id", safe_text(entry.id, 80, style="dim"))
        return Group(grid)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy_json(self) -> None:
        from orgtui.core.secret import copy_to_clipboard
        from orgtui.ui.features.keys.copy_once import driver_writer

        # ASCII-escaped JSON: whatever the event holds pastes as inert text.
        report = copy_to_clipboard(
            event_json(self.entry, ascii_only=True), driver_writer(self.app), use_native=False
        )
        self.app.notify(report.summary(), title="Audit event", markup=False, timeout=4)
