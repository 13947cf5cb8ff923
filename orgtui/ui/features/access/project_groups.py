"""A project's Groups tab: the groups with access to the project and their project roles.

`+` gives a group access (a group picker, then its first project role), `d` removes a group
(confirmed: its members lose what it gave them here), `g` / `x` give or take a further project
role, `p` opens the project's roles (custom ones are created, edited and deleted there). The
list is read when the tab is shown (`services.assignments.load_project_groups`) and after
each change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from orgtui.core import actions as A
from orgtui.ui.text import safe_text, short_date
from orgtui.ui.widgets.tables import ResourceTable, _scoped
from orgtui.ui.widgets.vtable import Column, Row

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = ["ProjectGroup", "ProjectGroupsPanel", "ProjectGroupsTable"]

COLUMNS = (
    Column("name", "Group", 24),
    Column("roles", "Project roles", 24, flex=True),
    Column("added", "Added", 11, priority=1),
)


@dataclass(frozen=True)
class ProjectGroup:
    """One group in the project and the project roles it holds there."""

    id: str
    name: str
    roles: tuple[Any, ...]  # AssignedRole
    created_at: int | None = None


def group_rows(groups: list[ProjectGroup]) -> list[Row]:
    rows = []
    for g in groups:
        roles = (
            safe_text(", ".join(r.name for r in g.roles), 120)
            if g.roles
            else Text("no role", style="dim")
        )
        added = short_date(g.created_at) if g.created_at else "—"
        rows.append(Row(g.id, (safe_text(g.name, 80), roles, added), g))
    return rows


class ProjectGroupsTable(ResourceTable):
    SCOPE = A.PROJECT_GROUP
    COLUMNS = COLUMNS
    EMPTY = "No group has access to this project (+ adds one)"
    ROW_FREE = frozenset({"project_group.add", "view.project_roles"})
    BINDINGS = _scoped(A.PROJECT_GROUP)


class ProjectGroupsPanel(Vertical):
    DEFAULT_CSS = """
    ProjectGroupsPanel ProjectGroupsTable { height: 1fr; }
    ProjectGroupsPanel #project-groups-status { height: 1; padding: 0 1; color: $text-muted; }
    """
    HINT: ClassVar[str] = "+ add group · d remove · g give role · x take role · p project roles"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self.project_id: str | None = None
        self.groups: list[ProjectGroup] = []
        self.loaded = False
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield ProjectGroupsTable(id="project-groups-table")
        yield Static(id="project-groups-status")

    @property
    def table(self) -> ProjectGroupsTable:
        return self.query_one(ProjectGroupsTable)

    def show(self, session: Session, project_id: str, *, fresh: bool = False) -> None:
        changed = session is not self.session or project_id != self.project_id
        self.session, self.project_id = session, project_id
        table = self.table
        table.session, table.project_id = session, project_id
        if changed:
            self.groups, self.loaded = [], False
            table.set_rows([])
        if changed or fresh or not self.loaded:
            self.reload()

    def reload(self, select: str | None = None) -> None:
        if self.session is None or self.project_id is None:
            return
        self.table.set_empty_message("Loading…")
        self.run_worker(
            self._load(self.session, self.project_id, select),
            group="refresh:project-groups",
            exclusive=True,
        )

    async def _load(self, session: Session, pid: str, select: str | None) -> None:
        from orgtui.core.errors import ApiError
        from orgtui.core.services.assignments import load_project_groups

        try:
            found = await load_project_groups(session, pid)
        except ApiError as exc:
            self.error = str(exc)
            self._status()
            return
        if pid != self.project_id:
            return
        self.error = None
        self.groups = [
            ProjectGroup(pg.group_id, pg.group_name, tuple(roles), pg.created_at)
            for pg, roles in found
        ]
        self.loaded = True
        table = self.table
        current = select or (table.current.key if table.current else None)
        table.set_empty_message(ProjectGroupsTable.EMPTY)
        table.set_rows(group_rows(self.groups))
        if current:
            table.select_key(current)
        self._status()

    def _status(self) -> None:
        status = self.query_one("#project-groups-status", Static)
        if self.error:
            status.update(safe_text(f"! could not load the groups: {self.error} (r to retry)", 300))
            return
        count = len(self.groups)
        text = Text(f"{count} group{'s' * (count != 1)} · ")
        text.append(self.HINT, style="dim")
        status.update(text)
