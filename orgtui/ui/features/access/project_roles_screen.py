"""A project's roles (`p` on the project's Groups tab): the predefined owner and member roles
(read-only) and the project's custom roles, with the selected role's permissions by area.
`n` creates a custom project role, `e` edits one, `d` deletes one (confirmed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from orgtui.core import actions as A
from orgtui.ui.features.access.roles_screen import ROLE_COLUMNS, RolesScreen
from orgtui.ui.text import safe_text
from orgtui.ui.widgets.tables import ResourceTable, _scoped

if TYPE_CHECKING:
    from orgtui.api.models_rbac import Role
    from orgtui.core.session import Session

__all__ = ["ProjectRolesScreen", "ProjectRolesTable"]


class ProjectRolesTable(ResourceTable):
    SCOPE = A.PROJECT_ROLE
    COLUMNS = ROLE_COLUMNS
    EMPTY = "No roles"
    ROW_FREE = frozenset({"project_role.create"})
    BINDINGS = _scoped(A.PROJECT_ROLE)


class ProjectRolesScreen(RolesScreen):
    TABLE = ProjectRolesTable

    def __init__(self, session: Session, project_id: str, *, select: str | None = None) -> None:
        super().__init__(session, select=select)
        self.project_id = project_id  # RolesScreen.on_mount hands it to the table

    def title_text(self) -> Text:
        view = self.session.snapshot.project(self.project_id)
        title = Text("Project roles · ")
        title.append_text(safe_text(view.project.name if view else self.project_id, 60))
        return title

    async def fetch(self) -> list[Role]:
        from orgtui.core.services.project_roles import load_project_roles

        return await load_project_roles(self.session, self.project_id)
