"""Project access through RBAC: groups in a project (`/organization/projects/{id}/groups`) and
project role assignments of users and groups (`/projects/{id}/users|groups/{id}/roles`)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import rbac_data as rb
from orgtui.sandbox import render
from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.routes_groups import _assigned_or_404, assignment_event, group_roles
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import (
    field_str,
    json_body,
    ok,
    query_enum,
    require_active_project,
    require_project,
    sandbox_of,
)


def _project_group(store: Store, pid: str, gid: str) -> dict[str, Any]:
    row = store.one(
        "SELECT pg.project_id, pg.group_id, pg.created_at, g.name FROM project_groups pg"
        " JOIN groups g ON g.id = pg.group_id WHERE pg.project_id = ? AND pg.group_id = ?",
        (pid, gid),
    )
    if row is None:
        raise ApiProblem(
            404, f"No group '{gid}' in project '{pid}'.", param="group_id", code="not_found"
        )
    return _render_project_group(row)


def _render_project_group(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "project.group",
        "project_id": r["project_id"],
        "group_id": r["group_id"],
        "group_name": r["name"],
        "group_type": "group",
        "created_at": r["created_at"],
    }


def _role_id(body: dict[str, Any], name: str = "role_id") -> str:
    rid = field_str(body, name, required=True, non_empty=True)
    assert rid is not None
    return rid


def _grant_group(store: Store, actor: Any, project: dict[str, Any], gid: str, rid: str) -> bool:
    """Give a group a project role, adding the group to the project if it was not in it."""
    pid = project["id"]
    store.execute(
        "INSERT OR IGNORE INTO project_groups (project_id, group_id, created_at) VALUES (?,?,?)",
        (pid, gid, store.now()),
    )
    added = store.execute(
        "INSERT OR IGNORE INTO role_assignments (role_id, principal_type, principal_id,"
        " project_id, created_at) VALUES (?, 'group', ?, ?, ?)",
        (rid, gid, pid, store.now()),
    )
    if added:
        assignment_event(store, actor, True, rid, "group", gid, project)
    return bool(added)


# -- project groups -----------------------------------------------------------------------------


async def list_project_groups(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_project(store, pid)
    rows = store.query(
        "SELECT pg.project_id, pg.group_id, pg.created_at, g.name FROM project_groups pg"
        " JOIN groups g ON g.id = pg.group_id WHERE pg.project_id = ? ORDER BY pg.seq",
        (pid,),
    )
    items = [(r["group_id"], _render_project_group(r)) for r in rows]
    return ok(rb.next_page(request, items, default_limit=20, maximum=100))


async def add_project_group(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid = request.path_params["project_id"]
    project = require_active_project(store, pid, "adding groups")
    body = await json_body(request)
    gid = field_str(body, "group_id", required=True, non_empty=True)
    rid = _role_id(body, "role")
    assert gid is not None
    rb.require_group(store, gid)
    rb.require_role(store, rid, rb.PROJECT, pid)
    if store.scalar(
        "SELECT 1 FROM project_groups WHERE project_id = ? AND group_id = ?", (pid, gid)
    ):
        raise bad_request(
            f"Group '{gid}' is already in project '{pid}'.", "group_id", "already_member"
        )
    with store.tx():
        _grant_group(store, actor, project, gid, rid)
    return ok(_project_group(store, pid, gid))


async def get_project_group(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid, gid = request.path_params["project_id"], request.path_params["group_id"]
    require_project(store, pid)
    if query_enum(request, "group_type", ("group", "tenant_group"), "group") == "tenant_group":
        raise ApiProblem(
            404, f"No tenant group '{gid}' in project '{pid}'.", param="group_id", code="not_found"
        )
    return ok(_project_group(store, pid, gid))


async def remove_project_group(request: Request) -> JSONResponse:
    """The group leaves the project with every project role it held there."""
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid, gid = request.path_params["project_id"], request.path_params["group_id"]
    project = require_active_project(store, pid, "removing groups")
    _project_group(store, pid, gid)
    held = store.query(
        "SELECT role_id FROM role_assignments WHERE principal_type = 'group' AND"
        " principal_id = ? AND project_id = ?",
        (gid, pid),
    )
    with store.tx():
        store.execute(
            "DELETE FROM role_assignments WHERE principal_type = 'group' AND principal_id = ?"
            " AND project_id = ?",
            (gid, pid),
        )
        store.execute(
            "DELETE FROM project_groups WHERE project_id = ? AND group_id = ?", (pid, gid)
        )
        for r in held:
            assignment_event(store, actor, False, r["role_id"], "group", gid, project)
    return ok({"object": "project.group.deleted", "deleted": True})


# -- project role assignments of users ------------------------------------------------------


def _user_in(request: Request, *, write: bool) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    sb = sandbox_of(request)
    store = sb.store
    pid, uid = request.path_params["project_id"], request.path_params["user_id"]
    project = (
        require_active_project(store, pid, "changing roles")
        if write
        else require_project(store, pid)
    )
    return store, project, rb.require_member(store, uid)


async def list_project_user_roles(request: Request) -> JSONResponse:
    store, project, user = _user_in(request, write=False)
    items = [(r["id"], r) for r in rb.effective_user_roles(store, user, project["id"])]
    return ok(rb.next_page(request, items, default_limit=100, maximum=1000))


async def assign_project_user_role(request: Request) -> JSONResponse:
    actor = sandbox_of(request).check_auth(request)
    store, project, user = _user_in(request, write=True)
    pid, uid = project["id"], user["id"]
    rid = _role_id(await json_body(request))
    role = rb.require_role(store, rid, rb.PROJECT, pid)
    with store.tx():
        if role["predefined_role"]:
            # the project membership role (owner | member) is the predefined assignment
            current = store.scalar(
                "SELECT role FROM project_users WHERE project_id = ? AND user_id = ?", (pid, uid)
            )
            changed = current != role["name"]
            store.execute(
                "INSERT INTO project_users (project_id, user_id, role, added_at) VALUES"
                " (?,?,?,?) ON CONFLICT (project_id, user_id) DO UPDATE SET role = excluded.role",
                (pid, uid, role["name"], store.now()),
            )
        else:
            changed = bool(
                store.execute(
                    "INSERT OR IGNORE INTO role_assignments (role_id, principal_type,"
                    " principal_id, project_id, created_at) VALUES (?, 'user', ?, ?, ?)",
                    (rid, uid, pid, store.now()),
                )
            )
        if changed:
            assignment_event(store, actor, True, rid, "user", uid, project)
    fresh = rb.require_member(store, uid)
    return ok({"object": "user.role", "user": render.user(fresh), "role": rb.public_role(role)})


async def get_project_user_role(request: Request) -> JSONResponse:
    store, project, user = _user_in(request, write=False)
    roles = rb.effective_user_roles(store, user, project["id"])
    return ok(_assigned_or_404(roles, request.path_params["role_id"], f"user '{user['id']}'"))


async def unassign_project_user_role(request: Request) -> JSONResponse:
    """Unassigning the membership role (owner | member) removes the user from the project."""
    actor = sandbox_of(request).check_auth(request)
    store, project, user = _user_in(request, write=True)
    pid, uid, rid = project["id"], user["id"], request.path_params["role_id"]
    membership = store.scalar(
        "SELECT role FROM project_users WHERE project_id = ? AND user_id = ?", (pid, uid)
    )
    is_membership = membership is not None and rb.PROJECT_ROLE_IDS.get(membership) == rid
    direct = store.scalar(
        "SELECT 1 FROM role_assignments WHERE role_id = ? AND principal_type = 'user' AND"
        " principal_id = ? AND project_id = ?",
        (rid, uid, pid),
    )
    if not is_membership and not direct:
        raise ApiProblem(
            404,
            f"Role '{rid}' is not assigned to user '{uid}' in project '{pid}'.",
            param="role_id",
            code="not_found",
        )
    with store.tx():
        if is_membership:
            store.execute(
                "DELETE FROM project_users WHERE project_id = ? AND user_id = ?", (pid, uid)
            )
            store.execute(
                "UPDATE api_keys SET owner_project_access = 'inactive' WHERE project_id = ? AND"
                " owner_user_id = ? AND deleted_at IS NULL",
                (pid, uid),
            )
        else:
            store.execute(
                "DELETE FROM role_assignments WHERE role_id = ? AND principal_type = 'user' AND"
                " principal_id = ? AND project_id = ?",
                (rid, uid, pid),
            )
        assignment_event(store, actor, False, rid, "user", uid, project)
    return ok({"object": "user.role.deleted", "deleted": True})


# -- project role assignments of groups -----------------------------------------------------


def _group_in(request: Request, *, write: bool) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    store = sandbox_of(request).store
    pid, gid = request.path_params["project_id"], request.path_params["group_id"]
    project = (
        require_active_project(store, pid, "changing roles")
        if write
        else require_project(store, pid)
    )
    return store, project, rb.require_group(store, gid)


async def list_project_group_roles(request: Request) -> JSONResponse:
    store, project, grp = _group_in(request, write=False)
    items = [(r["id"], r) for r in group_roles(store, grp["id"], project["id"])]
    return ok(rb.next_page(request, items, default_limit=100, maximum=1000))


async def assign_project_group_role(request: Request) -> JSONResponse:
    actor = sandbox_of(request).check_auth(request)
    store, project, grp = _group_in(request, write=True)
    rid = _role_id(await json_body(request))
    role = rb.require_role(store, rid, rb.PROJECT, project["id"])
    with store.tx():
        _grant_group(store, actor, project, grp["id"], rid)
    return ok(
        {"object": "group.role", "group": rb.group_summary(grp), "role": rb.public_role(role)}
    )


async def get_project_group_role(request: Request) -> JSONResponse:
    store, project, grp = _group_in(request, write=False)
    roles = group_roles(store, grp["id"], project["id"])
    return ok(_assigned_or_404(roles, request.path_params["role_id"], f"group '{grp['id']}'"))


async def unassign_project_group_role(request: Request) -> JSONResponse:
    actor = sandbox_of(request).check_auth(request)
    store, project, grp = _group_in(request, write=True)
    pid, gid, rid = project["id"], grp["id"], request.path_params["role_id"]
    _assigned_or_404(group_roles(store, gid, pid), rid, f"group '{gid}'")
    with store.tx():
        store.execute(
            "DELETE FROM role_assignments WHERE role_id = ? AND principal_type = 'group' AND"
            " principal_id = ? AND project_id = ?",
            (rid, gid, pid),
        )
        assignment_event(store, actor, False, rid, "group", gid, project)
    return ok({"object": "group.role.deleted", "deleted": True})


PG = "/organization/projects/{project_id}/groups"
PU = "/projects/{project_id}/users/{user_id}/roles"
PGR = "/projects/{project_id}/groups/{group_id}/roles"
routes = [
    Route(PG, list_project_groups, methods=["GET"]),
    Route(PG, add_project_group, methods=["POST"]),
    Route(PG + "/{group_id}", get_project_group, methods=["GET"]),
    Route(PG + "/{group_id}", remove_project_group, methods=["DELETE"]),
    Route(PU, list_project_user_roles, methods=["GET"]),
    Route(PU, assign_project_user_role, methods=["POST"]),
    Route(PU + "/{role_id}", get_project_user_role, methods=["GET"]),
    Route(PU + "/{role_id}", unassign_project_user_role, methods=["DELETE"]),
    Route(PGR, list_project_group_roles, methods=["GET"]),
    Route(PGR, assign_project_group_role, methods=["POST"]),
    Route(PGR + "/{role_id}", get_project_group_role, methods=["GET"]),
    Route(PGR + "/{role_id}", unassign_project_group_role, methods=["DELETE"]),
]
