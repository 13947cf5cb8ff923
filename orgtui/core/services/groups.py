"""Groups: create, rename, delete, and their members (the RBAC `/organization/groups` API).

`load_groups(session)` reads every group with its members, org roles and project roles (the
Groups screen shows them); the mutations are registry handlers, refused in read-only mode like every other.
A group's name is 1 to 255 printable characters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgtui.api.models_rbac import GroupRoleAssignment
from orgtui.core.access import GroupAccess
from orgtui.core.services._common import display, mutation
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.results import Done
from orgtui.core.services.settle import settled

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = [
    "GROUP_NAME_MAX",
    "add_member",
    "create_group",
    "delete_group",
    "grant_role",
    "revoke_role",
    "load_groups",
    "remove_member",
    "rename_group",
    "validate_group_name",
]

GROUP_NAME_MAX = 255


def validate_group_name(text: str) -> tuple[str | None, str | None]:
    name = text.strip()
    if not name:
        return None, "A group needs a name"
    if not name.isprintable():
        return None, "The name has a control character"
    if len(name) > GROUP_NAME_MAX:
        return None, f"The name is {len(name)} characters; the limit is {GROUP_NAME_MAX}"
    return name, None


def _name(text: str) -> str:
    name, error = validate_group_name(text)
    if error or name is None:
        raise InvalidInput(error or "A group needs a name")
    return name


async def load_groups(session: Session) -> tuple[list[GroupAccess], dict[str, list[str]]]:
    """Every group with its members and organisation roles, in the API's order, and per
    group what it gives in each active project ("search-dev: member")."""
    from orgtui.core.access import load_access

    snapshot = session.snapshot
    names = {
        pid: view.project.name or pid
        for pid, view in snapshot.projects.items()
        if not view.project.archived
    }
    access = await load_access(session.client, list(names))
    projects: dict[str, list[str]] = {}
    for pid, project in access.projects.items():
        for gid, roles in project.group_roles.items():
            for role in roles:
                projects.setdefault(gid, []).append(f"{names[pid]}: {role.name}")
    return list(access.groups.values()), projects


@mutation("group.create")
async def create_group(session: Session, *, name: str) -> Done:
    group = await session.client.create_group(_name(name))
    return Done(f"Created group {display(group.name)}", obj=group)


@mutation("group.rename")
async def rename_group(session: Session, *, group_id: str, name: str) -> Done:
    group = await session.client.update_group(group_id, _name(name))
    return Done(f"Renamed the group to {display(group.name)}", obj=group)


@mutation("group.delete")
async def delete_group(session: Session, *, group_id: str, name: str | None = None) -> Done:
    await session.client.delete_group(group_id)
    return Done(f"Deleted group {display(name, group_id)}", outcome="deleted")


@mutation("group.add_member")
async def add_member(
    session: Session, *, group_id: str, user_id: str, label: str | None = None
) -> Done:
    client = session.client
    return await settled(
        lambda: client.add_group_user(group_id, user_id),
        lambda: client.get_group_user(group_id, user_id),
        adds=True,
        done=lambda _r: Done(f"Added {display(label, user_id)} to the group"),
    )


@mutation("group_member.remove")
async def remove_member(
    session: Session, *, group_id: str, user_id: str, label: str | None = None
) -> Done:
    client = session.client
    return await settled(
        lambda: client.remove_group_user(group_id, user_id),
        lambda: client.get_group_user(group_id, user_id),
        adds=False,
        done=lambda _r: Done(
            f"Removed {display(label, user_id)} from the group", outcome="removed"
        ),
    )


@mutation("group.grant_role")
async def grant_role(
    session: Session, *, group_id: str, role_id: str, label: str | None = None
) -> Done:
    client = session.client

    def held(result: Any) -> Done:
        if isinstance(result, GroupRoleAssignment):  # the answer; else the read-back role
            return Done(
                f"{display(result.group.name)} now holds the role {display(result.role.name)}"
            )
        return Done(f"The group now holds the role {display(result.name)}")

    return await settled(
        lambda: client.assign_group_role(group_id, role_id),
        lambda: client.get_group_role(group_id, role_id),
        adds=True,
        done=held,
    )


@mutation("group.revoke_role")
async def revoke_role(
    session: Session, *, group_id: str, role_id: str, label: str | None = None
) -> Done:
    client = session.client
    message = f"Took the role {display(label, role_id)} from the group"
    return await settled(
        lambda: client.unassign_group_role(group_id, role_id),
        lambda: client.get_group_role(group_id, role_id),
        adds=False,
        done=lambda _r: Done(message, outcome="removed"),
    )
