"""The Groups screen (`W`): every group with its members count and organisation roles, and the
members of the selected group below it.

`n` creates a group, `e` renames, `d` deletes (confirmed), `+` adds a member (a picker that
filters as you type); on the members list `d` removes one (confirmed). Data is read by the core
(`services.groups.load_groups`, with what each group gives in each project) in a worker and read again after each change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from orgtui.core import actions as A
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.text import safe_text
from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.tables import ResourceTable, _scoped
from orgtui.ui.widgets.vtable import Column, Row, VirtualTable

if TYPE_CHECKING:
    from orgtui.core.access import GroupAccess
    from orgtui.core.session import Session

__all__ = ["GroupMembersTable", "GroupsScreen", "GroupsTable"]

GROUP_COLUMNS = (
    Column("name", "Group", 28),
    Column("members", "Members", 8, justify="right"),
    Column("roles", "Organisation roles", 24, flex=True, priority=1),
)
MEMBER_COLUMNS = (
    Column("name", "Name", 24),
    Column("email", "Email", 28, flex=True, priority=1),
)


def _roles(group: GroupAccess) -> Text:
    if not group.org_roles:
        return Text("—", style="dim")
    return safe_text(", ".join(r.name for r in group.org_roles), 80)


def group_rows(groups: list[GroupAccess]) -> list[Row]:
    return [
        Row(
            g.group.id,
            (safe_text(g.group.name, 80), str(len(g.members)), _roles(g)),
            g,
        )
        for g in groups
    ]


def member_rows(group: GroupAccess | None) -> list[Row]:
    members = (
        sorted(group.members, key=lambda m: (m.name or m.email or m.id).casefold()) if group else []
    )
    return [
        Row(m.id, (safe_text(m.name or m.id, 60), safe_text(m.email or "—", 80)), m)
        for m in members
    ]


class GroupsTable(ResourceTable):
    SCOPE = A.GROUP
    COLUMNS = GROUP_COLUMNS
    EMPTY = "No groups (n creates one)"
    ROW_FREE = frozenset({"group.create"})
    BINDINGS = _scoped(A.GROUP)


class GroupMembersTable(ResourceTable):
    SCOPE = A.GROUP_MEMBER
    COLUMNS = MEMBER_COLUMNS
    EMPTY = "No members in this group"
    BINDINGS = _scoped(A.GROUP_MEMBER)

    def action_context(self) -> ActionContext:
        ctx = super().action_context()
        groups = self.screen.query_one(GroupsTable).current if self.is_attached else None
        ctx.extra["group"] = groups.item if groups else None
        return ctx


class GroupsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="groups.back"),
    ]
    DEFAULT_CSS = """
    GroupsScreen #groups-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    GroupsScreen GroupsTable { height: 1fr; }
    GroupsScreen #group-projects { height: auto; max-height: 3; padding: 0 1; }
    GroupsScreen #group-members-title { height: 1; padding: 0 1; background: $panel; }
    GroupsScreen GroupMembersTable { height: 1fr; }
    GroupsScreen #groups-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session: Session, *, select: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.select = select  # the id to put the cursor on once loaded
        self.groups: list[GroupAccess] = []
        self.projects: dict[str, list[str]] = {}  # group id -> "project: role"
        self.loaded = False
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        title = Text("Groups · ")
        title.append_text(safe_text(self.session.snapshot.org_name, 60))
        yield Static(title, id="groups-title")
        yield GroupsTable(id="groups-table")
        yield Static(id="group-projects")
        yield Static(id="group-members-title")
        yield GroupMembersTable(id="group-members-table")
        yield Static("Loading…", id="groups-status")
        yield OrgFooter()

    def on_mount(self) -> None:
        for table in self.query(ResourceTable):
            table.session = self.session
        self.query_one(GroupsTable).set_empty_message("Loading…")
        self.query_one(GroupsTable).focus()
        self.reload(self.select)

    def reload(self, select: str | None = None) -> None:
        self.run_worker(self._load(select), group="refresh-groups", exclusive=True)

    async def _load(self, select: str | None) -> None:
        from orgtui.core.errors import ApiError
        from orgtui.core.services.groups import load_groups

        try:
            groups, self.projects = await load_groups(self.session)
        except ApiError as exc:
            self.error = str(exc)
            self._show_status()
            return
        self.error = None
        self.groups = groups
        self.loaded = True
        table = self.query_one(GroupsTable)
        current = select or (table.current.key if table.current else None)
        table.set_empty_message(GroupsTable.EMPTY)
        table.set_rows(group_rows(groups))
        if current:
            table.select_key(current)
        self._show_members()
        self._show_status()

    def _selected(self) -> GroupAccess | None:
        row = self.query_one(GroupsTable).current
        return row.item if row else None

    def _show_members(self) -> None:
        group = self._selected()
        title = Text("Members of ", style="bold")
        if group is None:
            title = Text("Members", style="bold")
        else:
            title.append_text(safe_text(group.group.name, 60))
        self.query_one("#group-members-title", Static).update(title)
        where = Text("Projects: ", style="bold")
        given = self.projects.get(group.group.id, []) if group else []
        if given:
            where.append_text(safe_text(" · ".join(given), 400))
        else:
            where.append("none", style="dim")
        self.query_one("#group-projects", Static).update(where if group else Text())
        self.query_one(GroupMembersTable).set_rows(member_rows(group))

    def _show_status(self) -> None:
        status = self.query_one("#groups-status", Static)
        if self.error:
            status.update(safe_text(f"! could not load the groups: {self.error} (r to retry)", 300))
            return
        count = len(self.groups)
        status.update(Text(f"{count} group{'s' * (count != 1)}"))

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        if isinstance(event.table, GroupsTable):
            self._show_members()

    def action_back(self) -> None:
        self.app.pop_screen()

    def refresh_data(self) -> Any:
        self.reload()
