"""Custom roles of the organisation (`/organization/roles`) and of a project
(`/projects/{project_id}/roles`); predefined roles are listed and read, never changed."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import rbac_data as rb
from orgtui.sandbox.audit import record
from orgtui.sandbox.errors import bad_request
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import (
    field_str,
    field_str_list,
    json_body,
    ok,
    require_active_project,
    require_project,
    sandbox_of,
)


def _scope(request: Request, *, write: bool) -> tuple[str, str | None, dict[str, Any] | None]:
    """(resource_type, project_id, project row) of the request's path."""
    pid = request.path_params.get("project_id")
    if pid is None:
        return rb.ORG, None, None
    store = sandbox_of(request).store
    project = require_active_project(store, pid, "changing roles") if write else None
    if project is None:
        project = require_project(store, pid)
    return rb.PROJECT, pid, project


def _unique_name(
    store: Store, name: str, rtype: str, project_id: str | None, rid: str | None
) -> None:
    for role in rb.roles_of_scope(store, rtype, project_id):
        if role["name"].lower() == name.lower() and role["id"] != rid:
            raise bad_request(
                f"A role named '{name[:80]}' already exists.", "role_name", "duplicate"
            )


def _custom(store: Store, rid: str, rtype: str, project_id: str | None) -> dict[str, Any]:
    role = rb.require_role(store, rid, rtype, project_id)
    if role["predefined_role"]:
        raise bad_request(
            f"Role '{rid}' is predefined and cannot be changed.", "role_id", "predefined_role"
        )
    return role


def _resource_id(store: Store, project_id: str | None) -> str:
    return project_id or store.org_name()


async def list_roles(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    rtype, pid, _ = _scope(request, write=False)
    items = [(r["id"], rb.public_role(r)) for r in rb.roles_of_scope(store, rtype, pid)]
    return ok(rb.next_page(request, items, default_limit=1000, maximum=1000))


async def create_role(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    rtype, pid, project = _scope(request, write=True)
    body = await json_body(request)
    name = field_str(body, "role_name", required=True, non_empty=True)
    perms = field_str_list(body, "permissions", required=True)
    description = field_str(body, "description", max_len=1000)
    assert name is not None and perms is not None
    perms = rb.check_permissions(perms, rtype)
    _unique_name(store, name, rtype, pid, None)
    rid = store.new_id("role_", 24)
    now = store.now()
    with store.tx():
        store.execute(
            "INSERT INTO roles (id, name, description, permissions, resource_type, project_id,"
            " created_at, updated_at, created_by) VALUES (?,?,?,?,?,?,?,?,?)",
            (rid, name, description, json.dumps(perms), rtype, pid, now, now, actor.user_id),
        )
        details = {
            "id": rid,
            "role_name": name,
            "permissions": perms,
            "resource_type": rtype,
            "resource_id": _resource_id(store, pid),
        }
        record(store, actor, "role.created", rid, details, project=project)
    return ok(rb.public_role(rb.require_role(store, rid, rtype, pid)))


async def get_role(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    rtype, pid, _ = _scope(request, write=False)
    return ok(rb.public_role(rb.require_role(store, request.path_params["role_id"], rtype, pid)))


async def update_role(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    rtype, pid, project = _scope(request, write=True)
    rid = request.path_params["role_id"]
    body = await json_body(request)
    name = field_str(body, "role_name", non_empty=True)
    perms = field_str_list(body, "permissions")
    description = field_str(body, "description", max_len=1000)
    role = _custom(store, rid, rtype, pid)
    changes: dict[str, Any] = {}
    if perms is not None:
        perms = rb.check_permissions(perms, rtype)
        before = set(role["permissions"])
        changes["permissions_added"] = [p for p in perms if p not in before]
        changes["permissions_removed"] = [p for p in role["permissions"] if p not in perms]
    if name is not None:
        _unique_name(store, name, rtype, pid, rid)
        changes["role_name"] = name
    if description is not None:
        changes["description"] = description
    with store.tx():
        for col, value in (
            ("name", name),
            ("description", description),
            ("permissions", json.dumps(perms) if perms is not None else None),
        ):
            if value is not None:
                store.execute(f"UPDATE roles SET {col} = ? WHERE id = ?", (value, rid))
        store.execute("UPDATE roles SET updated_at = ? WHERE id = ?", (store.now(), rid))
        details = {"id": rid, "changes_requested": changes}
        record(store, actor, "role.updated", rid, details, project=project)
    return ok(rb.public_role(rb.require_role(store, rid, rtype, pid)))


async def delete_role(request: Request) -> JSONResponse:
    """A deleted role is unassigned from everyone who held it."""
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    rtype, pid, project = _scope(request, write=True)
    rid = request.path_params["role_id"]
    _custom(store, rid, rtype, pid)
    with store.tx():
        store.execute("DELETE FROM role_assignments WHERE role_id = ?", (rid,))
        store.execute("DELETE FROM roles WHERE id = ?", (rid,))
        record(store, actor, "role.deleted", rid, {"id": rid}, project=project)
    return ok({"object": "role.deleted", "id": rid, "deleted": True})


_OPS = (
    ("", "GET", list_roles),
    ("", "POST", create_role),
    ("/{role_id}", "GET", get_role),
    ("/{role_id}", "POST", update_role),
    ("/{role_id}", "DELETE", delete_role),
)
routes = [
    Route(base + suffix, handler, methods=[method])
    for base in ("/organization/roles", "/projects/{project_id}/roles")
    for suffix, method, handler in _OPS
]
