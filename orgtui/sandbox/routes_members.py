"""Project users and organisation users."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import render
from orgtui.sandbox.audit import record
from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.rbac_data import ORG, require_role
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import (
    field_enum,
    field_str,
    json_body,
    list_body,
    ok,
    page_rows,
    query_limit,
    query_list,
    require_active_project,
    sandbox_of,
)

PROJECT_ROLES = ("owner", "member")
ORG_ROLES = ("owner", "reader")

_PU_SELECT = "pu.seq, pu.user_id, pu.role, pu.added_at, u.name, u.email"
_PU_FROM = "project_users pu JOIN users u ON u.id = pu.user_id"


def _project_user(store: Store, pid: str, uid: str) -> dict[str, Any]:
    row = store.one(
        f"SELECT {_PU_SELECT} FROM {_PU_FROM} WHERE pu.project_id = ? "
        "AND pu.user_id = ? AND u.deleted_at IS NULL",
        (pid, uid),
    )
    if row is None:
        raise ApiProblem(
            404, f"No user '{uid}' in project '{pid}'.", param="user_id", code="not_found"
        )
    return row


# -- project users ----------------------------------------------------------------------------


async def list_project_users(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_active_project(store, pid, "listing users")
    rows, more = page_rows(
        store,
        _PU_FROM,
        "pu.project_id = ? AND u.deleted_at IS NULL",
        (pid,),
        limit=query_limit(request),
        after=request.query_params.get("after"),
        select=_PU_SELECT,
        seq_col="pu.seq",
        cursor_col="user_id",
        cursor_where="project_id = ?",
        cursor_params=(pid,),
        cursor_table="project_users",
    )
    return ok(list_body([render.project_user(r) for r in rows], more))


async def add_project_user(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid = request.path_params["project_id"]
    project = require_active_project(store, pid, "adding users")
    body = await json_body(request)
    role = field_enum(body, "role", PROJECT_ROLES, required=True)
    uid = field_str(body, "user_id")
    email = field_str(body, "email")
    if uid is None and email is None:
        raise bad_request("Either 'user_id' or 'email' is required.", "user_id")
    user = store.get_user(uid) if uid is not None else store.user_by_email(email or "")
    if user is None:
        who = uid if uid is not None else email
        raise bad_request(
            f"User '{who}' is not a member of the organization. Invite them to the "
            "organization first.",
            "user_id" if uid is not None else "email",
            "user_not_in_org",
        )
    if store.scalar(
        "SELECT 1 FROM project_users WHERE project_id = ? AND user_id = ?", (pid, user["id"])
    ):
        raise bad_request(
            f"User '{user['id']}' is already a member of project '{pid}'.",
            "user_id",
            "already_member",
        )
    with store.tx():
        store.execute(
            "INSERT INTO project_users (project_id, user_id, role, added_at) VALUES (?,?,?,?)",
            (pid, user["id"], role, store.now()),
        )
        # Keys the user kept from an earlier membership work again.
        store.execute(
            "UPDATE api_keys SET owner_project_access = 'active' WHERE project_id = ? AND"
            " owner_user_id = ? AND deleted_at IS NULL",
            (pid, user["id"]),
        )
        record(
            store,
            actor,
            "user.added",
            user["id"],
            {"id": user["id"], "data": {"role": role}},
            project=project,
        )
    return ok(render.project_user(_project_user(store, pid, user["id"])))


async def get_project_user(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid, uid = request.path_params["project_id"], request.path_params["user_id"]
    require_active_project(store, pid, "reading users")
    return ok(render.project_user(_project_user(store, pid, uid)))


async def modify_project_user(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid, uid = request.path_params["project_id"], request.path_params["user_id"]
    project = require_active_project(store, pid, "modifying users")
    body = await json_body(request)
    role = field_enum(body, "role", PROJECT_ROLES, required=True)
    _project_user(store, pid, uid)
    with store.tx():
        store.execute(
            "UPDATE project_users SET role = ? WHERE project_id = ? AND user_id = ?",
            (role, pid, uid),
        )
        record(
            store,
            actor,
            "user.updated",
            uid,
            {"id": uid, "changes_requested": {"role": role}},
            project=project,
        )
    return ok(render.project_user(_project_user(store, pid, uid)))


async def delete_project_user(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid, uid = request.path_params["project_id"], request.path_params["user_id"]
    project = require_active_project(store, pid, "removing users")
    _project_user(store, pid, uid)
    with store.tx():
        store.execute("DELETE FROM project_users WHERE project_id = ? AND user_id = ?", (pid, uid))
        # What owner_project_access means: the key survives, its owner lost access.
        store.execute(
            "UPDATE api_keys SET owner_project_access = 'inactive' WHERE project_id = ? AND"
            " owner_user_id = ? AND deleted_at IS NULL",
            (pid, uid),
        )
        record(store, actor, "user.deleted", uid, {"id": uid}, project=project)
    return ok({"object": "organization.project.user.deleted", "id": uid, "deleted": True})


# -- organisation users -----------------------------------------------------------------------


def _org_user(store: Store, uid: str) -> dict[str, Any]:
    row = store.get_user(uid)
    if row is None:
        raise ApiProblem(404, f"No user found with id '{uid}'.", param="user_id", code="not_found")
    return row


def _render_users(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    memberships = render.user_projects(store, [r["id"] for r in rows])
    return [render.user(r, memberships[r["id"]]) for r in rows]


async def list_users(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    limit = query_limit(request)
    emails = query_list(request, "emails")
    where, params = "deleted_at IS NULL", []
    if emails:
        where += f" AND lower(email) IN ({','.join('?' * len(emails))})"
        params = [e.lower() for e in emails]
    rows, more = page_rows(
        store, "users", where, params, limit=limit, after=request.query_params.get("after")
    )
    return ok(list_body(_render_users(store, rows), more))


async def get_user(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    row = _org_user(store, request.path_params["user_id"])
    return ok(_render_users(store, [row])[0])


def _other_owners(store: Store, uid: str) -> int:
    return int(
        store.scalar(
            "SELECT count(*) FROM users WHERE role = 'owner' AND deleted_at IS NULL AND id != ?",
            (uid,),
        )
    )


async def modify_user(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    uid = request.path_params["user_id"]
    body = await json_body(request)
    role = field_enum(body, "role", ORG_ROLES)
    role_id = field_str(body, "role_id")
    technical_level = field_str(body, "technical_level")
    persona = field_str(body, "developer_persona")
    row = _org_user(store, uid)
    custom_role: str | None = None
    if role_id is not None:
        given = require_role(store, role_id, ORG, None)
        if given["predefined_role"]:
            if role is not None and role != given["name"]:
                raise bad_request("'role' and 'role_id' name different roles.", "role_id")
            role = given["name"]
        else:
            custom_role = role_id
    if role == "reader" and row["role"] == "owner" and _other_owners(store, uid) == 0:
        raise bad_request("The organization must keep at least one owner.", "role", "last_owner")
    changes: dict[str, Any] = {}
    with store.tx():
        for col, value in (
            ("role", role),
            ("technical_level", technical_level),
            ("developer_persona", persona),
        ):
            if value is not None:
                store.execute(f"UPDATE users SET {col} = ? WHERE id = ?", (value, uid))
                changes[col] = value
        if custom_role is not None and store.execute(
            "INSERT OR IGNORE INTO role_assignments (role_id, principal_type, principal_id,"
            " project_id, created_at) VALUES (?, 'user', ?, '', ?)",
            (custom_role, uid, store.now()),
        ):
            changes["role_id"] = custom_role
        record(store, actor, "user.updated", uid, {"id": uid, "changes_requested": changes})
    return ok(_render_users(store, [_org_user(store, uid)])[0])


async def delete_user(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    uid = request.path_params["user_id"]
    row = _org_user(store, uid)
    if row["role"] == "owner" and _other_owners(store, uid) == 0:
        raise bad_request("The organization must keep at least one owner.", "user_id", "last_owner")
    with store.tx():
        store.execute("UPDATE users SET deleted_at = ? WHERE id = ?", (store.now(), uid))
        store.execute("DELETE FROM project_users WHERE user_id = ?", (uid,))
        store.execute(
            "UPDATE api_keys SET owner_project_access = 'inactive' WHERE owner_user_id = ?"
            " AND deleted_at IS NULL",
            (uid,),
        )
        record(store, actor, "user.deleted", uid, {"id": uid})
    return ok({"object": "organization.user.deleted", "id": uid, "deleted": True})


PU = "/organization/projects/{project_id}/users"
routes = [
    Route(PU, list_project_users, methods=["GET"]),
    Route(PU, add_project_user, methods=["POST"]),
    Route(PU + "/{user_id}", get_project_user, methods=["GET"]),
    Route(PU + "/{user_id}", modify_project_user, methods=["POST"]),
    Route(PU + "/{user_id}", delete_project_user, methods=["DELETE"]),
    Route("/organization/users", list_users, methods=["GET"]),
    Route("/organization/users/{user_id}", get_user, methods=["GET"]),
    Route("/organization/users/{user_id}", modify_user, methods=["POST"]),
    Route("/organization/users/{user_id}", delete_user, methods=["DELETE"]),
]
