"""Organisation members and project members (invites are in `invites.py`).

Guards checked before calling, each with its reason: the last organisation owner cannot be
demoted or removed; archived projects have no members to change; an accepted invite cannot be
deleted; a person must be an organisation member before joining a project (else: invite them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from orgtui.api.errors import NotFoundError
from orgtui.core.rules import last_owner_refusal
from orgtui.core.services._common import (
    apply,
    display,
    load_users,
    mutation,
    project_of,
    refuse,
    refuse_if_archived,
    remove_by_id,
    require_choice,
    update_org_list,
    update_project_list,
    upsert,
)
from orgtui.core.services.errors import InvalidInput
from orgtui.core.services.results import Done
from orgtui.core.snapshot import project_part
from orgtui.core.validation import validate_email

if TYPE_CHECKING:
    from orgtui.api.models import User
    from orgtui.core.session import Session

__all__ = [
    "ORG_ROLES",
    "PROJECT_ROLES",
    "add_project_member",
    "change_matrix",
    "remove_matrix",
    "remove_org_member",
    "remove_project_member",
    "set_org_role",
    "set_project_role",
]

ORG_ROLES = ("owner", "reader")
PROJECT_ROLES = ("member", "owner")


def _who(user: User) -> str:
    return display(user.name or user.email, user.id)


def _guard_last_owner(users: list[User], user: User, action_id: str) -> None:
    refuse(last_owner_refusal(action_id, users, user))


async def _org_user(session: Session, users: list[User], uid: str) -> User:
    for user in users:
        if user.id == uid:
            return user
    return await session.client.get_user(uid)


@mutation("org_member.role")
async def set_org_role(session: Session, *, user_id: str, role: str) -> Done:
    require_choice(role, ORG_ROLES, "Role")
    users = await load_users(session)
    user = await _org_user(session, users, user_id)
    if user.role == role:
        return Done(f"{_who(user)} is already {role}", outcome="unchanged", obj=user)
    _guard_last_owner(users, user, "org_member.role")
    updated = await session.client.update_user(user_id, role)
    update_org_list(session, "users", "users", lambda xs: upsert(xs, updated))
    return Done(f"{_who(updated)} is now {updated.role}", obj=updated)


@mutation("org_member.remove")
async def remove_org_member(session: Session, *, user_id: str) -> Done:
    """Remove someone from the organisation (and so from every project)."""
    users = await load_users(session)
    user = await _org_user(session, users, user_id)
    _guard_last_owner(users, user, "org_member.remove")
    await session.client.delete_user(user_id)
    snapshot = session.snapshot
    parts: list[str] = []
    if snapshot.users is not None:
        snapshot = snapshot.with_org(users=remove_by_id(snapshot.users, user_id))
        parts.append("users")
    for pid, view in snapshot.projects.items():
        members = view.get("users")
        if members is not None and any(u.id == user_id for u in members):
            snapshot = snapshot.with_project(pid, users=remove_by_id(members, user_id))
            parts.append(project_part(pid, "users"))
    apply(session, snapshot, parts)
    return Done(f"Removed {_who(user)} from the organisation")


# ---------------------------------------------------------------- project members


@mutation("project_member.add")
async def add_project_member(
    session: Session,
    *,
    project_id: str,
    role: str = "member",
    user_id: str | None = None,
    email: str | None = None,
) -> Done:
    """Add an organisation member to a project; a non-member gets an "invite first" outcome."""
    require_choice(role, PROJECT_ROLES, "Role")
    if not user_id and not email:
        raise InvalidInput("Give the person's email or user id")
    if email is not None:
        email, error = validate_email(email)
        if error or email is None:
            raise InvalidInput(error or "Email is empty")
    project = await project_of(session, project_id)
    refuse_if_archived(project, "adding a member")
    user = await _find_member(session, user_id=user_id, email=email)
    if user is None:
        who = email or user_id
        return Done(
            f"{display(who)} is not a member of the organisation: invite them first "
            "(the invite can grant this project)",
            outcome="not_a_member",
            suggested_action="invite.create",
        )
    view = session.snapshot.project(project_id)
    if view is not None and any(u.id == user.id for u in view.get("users") or ()):
        return Done(
            f"{_who(user)} is already in {display(project.name, project.id)}",
            outcome="already_member",
            suggested_action="project_member.role",
        )
    added = await session.client.add_project_user(project_id, role, user_id=user.id)
    update_project_list(session, project_id, "users", "users", lambda xs: upsert(xs, added))
    return Done(
        f"Added {_who(user)} to {display(project.name, project.id)} as {added.role}", obj=added
    )


async def _find_member(session: Session, *, user_id: str | None, email: str | None) -> User | None:
    """The org member by id or email: the snapshot first, then the API (it may be newer)."""
    for user in session.snapshot.users or ():
        if (user_id and user.id == user_id) or (
            email and user.email and user.email.lower() == email.lower()
        ):
            return user
    if user_id:
        try:
            return await session.client.get_user(user_id)
        except NotFoundError:
            return None
    assert email is not None
    async for user in session.client.iter_users(emails=[email]):
        if user.email and user.email.lower() == email.lower():
            return user
    return None


@mutation("project_member.role")
async def set_project_role(session: Session, *, project_id: str, user_id: str, role: str) -> Done:
    require_choice(role, PROJECT_ROLES, "Role")
    project = await project_of(session, project_id)
    refuse_if_archived(project, "changing a member's role")
    updated = await session.client.update_project_user(project_id, user_id, role)
    update_project_list(session, project_id, "users", "users", lambda xs: upsert(xs, updated))
    return Done(
        f"{display(updated.name or updated.email, updated.id)} is now {updated.role} "
        f"in {display(project.name, project.id)}",
        obj=updated,
    )


@mutation("project_member.remove")
async def remove_project_member(session: Session, *, project_id: str, user_id: str) -> Done:
    project = await project_of(session, project_id)
    refuse_if_archived(project, "removing a member")
    await session.client.delete_project_user(project_id, user_id)
    view = session.snapshot.project(project_id)
    name = next(
        (u.name or u.email for u in (view.get("users") if view else None) or () if u.id == user_id),
        None,
    )
    update_project_list(session, project_id, "users", "users", lambda xs: remove_by_id(xs, user_id))
    return Done(f"Removed {display(name, user_id)} from {display(project.name, project.id)}")


@mutation("matrix.change")
async def change_matrix(session: Session, *, project_id: str, user_id: str, role: str) -> Done:
    """One cell of the access matrix: set the role, adding the member if they are not in it."""
    require_choice(role, PROJECT_ROLES, "Role")
    project = await project_of(session, project_id)
    refuse_if_archived(project, "changing its members")
    view = session.snapshot.project(project_id)
    current = None
    members = view.get("users") if view is not None else None
    if members is not None:
        current = next((u for u in members if u.id == user_id), None)
    else:
        try:
            current = await session.client.get_project_user(project_id, user_id)
        except NotFoundError:
            current = None
    if current is None:
        return await add_project_member(session, project_id=project_id, role=role, user_id=user_id)
    if current.role == role:
        return Done("No change", outcome="unchanged", obj=current)
    return await set_project_role(session, project_id=project_id, user_id=user_id, role=role)


@mutation("matrix.remove")
async def remove_matrix(session: Session, *, project_id: str, user_id: str) -> Done:
    return await remove_project_member(session, project_id=project_id, user_id=user_id)
