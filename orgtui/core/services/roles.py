"""Custom organisation roles (`/organization/roles`): list, create, change and delete.

Predefined roles (owner, reader) are read-only. The permissions a role may hold are the
vocabulary of the organisation, read from the predefined owner role (it holds them all), and
`permission_areas` groups them by area for the picker ("api.groups" -> read, write).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from orgtui.core.services._common import display, mutation
from orgtui.core.services.errors import InvalidInput, ServiceRefusal
from orgtui.core.services.results import Done

if TYPE_CHECKING:
    from orgtui.api.models_rbac import Role
    from orgtui.core.session import Session

__all__ = [
    "create_role",
    "delete_role",
    "load_roles",
    "permission_areas",
    "update_role",
    "validate_role_name",
    "vocabulary",
]

ROLE_NAME_MAX = 100


def validate_role_name(text: str) -> tuple[str | None, str | None]:
    name = text.strip()
    if not name:
        return None, "A role needs a name"
    if not name.isprintable():
        return None, "The name has a control character"
    if len(name) > ROLE_NAME_MAX:
        return None, f"The name is {len(name)} characters; the limit is {ROLE_NAME_MAX}"
    return name, None


def vocabulary(roles: Iterable[Role]) -> list[str]:
    """Every permission an organisation role may hold: the predefined roles' union."""
    found: dict[str, None] = {}
    for role in roles:
        if role.predefined_role:
            found.update(dict.fromkeys(role.permissions))
    return list(found)


def permission_areas(permissions: Iterable[str]) -> dict[str, list[str]]:
    """`api.groups.read` -> {"api.groups": ["read"]}, areas in first-seen order."""
    areas: dict[str, list[str]] = {}
    for perm in permissions:
        area, _, op = perm.rpartition(".")
        areas.setdefault(area or perm, []).append(op if area else perm)
    return areas


async def load_roles(session: Session) -> list[Role]:
    return [role async for role in session.client.iter_roles()]


def _checked(name: str, permissions: Sequence[str]) -> tuple[str, list[str]]:
    clean, error = validate_role_name(name)
    if error or clean is None:
        raise InvalidInput(error or "A role needs a name")
    if not permissions:
        raise InvalidInput("Choose at least one permission")
    return clean, list(dict.fromkeys(permissions))


@mutation("role.create")
async def create_role(
    session: Session, *, name: str, permissions: Sequence[str], description: str | None = None
) -> Done:
    clean, perms = _checked(name, permissions)
    role = await session.client.create_role(clean, perms, description or None)
    return Done(
        f"Created role {display(role.name)} ({len(role.permissions)} permissions)", obj=role
    )


def _refuse_predefined(role: Role) -> None:
    if role.predefined_role:
        raise ServiceRefusal(f"{display(role.name)} is a predefined role: it cannot be changed")


@mutation("role.edit")
async def update_role(
    session: Session,
    *,
    role: Role,
    name: str,
    permissions: Sequence[str],
    description: str | None = None,
) -> Done:
    _refuse_predefined(role)
    clean, perms = _checked(name, permissions)
    updated = await session.client.update_role(
        role.id, name=clean, permissions=perms, description=description or ""
    )
    return Done(f"Saved role {display(updated.name)}", obj=updated)


@mutation("role.delete")
async def delete_role(session: Session, *, role: Role) -> Done:
    _refuse_predefined(role)
    await session.client.delete_role(role.id)
    return Done(f"Deleted role {display(role.name)}", outcome="deleted")
