"""Role-based access control in the sandbox: tables, the permission vocabulary, the predefined
roles, rendering, style-B paging and the effective-access computation.

Permissions are named after the Admin API's own resources, as the spec's examples are
(`api.groups.read`, `api.organization.projects.api_keys.write`); the spec's own names are all
in the vocabulary and anything outside it is refused with a 400. Predefined roles are not rows:
they exist in every organisation and every project, and mirror the fixed roles the older
endpoints speak of (an org member's `role`, a project member's `role`).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import query_enum, query_int

Obj = dict[str, Any]
ORG = "api.organization"
PROJECT = "api.project"


def _rw(*areas: str) -> tuple[str, ...]:
    return tuple(f"{a}.{op}" for a in areas for op in ("read", "write"))


ORG_PERMISSIONS: tuple[str, ...] = (
    *_rw(
        "api.groups",
        "api.roles",
        "api.organization.users",
        "api.organization.invites",
        "api.organization.projects",
        "api.organization.admin_api_keys",
        "api.organization.billing",
    ),
    "api.organization.audit_logs.read",
    "api.organization.usage.read",
)
PROJECT_PERMISSIONS: tuple[str, ...] = (
    *_rw(
        "api.organization.projects.api_keys",
        "api.organization.projects.service_accounts",
        "api.organization.projects.users",
        "api.organization.projects.groups",
        "api.organization.projects.rate_limits",
        "api.organization.projects.billing",
    ),
    "api.model.request",
    "api.responses.write",
)
VOCABULARY = {ORG: ORG_PERMISSIONS, PROJECT: PROJECT_PERMISSIONS}

_MEMBER = (
    "api.organization.projects.api_keys.read",
    "api.organization.projects.api_keys.write",
    "api.organization.projects.service_accounts.read",
    "api.organization.projects.users.read",
    "api.organization.projects.groups.read",
    "api.organization.projects.rate_limits.read",
    "api.model.request",
    "api.responses.write",
)


def _predefined(rid: str, name: str, rtype: str, perms: tuple[str, ...], desc: str) -> Obj:
    return {
        "object": "role",
        "id": rid,
        "name": name,
        "description": desc,
        "permissions": list(perms),
        "resource_type": rtype,
        "predefined_role": True,
    }


PREDEFINED: dict[str, Obj] = {
    r["id"]: r
    for r in (
        _predefined("role_org_owner", "owner", ORG, ORG_PERMISSIONS, "Full control of the org"),
        _predefined(
            "role_org_reader",
            "reader",
            ORG,
            tuple(p for p in ORG_PERMISSIONS if p.endswith(".read")),
            "Reads everything in the organization",
        ),
        _predefined(
            "role_project_owner", "owner", PROJECT, PROJECT_PERMISSIONS, "Full control of a project"
        ),
        _predefined("role_project_member", "member", PROJECT, _MEMBER, "Uses a project"),
    )
}
# The older endpoints' fixed role names and the predefined role that stands for each.
ORG_ROLE_IDS = {"owner": "role_org_owner", "reader": "role_org_reader"}
PROJECT_ROLE_IDS = {"owner": "role_project_owner", "member": "role_project_member"}

RBAC_SQL = """
CREATE TABLE IF NOT EXISTS groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    is_scim_managed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS group_users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    UNIQUE (group_id, user_id)
);
CREATE TABLE IF NOT EXISTS roles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL,
    description TEXT,
    permissions TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    project_id TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    created_by TEXT
);
CREATE TABLE IF NOT EXISTS role_assignments (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    role_id TEXT NOT NULL,
    principal_type TEXT NOT NULL,
    principal_id TEXT NOT NULL,
    project_id TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (role_id, principal_type, principal_id, project_id)
);
CREATE TABLE IF NOT EXISTS project_groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL,
    group_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (project_id, group_id)
);
"""


def ensure_tables(store: Store) -> None:
    with store.lock:
        store.conn.executescript(RBAC_SQL)


# -- lookups ------------------------------------------------------------------------------------


def require_group(store: Store, gid: str) -> Obj:
    row = store.one("SELECT * FROM groups WHERE id = ?", (gid,))
    if row is None:
        raise ApiProblem(
            404, f"No group found with id '{gid}'.", param="group_id", code="not_found"
        )
    return row


def require_member(store: Store, uid: str) -> Obj:
    row = store.get_user(uid)
    if row is None:
        raise ApiProblem(404, f"No user found with id '{uid}'.", param="user_id", code="not_found")
    return row


def role_row(r: Obj) -> Obj:
    return {
        "object": "role",
        "id": r["id"],
        "name": r["name"],
        "description": r["description"],
        "permissions": json.loads(r["permissions"]),
        "resource_type": r["resource_type"],
        "predefined_role": False,
        "_row": r,
    }


def find_role(store: Store, rid: str, rtype: str, project_id: str | None) -> Obj | None:
    """A role usable at this scope: predefined of the type, or custom of the org / project."""
    if rid in PREDEFINED:
        role = PREDEFINED[rid]
        return role if role["resource_type"] == rtype else None
    row = store.one("SELECT * FROM roles WHERE id = ?", (rid,))
    if row is None or row["resource_type"] != rtype or row["project_id"] != project_id:
        return None
    return role_row(row)


def require_role(store: Store, rid: str, rtype: str, project_id: str | None) -> Obj:
    role = find_role(store, rid, rtype, project_id)
    if role is None:
        where = f"project '{project_id}'" if project_id else "the organization"
        raise ApiProblem(
            404, f"No role '{rid}' found in {where}.", param="role_id", code="not_found"
        )
    return role


def roles_of_scope(store: Store, rtype: str, project_id: str | None) -> list[Obj]:
    custom = store.query(
        "SELECT * FROM roles WHERE resource_type = ? AND project_id IS ? ORDER BY seq",
        (rtype, project_id),
    )
    predefined = [r for r in PREDEFINED.values() if r["resource_type"] == rtype]
    return [*predefined, *(role_row(r) for r in custom)]


def check_permissions(perms: list[str], rtype: str) -> list[str]:
    allowed = VOCABULARY[rtype]
    unknown = [p for p in perms if p not in allowed]
    if unknown:
        raise bad_request(
            f"Unknown permission '{unknown[0][:120]}' for a role on {rtype}.",
            "permissions",
            "invalid_permission",
        )
    return list(dict.fromkeys(perms))


# -- rendering ----------------------------------------------------------------------------------


def public_role(role: Obj) -> Obj:
    return {k: v for k, v in role.items() if not k.startswith("_")}


def assigned(role: Obj, sources: list[tuple[str, str]]) -> Obj:
    """`AssignedRoleDetails`; `sources` are the (principal_type, principal_id) it comes from."""
    row = role.get("_row") or {}
    return {
        "id": role["id"],
        "name": role["name"],
        "permissions": role["permissions"],
        "resource_type": role["resource_type"],
        "predefined_role": role["predefined_role"],
        "description": role["description"],
        "created_at": row.get("created_at"),
        "updated_at": row.get("updated_at"),
        "created_by": row.get("created_by"),
        "created_by_user_obj": None,
        "metadata": {},
        "assignment_sources": [{"principal_id": i, "principal_type": t} for t, i in sources],
    }


def group(r: Obj, *, with_type: bool = True) -> Obj:
    out: Obj = {
        "id": r["id"],
        "name": r["name"],
        "created_at": r["created_at"],
        "is_scim_managed": bool(r["is_scim_managed"]),
    }
    if with_type:
        out["group_type"] = "group"
    return out


def group_summary(r: Obj) -> Obj:
    return {
        "object": "group",
        "id": r["id"],
        "name": r["name"],
        "created_at": r["created_at"],
        "scim_managed": bool(r["is_scim_managed"]),
    }


# -- effective access ---------------------------------------------------------------------------


def _merge(
    found: dict[str, tuple[Obj, list[tuple[str, str]]]], role: Obj, src: tuple[str, str]
) -> None:
    role_, sources = found.setdefault(role["id"], (role, []))
    if src not in sources:
        sources.append(src)


def principal_roles(
    store: Store, ptype: str, pid_: str, rtype: str, project_id: str | None
) -> list[tuple[Obj, str]]:
    """The roles assigned straight to one principal at a scope, with when they were given."""
    rows = store.query(
        "SELECT role_id, created_at FROM role_assignments WHERE principal_type = ? AND"
        " principal_id = ? AND project_id = ? ORDER BY seq",
        (ptype, pid_, project_id or ""),
    )
    out = []
    for r in rows:
        role = find_role(store, r["role_id"], rtype, project_id)
        if role is not None:
            out.append((role, r["role_id"]))
    return out


def user_groups(store: Store, uid: str) -> list[str]:
    rows = store.query("SELECT group_id FROM group_users WHERE user_id = ? ORDER BY seq", (uid,))
    return [r["group_id"] for r in rows]


def effective_user_roles(store: Store, user: Obj, project_id: str | None) -> list[Obj]:
    """Everything a user holds at a scope: the fixed role (org role, or project membership),
    direct assignments, and every assignment of every group they are in, each with its sources."""
    found: dict[str, tuple[Obj, list[tuple[str, str]]]] = {}
    uid = user["id"]
    rtype = PROJECT if project_id else ORG
    if project_id is None:
        _merge(found, PREDEFINED[ORG_ROLE_IDS.get(user["role"], "role_org_reader")], ("user", uid))
    else:
        membership = store.one(
            "SELECT role FROM project_users WHERE project_id = ? AND user_id = ?",
            (project_id, uid),
        )
        if membership is not None:
            rid = PROJECT_ROLE_IDS.get(membership["role"], "role_project_member")
            _merge(found, PREDEFINED[rid], ("user", uid))
    for role, _ in principal_roles(store, "user", uid, rtype, project_id):
        _merge(found, role, ("user", uid))
    for gid in user_groups(store, uid):
        for role, _ in principal_roles(store, "group", gid, rtype, project_id):
            _merge(found, role, ("group", gid))
    return [assigned(role, sources) for role, sources in found.values()]


# -- style-B paging -----------------------------------------------------------------------------


def next_page(
    request: Request,
    items: list[tuple[str, Obj]],
    *,
    default_limit: int,
    maximum: int,
    default_order: str = "asc",
) -> Obj:
    """One page of `(cursor, object)` pairs; `next` is the last cursor, passed back as `after`."""
    limit = query_int(request, "limit", default=default_limit, minimum=0, maximum=maximum)
    assert limit is not None
    order = query_enum(request, "order", ("asc", "desc"), default_order)
    if order == "desc":
        items = items[::-1]
    after = request.query_params.get("after")
    if after:
        keys = [k for k, _ in items]
        if after not in keys:
            raise bad_request(f"Invalid 'after' cursor: '{after[:80]}'.", "after")
        items = items[keys.index(after) + 1 :]
    page = items[:limit]
    has_more = len(items) > limit
    return {
        "object": "list",
        "data": [obj for _, obj in page],
        "has_more": has_more,
        "next": page[-1][0] if has_more and page else None,
    }
