"""Everything one member, or one group, can do, and why: the "what they can do" view.

`explain_member(session, uid)` asks the API for the member's effective organisation roles and,
in each active project, their effective project roles; the API lists each role with its
assignment sources (the user, or a group), which become the reasons: "direct", "membership"
(the predefined project role of a project member) or "via group X".

`explain_group(session, gid)` reads the group itself again (it may have been renamed or
deleted since the list was loaded), its members, its organisation roles and, per active
project, whether it is in the project (`retrieve-project-group`, a 404 meaning no) and the
project roles it holds there.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from orgtui.api.errors import ApiError
from orgtui.core.services.settle import present

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = ["Explanation", "Reason", "explain_group", "explain_member"]

ORGANISATION = "Organisation"


@dataclass(frozen=True)
class Reason:
    """One role held at one place (the organisation or a project), and where it comes from."""

    where: str  # ORGANISATION or the project's name
    role: str
    sources: tuple[str, ...]  # "direct", "membership", "org role", "via group X"
    project_id: str | None = None
    custom: bool = False
    permissions: int = 0


@dataclass
class Explanation:
    subject: str
    kind: str  # "member" | "group"
    reasons: list[Reason] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)  # a member's groups; a group's members
    unread: list[str] = field(default_factory=list)  # projects that could not be read

    @property
    def projects(self) -> list[str]:
        return list(dict.fromkeys(r.where for r in self.reasons if r.project_id))


def _active(session: Session) -> list[tuple[str, str]]:
    return [
        (pid, view.project.name or pid)
        for pid, view in session.snapshot.projects.items()
        if not view.project.archived
    ]


def _sources(role: Any, uid: str, names: dict[str, str], project: bool) -> tuple[str, ...]:
    out = []
    for src in role.assignment_sources or ():
        if src.principal_type == "group":
            out.append(f"via group {names.get(src.principal_id, src.principal_id)}")
        elif role.predefined_role:
            out.append("membership" if project else "org role")
        else:
            out.append("direct")
    return tuple(dict.fromkeys(out)) or ("direct",)


def _reason(role: Any, where: str, sources: tuple[str, ...], pid: str | None = None) -> Reason:
    return Reason(
        where,
        role.name,
        sources,
        pid,
        custom=not role.predefined_role,
        permissions=len(role.permissions or ()),
    )


async def explain_member(session: Session, user_id: str, label: str | None = None) -> Explanation:
    client = session.client
    names: dict[str, str] = {}
    mine: list[str] = []
    async for group in client.iter_groups():
        names[group.id] = group.name
    for gid, name in names.items():
        if await present(functools.partial(client.get_group_user, gid, user_id)) is not None:
            mine.append(name)
    out = Explanation(label or user_id, "member", groups=mine)
    async for role in client.iter_user_roles(user_id):
        out.reasons.append(_reason(role, ORGANISATION, _sources(role, user_id, names, False)))
    for pid, pname in _active(session):
        try:
            roles = [r async for r in client.iter_project_user_roles(pid, user_id)]
        except ApiError:
            out.unread.append(pname)
            continue
        for role in roles:
            out.reasons.append(_reason(role, pname, _sources(role, user_id, names, True), pid))
    return out


async def explain_group(session: Session, group_id: str) -> Explanation:
    client = session.client
    group = await client.get_group(group_id)
    members = [m.name or m.email or m.id async for m in client.iter_group_users(group_id)]
    out = Explanation(group.name, "group", groups=members)
    given = ("given to the group",)
    async for role in client.iter_group_roles(group_id):
        out.reasons.append(_reason(role, ORGANISATION, given))
    for pid, pname in _active(session):
        try:
            if await present(functools.partial(client.get_project_group, pid, group_id)) is None:
                continue
            roles = [r async for r in client.iter_project_group_roles(pid, group_id)]
        except ApiError:
            out.unread.append(pname)
            continue
        for role in roles:
            out.reasons.append(_reason(role, pname, given, pid))
    return out
