"""Health checks over role-based access (groups and roles); `run_access_checks` runs them.

They need the RBAC state (`orgtui.core.access.AccessData`) besides the snapshot, so they run
where that state is read (`orgtui check`). Interpretations:

* "owner-level permissions": a permission the predefined owner role holds and the other
  predefined roles of its kind (reader, member) do not (`access.owner_level`);
* a group is large when it has more than `max_group_members` members (default 5);
* "duplicates a group's": a custom role a user holds directly (org or project) that a group
  the user is in also holds at the same place;
* "only owners through one group": an active project with no direct owner whose owner role
  reaches people through exactly one group.
"""

from __future__ import annotations

from typing import Any

from orgtui.api.errors import one_line
from orgtui.core.access import AccessData, owner_level, project_access
from orgtui.core.health import Finding, ObjectRef, finding

__all__ = ["MAX_GROUP_MEMBERS", "run_access_checks"]

MAX_GROUP_MEMBERS = 5


def _name(text: str | None, fallback: str) -> str:
    return one_line(text, 60) if text else fallback


def _group_ref(access: AccessData, gid: str) -> ObjectRef:
    return ObjectRef("group", gid, _name(access.group_name(gid), gid))


def _roles_by_id(access: AccessData) -> dict[str, Any]:
    roles = {r.id: r for r in access.org_roles}
    for project in access.projects.values():
        roles.update({r.id: r for r in project.roles})
    return roles


def check_owner_level_groups(access: AccessData, max_members: int) -> list[Finding]:
    found = []
    every_role = _roles_by_id(access)
    held: list[tuple[str, Any, str | None]] = [
        (gid, role, None) for gid, g in access.groups.items() for role in g.org_roles
    ]
    held += [
        (gid, role, pid)
        for pid, project in access.projects.items()
        for gid, roles in project.group_roles.items()
        for role in roles
    ]
    for gid, role, pid in held:
        group = access.groups.get(gid)
        if group is None or len(group.members) <= max_members:
            continue
        known = every_role.get(role.id, role)
        kind = access.projects[pid].roles if pid else access.org_roles
        special = owner_level(known, kind)
        if not special:
            continue
        where = f" in project {pid}" if pid else ""
        found.append(
            finding(
                "access.owner_level_group_role",
                f'Role "{_name(role.name, role.id)}" gives {special[0]}'
                f"{' and more' if len(special) > 1 else ''} to group "
                f'"{_name(group.group.name, gid)}" ({len(group.members)} members){where}',
                [
                    _group_ref(access, gid),
                    ObjectRef("role", role.id, _name(role.name, role.id), pid),
                ],
            )
        )
    return found


def check_empty_groups(access: AccessData) -> list[Finding]:
    found = []
    for gid, group in access.groups.items():
        if group.members:
            continue
        held = len(group.org_roles) + sum(
            len(p.group_roles.get(gid, ())) for p in access.projects.values()
        )
        if held:
            found.append(
                finding(
                    "access.empty_group_with_roles",
                    f'Group "{_name(group.group.name, gid)}" has no members but holds '
                    f"{held} role{'s' * (held != 1)}",
                    [_group_ref(access, gid)],
                )
            )
    return found


def check_direct_duplicates(access: AccessData, users: dict[str, str]) -> list[Finding]:
    found = []
    for uid, roles in access.user_org_roles.items():
        for role in roles:
            sources = role.assignment_sources or []
            direct = any(s.principal_type == "user" for s in sources)
            via = [s.principal_id for s in sources if s.principal_type == "group"]
            if role.predefined_role or not direct or not via:
                continue
            found.append(
                finding(
                    "access.direct_duplicates_group",
                    f'{_name(users.get(uid), uid)} holds "{_name(role.name, role.id)}" directly'
                    f' and through group "{_name(access.group_name(via[0]), via[0])}"',
                    [ObjectRef("user", uid, users.get(uid)), _group_ref(access, via[0])],
                )
            )
    return found


def check_project_owners(access: AccessData, snapshot: Any) -> list[Finding]:
    found = []
    for pid, view in snapshot.projects.items():
        if view.project.archived or view.get("users") is None or pid not in access.projects:
            continue
        grants = project_access(access, pid, view.get("users"))
        owners = [g for gs in grants.values() for g in gs if g.role == "owner"]
        direct = [g for g in owners if g.group_id is None]
        groups = {g.group_id for g in owners if g.group_id}
        if owners and not direct and len(groups) == 1:
            gid = next(iter(groups))
            name = _name(view.project.name, pid)
            found.append(
                finding(
                    "access.project_owners_one_group",
                    f'Project "{name}" has owners only through group '
                    f'"{_name(access.group_name(gid), gid)}"',
                    [ObjectRef("project", pid, name, pid), _group_ref(access, gid)],
                )
            )
    return found


def run_access_checks(
    access: AccessData, snapshot: Any, *, max_group_members: int = MAX_GROUP_MEMBERS
) -> list[Finding]:
    users = {u.id: u.email or u.name or u.id for u in (snapshot.users or ())}
    found: list[Finding] = []
    found += check_owner_level_groups(access, max_group_members)
    found += check_empty_groups(access)
    found += check_direct_duplicates(access, users)
    found += check_project_owners(access, snapshot)
    return found


def merged(findings: list[Finding], more: list[Finding]) -> list[Finding]:
    """Both lists in `run_checks`' order: most severe first, then in check order."""
    from orgtui.core.health import CHECKS, SEVERITY_ORDER

    order = {spec.id: i for i, spec in enumerate(CHECKS)}
    rank = {sev: i for i, sev in enumerate(SEVERITY_ORDER)}
    return sorted([*findings, *more], key=lambda f: (rank[f.severity], order[f.id]))
