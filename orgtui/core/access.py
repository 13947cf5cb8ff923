"""Who can do what through role-based access control: groups, roles and their assignments.

`load_access(client, project_ids)` reads the RBAC side of an organisation (groups and their
members, org roles and the groups' org roles, and per project its roles and groups with the
project roles each group holds there). The rest is pure:

* `project_access(access, pid, members)`: a project's effective access, one `Grant` per
  (user, role, source): direct (the project membership) or "via group X";
* `owner_level(role, roles)`: whether a custom role grants something only the predefined
  owner role has (a `.write` the reader / member role lacks).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orgtui.api.models_rbac import Group, GroupMember, Role

__all__ = [
    "AccessData",
    "Grant",
    "GroupAccess",
    "ProjectAccess",
    "load_access",
    "owner_level",
    "project_access",
]


@dataclass(frozen=True)
class GroupAccess:
    group: Group
    members: tuple[GroupMember, ...]
    org_roles: tuple[Any, ...]  # AssignedRole


@dataclass(frozen=True)
class ProjectAccess:
    roles: tuple[Role, ...]  # predefined and custom roles of the project
    # group id -> the project roles (AssignedRole) the group holds in the project
    group_roles: Mapping[str, tuple[Any, ...]]
    # user id -> the project roles (AssignedRole) given to the user directly (custom ones)
    user_roles: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class AccessData:
    groups: Mapping[str, GroupAccess]
    org_roles: tuple[Role, ...]
    projects: Mapping[str, ProjectAccess]
    # user id -> org roles (AssignedRole) as the API lists them (with assignment_sources)
    user_org_roles: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)

    def group_name(self, gid: str) -> str:
        found = self.groups.get(gid)
        return found.group.name if found else gid

    def groups_of(self, uid: str) -> list[str]:
        return [gid for gid, g in self.groups.items() if any(m.id == uid for m in g.members)]


@dataclass(frozen=True)
class Grant:
    """One way a user reaches a project: a role, and where it comes from."""

    user_id: str
    role: str  # the role's name
    role_id: str
    group_id: str | None = None  # None: the user's own membership or assignment
    group_name: str | None = None

    @property
    def via(self) -> str:
        return f"via group {self.group_name}" if self.group_id else "direct"


async def _all(it: Any) -> list[Any]:
    return [x async for x in it]


async def load_access(
    client: Any, project_ids: Sequence[str], user_ids: Sequence[str] = ()
) -> AccessData:
    """Read the organisation's RBAC state through the client (a few requests per group and
    project; `user_ids` adds the org role assignments of those of them in a group that holds
    org roles)."""
    groups: dict[str, GroupAccess] = {}
    for group in await _all(client.iter_groups()):
        members = tuple(await _all(client.iter_group_users(group.id)))
        roles = tuple(await _all(client.iter_group_roles(group.id)))
        groups[group.id] = GroupAccess(group, members, roles)
    org_roles = tuple(await _all(client.iter_roles()))
    projects: dict[str, ProjectAccess] = {}
    for pid in project_ids:
        roles = tuple(await _all(client.iter_project_roles(pid)))
        in_project = await _all(client.iter_project_groups(pid))
        group_roles = {
            pg.group_id: tuple(await _all(client.iter_project_group_roles(pid, pg.group_id)))
            for pg in in_project
        }
        projects[pid] = ProjectAccess(roles, group_roles)
    # A user's own org roles matter only where a group of theirs holds org roles too (a
    # duplicate): asking for the others would cost a request per member for nothing.
    in_role_groups = {m.id for g in groups.values() if g.org_roles for m in g.members}
    user_org_roles = {
        uid: tuple(await _all(client.iter_user_roles(uid)))
        for uid in user_ids
        if uid in in_role_groups
    }
    return AccessData(groups, org_roles, projects, user_org_roles)


def project_access(
    access: AccessData, pid: str, members: Iterable[Any] | None
) -> dict[str, list[Grant]]:
    """user id -> every grant reaching project `pid`: direct membership (`members` are the
    project's `ProjectUser`s) and each role a group the user is in holds there."""
    out: dict[str, list[Grant]] = {}
    project = access.projects.get(pid)
    by_name = {r.name: r.id for r in (project.roles if project else ()) if r.predefined_role}
    for member in members or ():
        role_id = by_name.get(member.role, member.role)
        out.setdefault(member.id, []).append(Grant(member.id, member.role, role_id))
    if project is None:
        return out
    for gid, roles in project.group_roles.items():
        group = access.groups.get(gid)
        if group is None:
            continue
        for user in group.members:
            for role in roles:
                grant = Grant(user.id, role.name, role.id, gid, group.group.name)
                out.setdefault(user.id, []).append(grant)
    return out


def _owner_only(roles: Iterable[Any], resource_type: str) -> set[str]:
    predefined = [r for r in roles if r.predefined_role and r.resource_type == resource_type]
    owner = next((set(r.permissions) for r in predefined if r.name == "owner"), set())
    others: set[str] = set()
    for r in predefined:
        if r.name != "owner":
            others |= set(r.permissions)
    return owner - others


def owner_level(role: Any, roles: Iterable[Any]) -> list[str]:
    """The permissions of `role` that only the predefined owner role of its kind holds."""
    if role.predefined_role:
        return []
    special = _owner_only(roles, role.resource_type)
    return sorted(p for p in role.permissions if p in special)
