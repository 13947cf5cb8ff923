"""The Roles screen (`P`): the organisation's roles, predefined and custom, and the selected
role's permissions grouped by area. `n` creates a custom role, `e` edits one, `d` deletes one
(confirmed); predefined roles are read-only (the keys say so instead of opening a form)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from orgtui.core import actions as A
from orgtui.core.services.roles import permission_areas
from orgtui.ui.text import safe_text
from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.tables import ResourceTable, _scoped
from orgtui.ui.widgets.vtable import Column, Row, VirtualTable

if TYPE_CHECKING:
    from orgtui.api.models_rbac import Role
    from orgtui.core.session import Session

__all__ = ["RolesScreen", "RolesTable", "permissions_text"]

ROLE_COLUMNS = (
    Column("name", "Role", 24),
    Column("kind", "Kind", 11),
    Column("perms", "Permissions", 11, justify="right"),
    Column("description", "Description", 20, flex=True, priority=1),
)


def role_rows(roles: list[Role]) -> list[Row]:
    return [
        Row(
            r.id,
            (
                safe_text(r.name, 80),
                Text("predefined", style="dim") if r.predefined_role else Text("custom"),
                str(len(r.permissions)),
                safe_text(r.description or "", 120),
            ),
            r,
        )
        for r in roles
    ]


def permissions_text(role: Role | None) -> Text:
    if role is None:
        return Text("")
    text = Text()
    text.append_text(safe_text(role.name, 60))
    text.append(" ")
    text.append("· read-only (predefined)" if role.predefined_role else "· custom", style="dim")
    for area, ops in permission_areas(role.permissions).items():
        text.append("\n")
        text.append_text(safe_text(area, 60))
        text.append("  ")
        text.append(", ".join(ops), style="bold")
    if not role.permissions:
        text.append("\nno permissions", style="dim")
    return text


class RolesTable(ResourceTable):
    SCOPE = A.ROLE
    COLUMNS = ROLE_COLUMNS
    EMPTY = "No roles"
    ROW_FREE = frozenset({"role.create"})
    BINDINGS = _scoped(A.ROLE)


class RolesScreen(Screen[None]):
    TABLE: ClassVar[type[ResourceTable]] = RolesTable
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="roles.back"),
    ]
    DEFAULT_CSS = """
    RolesScreen #roles-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    RolesScreen #roles-table { height: 1fr; }
    RolesScreen #role-permissions { height: 1fr; padding: 0 1; border-top: solid $panel; }
    RolesScreen #roles-status { height: 1; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, session: Session, *, select: str | None = None) -> None:
        super().__init__()
        self.session = session
        self.select = select  # the id to put the cursor on once loaded
        self.roles: list[Role] = []
        self.loaded = False

    def title_text(self) -> Text:
        title = Text("Roles · ")
        title.append_text(safe_text(self.session.snapshot.org_name, 60))
        return title

    async def fetch(self) -> list[Role]:
        from orgtui.core.services.roles import load_roles

        return await load_roles(self.session)

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="roles-title")
        yield self.TABLE(id="roles-table")
        yield Static(id="role-permissions")
        yield Static("Loading…", id="roles-status")
        yield OrgFooter()

    def on_mount(self) -> None:
        table = self.query_one(self.TABLE)
        table.session = self.session
        table.project_id = getattr(self, "project_id", None)  # a project's roles
        table.set_empty_message("Loading…")
        table.focus()
        self.reload(self.select)

    def reload(self, select: str | None = None) -> None:
        self.run_worker(self._load(select), group="refresh-roles", exclusive=True)

    async def _load(self, select: str | None) -> None:
        from orgtui.core.errors import ApiError

        status = self.query_one("#roles-status", Static)
        try:
            roles = await self.fetch()
        except ApiError as exc:
            status.update(safe_text(f"! could not load the roles: {exc}", 300))
            return
        self.roles = roles
        self.loaded = True
        table = self.query_one(self.TABLE)
        current = select or (table.current.key if table.current else None)
        table.set_empty_message(self.TABLE.EMPTY)
        table.set_rows(role_rows(roles))
        if current:
            table.select_key(current)
        self._show_permissions()
        custom = sum(1 for r in roles if not r.predefined_role)
        status.update(Text(f"{len(roles)} roles, {custom} custom"))

    def _show_permissions(self) -> None:
        row = self.query_one(self.TABLE).current
        self.query_one("#role-permissions", Static).update(
            permissions_text(row.item if row else None)
        )

    def on_virtual_table_highlighted(self, event: VirtualTable.Highlighted) -> None:
        self._show_permissions()

    def action_back(self) -> None:
        self.app.pop_screen()
