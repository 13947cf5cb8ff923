"""Role assignments of users (organisation and project) and the groups of a project.

* `user_role.assign` / `user_role.revoke`: a custom organisation role given to (taken from) one
  member directly; the predefined owner/reader role is the member's org role (`org_member.role`);
* `project_user_role.assign` / `.revoke`: a custom project role for one project member (the
  predefined owner/member roles are the membership itself: `project_member.*`);
* `project_group.add` / `.remove`: a group joins a project with a first project role, or leaves
  it with every role it held there;
* `project_group.grant_role` / `.revoke_role`: further project roles of a group in a project.

Each change whose answer is lost is settled by reading that one assignment back (`settle.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgtui.core.services._common import display, mutation, project_of, refuse_if_archived
from orgtui.core.services.errors import ServiceRefusal
from orgtui.core.services.results import Done
from orgtui.core.services.settle import settled

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = [
    "add_project_group",
    "assign_project_user_role",
    "assign_user_role",
    "direct_roles",
    "grant_project_group_role",
    "list_groups",
    "load_project_groups",
    "remove_project_group",
    "revoke_project_group_role",
    "unassign_project_user_role",
    "unassign_user_role",
]


def _custom_only(role: Any, where: str) -> None:
    if getattr(role, "predefined_role", False):
        raise ServiceRefusal(
            f"{display(role.name)} is the {where} itself: change it with Change role (e)"
        )


async def _writable(session: Session, project_id: str) -> None:
    refuse_if_archived(await project_of(session, project_id), "changing its access")


def _removed(message: str) -> Any:
    return lambda _result: Done(message, outcome="removed")


# -- organisation roles of one member ----------------------------------------------------------


@mutation("user_role.assign")
async def assign_user_role(
    session: Session, *, user_id: str, role: Any, label: str | None = None
) -> Done:
    _custom_only(role, "member's organisation role")
    client = session.client
    who = display(label, user_id)
    return await settled(
        lambda: client.assign_user_role(user_id, role.id),
        lambda: client.get_user_role(user_id, role.id),
        adds=True,
        done=lambda _r: Done(f"{who} now holds the role {display(role.name)}"),
    )


@mutation("user_role.revoke")
async def unassign_user_role(
    session: Session, *, user_id: str, role: Any, label: str | None = None
) -> Done:
    _custom_only(role, "member's organisation role")
    client = session.client
    return await settled(
        lambda: client.unassign_user_role(user_id, role.id),
        lambda: client.get_user_role(user_id, role.id),
        adds=False,
        done=_removed(f"Took the role {display(role.name)} from {display(label, user_id)}"),
    )


# -- project roles of one member ----------------------------------------------------------------


@mutation("project_user_role.assign")
async def assign_project_user_role(
    session: Session, *, project_id: str, user_id: str, role: Any, label: str | None = None
) -> Done:
    await _writable(session, project_id)
    _custom_only(role, "project membership")
    client = session.client
    who = display(label, user_id)
    return await settled(
        lambda: client.assign_project_user_role(project_id, user_id, role.id),
        lambda: client.get_project_user_role(project_id, user_id, role.id),
        adds=True,
        done=lambda _r: Done(f"{who} now holds the project role {display(role.name)}"),
    )


@mutation("project_user_role.revoke")
async def unassign_project_user_role(
    session: Session, *, project_id: str, user_id: str, role: Any, label: str | None = None
) -> Done:
    await _writable(session, project_id)
    _custom_only(role, "project membership")
    client = session.client
    return await settled(
        lambda: client.unassign_project_user_role(project_id, user_id, role.id),
        lambda: client.get_project_user_role(project_id, user_id, role.id),
        adds=False,
        done=_removed(f"Took the project role {display(role.name)} from {display(label, user_id)}"),
    )


async def direct_roles(session: Session, user_id: str, project_id: str | None = None) -> list[Any]:
    """The custom roles given to the member directly, in the organisation or in one project
    (the API lists every role the member holds there, each with its sources)."""
    client = session.client
    held = (
        client.iter_project_user_roles(project_id, user_id)
        if project_id
        else client.iter_user_roles(user_id)
    )
    return [
        role
        async for role in held
        if not role.predefined_role
        and any(s.principal_type == "user" for s in role.assignment_sources or ())
    ]


async def list_groups(session: Session) -> list[Any]:
    return [g async for g in session.client.iter_groups()]


# -- groups of a project ------------------------------------------------------------------------


async def load_project_groups(session: Session, project_id: str) -> list[tuple[Any, list[Any]]]:
    """The groups in a project, each with the project roles it holds there (API order)."""
    client = session.client
    out = []
    async for pg in client.iter_project_groups(project_id):
        roles = [r async for r in client.iter_project_group_roles(project_id, pg.group_id)]
        out.append((pg, roles))
    return out


@mutation("project_group.add")
async def add_project_group(
    session: Session, *, project_id: str, group_id: str, role: Any, label: str | None = None
) -> Done:
    await _writable(session, project_id)
    client = session.client
    return await settled(
        lambda: client.add_project_group(project_id, group_id, role.id),
        lambda: client.get_project_group(project_id, group_id),
        adds=True,
        done=lambda pg: Done(
            f"Added {display(getattr(pg, 'group_name', None) or label, group_id)}"
            f" to the project as {display(role.name)}",
            obj=pg,
        ),
    )


@mutation("project_group.remove")
async def remove_project_group(
    session: Session, *, project_id: str, group_id: str, label: str | None = None
) -> Done:
    await _writable(session, project_id)
    client = session.client
    return await settled(
        lambda: client.remove_project_group(project_id, group_id),
        lambda: client.get_project_group(project_id, group_id),
        adds=False,
        done=_removed(f"Removed {display(label, group_id)} from the project"),
    )


@mutation("project_group.grant_role")
async def grant_project_group_role(
    session: Session, *, project_id: str, group_id: str, role: Any, label: str | None = None
) -> Done:
    await _writable(session, project_id)
    client = session.client
    return await settled(
        lambda: client.assign_project_group_role(project_id, group_id, role.id),
        lambda: client.get_project_group_role(project_id, group_id, role.id),
        adds=True,
        done=lambda _r: Done(
            f"{display(label, group_id)} now holds the project role {display(role.name)}"
        ),
    )


@mutation("project_group.revoke_role")
async def revoke_project_group_role(
    session: Session, *, project_id: str, group_id: str, role: Any, label: str | None = None
) -> Done:
    await _writable(session, project_id)
    client = session.client
    return await settled(
        lambda: client.unassign_project_group_role(project_id, group_id, role.id),
        lambda: client.get_project_group_role(project_id, group_id, role.id),
        adds=False,
        done=_removed(
            f"Took the project role {display(role.name)} from {display(label, group_id)}"
        ),
    )
