"""What they can do, and why (`w` on a member or a group): every organisation role and every
project role, one row each, with where it comes from ("direct", "membership", "via group X").

The core reads it (`core.whocan`) in a worker when the screen opens and again on `r`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from orgtui.core.whocan import ORGANISATION
from orgtui.ui.text import safe_text
from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.vtable import Column, Row, VirtualTable

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.core.whocan import Explanation, Reason

__all__ = ["ExplainScreen", "reason_rows"]

COLUMNS = (
    Column("where", "Where", 22),
    Column("role", "Role", 20),
    Column("why", "Why", 24, flex=True),
    Column("perms", "Permissions", 11, justify="right", priority=1),
)


def reason_rows(reasons: list[Reason]) -> list[Row]:
    rows = []
    for i, r in enumerate(reasons):
        where = Text(r.where, style="bold") if r.where == ORGANISATION else safe_text(r.where, 60)
        role = safe_text(r.role, 50)
        if r.custom:
            role.append(" *", style="dim")
        why = safe_text(", ".join(r.sources), 200)
        if all(s.startswith("via group") for s in r.sources):
            why.stylize("italic")
        perms = str(r.permissions) if r.permissions else "—"
        rows.append(Row(f"{i}", (where, role, why, perms), r))
    return rows


class ExplainTable(VirtualTable):
    pass


class ExplainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="explain.back"),
        Binding("r", "reload", "Refresh", id="explain.refresh"),
    ]
    DEFAULT_CSS = """
    ExplainScreen #explain-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    ExplainScreen #explain-groups { height: auto; max-height: 3; padding: 0 1; }
    ExplainScreen ExplainTable { height: 1fr; }
    ExplainScreen #explain-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session: Session, kind: str, subject_id: str, label: str) -> None:
        super().__init__()
        self.session = session
        self.kind = kind  # "member" | "group"
        self.subject_id = subject_id
        self.label = label
        self.explanation: Explanation | None = None
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static(self._title(self.label), id="explain-title")
        yield Static(id="explain-groups")
        yield ExplainTable(COLUMNS, empty="Loading…", id="explain-table")
        yield Static("Loading…", id="explain-status")
        yield OrgFooter()

    def _title(self, name: str) -> Text:
        title = Text("What ")
        title.append_text(safe_text(name, 60))
        title.append(" can do, and why" if self.kind == "member" else " gives its members")
        return title

    def on_mount(self) -> None:
        self.query_one(ExplainTable).focus()
        self.action_reload()

    def action_reload(self) -> None:
        self.run_worker(self._load(), group="explain", exclusive=True)

    async def _load(self) -> None:
        from orgtui.core.errors import ApiError
        from orgtui.core.whocan import explain_group, explain_member

        status = self.query_one("#explain-status", Static)
        try:
            if self.kind == "group":
                found = await explain_group(self.session, self.subject_id)
            else:
                found = await explain_member(self.session, self.subject_id, self.label)
        except ApiError as exc:
            status.update(safe_text(f"! could not read it: {exc} (r to retry)", 300))
            return
        self.explanation, self.loaded = found, True
        self.query_one("#explain-title", Static).update(self._title(found.subject))
        self.query_one("#explain-groups", Static).update(self._groups(found))
        table = self.query_one(ExplainTable)
        table.set_empty_message("No role anywhere")
        table.set_rows(reason_rows(found.reasons))
        status.update(self._status(found))

    def _groups(self, found: Explanation) -> Text:
        text = Text("Groups: " if found.kind == "member" else "Members: ", style="bold")
        if found.groups:
            text.append_text(safe_text(", ".join(found.groups), 400))
        else:
            text.append("none", style="dim")
        return text

    def _status(self, found: Explanation) -> Text:
        org = sum(1 for r in found.reasons if r.project_id is None)
        text = Text(f"{org} organisation role{'s' * (org != 1)}, ")
        n = len(found.projects)
        text.append(f"{n} project{'s' * (n != 1)} · * custom role")
        if found.unread:
            text.append_text(safe_text(f" · not read: {', '.join(found.unread)}", 200))
        return text

    def action_back(self) -> None:
        self.app.pop_screen()
