"""Custom project roles (`/projects/{id}/roles`): list, create, change and delete.

The predefined project roles (owner, member) are read-only. A project role's permissions come
from the vocabulary of the predefined project owner role (`roles.vocabulary`). Before a role is
edited it is read again (`fresh_role`): the form opens on what the API holds now, not on a list
loaded minutes ago, and a role deleted meanwhile says so instead of failing on save.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from orgtui.api.errors import NotFoundError
from orgtui.core.services._common import display, mutation, project_of, refuse_if_archived
from orgtui.core.services.errors import ServiceRefusal
from orgtui.core.services.results import Done
from orgtui.core.services.roles import _checked, _refuse_predefined

if TYPE_CHECKING:
    from orgtui.api.models_rbac import Role
    from orgtui.core.session import Session

__all__ = [
    "create_project_role",
    "delete_project_role",
    "fresh_role",
    "load_project_roles",
    "update_project_role",
]


async def load_project_roles(session: Session, project_id: str) -> list[Role]:
    """The project's roles, predefined first as the API lists them."""
    return [r async for r in session.client.iter_project_roles(project_id)]


async def fresh_role(session: Session, role: Role, project_id: str | None = None) -> Role:
    """`role` as the API holds it now (an organisation role, or one of project `project_id`)."""
    client = session.client
    try:
        if project_id:
            return await client.get_project_role(project_id, role.id)
        return await client.get_role(role.id)
    except NotFoundError:
        raise ServiceRefusal(
            f"The role {display(role.name)} no longer exists (deleted meanwhile?)"
        ) from None


async def _writable(session: Session, project_id: str) -> None:
    refuse_if_archived(await project_of(session, project_id), "changing its roles")


@mutation("project_role.create")
async def create_project_role(
    session: Session,
    *,
    project_id: str,
    name: str,
    permissions: Sequence[str],
    description: str | None = None,
) -> Done:
    clean, perms = _checked(name, permissions)
    await _writable(session, project_id)
    role = await session.client.create_project_role(project_id, clean, perms, description or None)
    return Done(
        f"Created project role {display(role.name)} ({len(role.permissions)} permissions)",
        obj=role,
    )


@mutation("project_role.edit")
async def update_project_role(
    session: Session,
    *,
    project_id: str,
    role: Role,
    name: str,
    permissions: Sequence[str],
    description: str | None = None,
) -> Done:
    _refuse_predefined(role)
    clean, perms = _checked(name, permissions)
    await _writable(session, project_id)
    updated = await session.client.update_project_role(
        project_id, role.id, name=clean, permissions=perms, description=description or ""
    )
    return Done(f"Saved project role {display(updated.name)}", obj=updated)


@mutation("project_role.delete")
async def delete_project_role(session: Session, *, project_id: str, role: Role) -> Done:
    _refuse_predefined(role)
    await _writable(session, project_id)
    await session.client.delete_project_role(project_id, role.id)
    return Done(f"Deleted project role {display(role.name)}", outcome="deleted")
