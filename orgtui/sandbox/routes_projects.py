"""Projects (list/create/retrieve/modify/archive) and project rate limits."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import render
from orgtui.sandbox.audit import record
from orgtui.sandbox.catalog import MODEL_RATE_LIMITS, RATE_LIMIT_INSERT, rate_limit_rows
from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.web import (
    field_enum,
    field_int,
    field_str,
    json_body,
    list_body,
    ok,
    page_rows,
    query_bool,
    query_limit,
    require_active_project,
    require_project,
    sandbox_of,
)

RESIDENCIES = (
    "GLOBAL",
    "US_STORAGE_PROCESSING",
    "EU_STORAGE_PROCESSING",
    "JP_STORAGE",
    "KR_STORAGE",
    "CA_STORAGE",
    "SG_STORAGE",
    "IN_STORAGE",
    "AU_STORAGE",
    "GB_STORAGE",
    "AE_STORAGE",
    "AE_STORAGE_PROCESSING",
)


async def list_projects(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    limit = query_limit(request)
    include_archived = query_bool(request, "include_archived")
    where = "1=1" if include_archived else "archived_at IS NULL"
    rows, more = page_rows(
        store, "projects", where, (), limit=limit, after=request.query_params.get("after")
    )
    return ok(list_body([render.project(r) for r in rows], more))


async def create_project(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    body = await json_body(request)
    name = field_str(body, "name", required=True, nullable=False, non_empty=True)
    residency = field_enum(body, "residency", RESIDENCIES) or "GLOBAL"
    external_key_id = field_str(body, "external_key_id")
    store = sb.store
    pid = store.new_id("proj_", 24)
    now = store.now()
    with store.tx() as c:
        c.execute(
            "INSERT INTO projects (id, name, created_at, external_key_id, residency)"
            " VALUES (?, ?, ?, ?, ?)",
            (pid, name, now, external_key_id, residency),
        )
        c.executemany(RATE_LIMIT_INSERT, rate_limit_rows(pid))
        # The creator is the project's first owner, as in the dashboard.
        c.execute(
            "INSERT INTO project_users (project_id, user_id, role, added_at) VALUES (?,?,?,?)",
            (pid, actor.user_id, "owner", now),
        )
        row = require_project(store, pid)
        record(
            store,
            actor,
            "project.created",
            pid,
            {"id": pid, "data": {"name": name, "title": name}},
            project=row,
        )
    return ok(render.project(row))


async def get_project(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    return ok(render.project(require_project(store, request.path_params["project_id"])))


async def modify_project(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid = request.path_params["project_id"]
    row = require_project(store, pid)
    body = await json_body(request)
    name = field_str(body, "name", non_empty=True)
    external_key_id = field_str(body, "external_key_id")
    if row["is_default"]:
        raise bad_request("The default project cannot be modified.", None, "default_project")
    if row["archived_at"] is not None:
        raise bad_request(
            f"Project '{pid}' is archived and cannot be updated.", None, "project_archived"
        )
    changes: dict[str, str | None] = {}
    if name is not None:
        changes["title"] = name
        changes["name"] = name
    if "external_key_id" in body:
        changes["external_key_id"] = external_key_id
    with store.tx():
        if name is not None:
            store.execute("UPDATE projects SET name = ? WHERE id = ?", (name, pid))
        if "external_key_id" in body:
            store.execute(
                "UPDATE projects SET external_key_id = ? WHERE id = ?", (external_key_id, pid)
            )
        row = require_project(store, pid)
        record(
            store,
            actor,
            "project.updated",
            pid,
            {"id": pid, "changes_requested": changes},
            project=row,
        )
    return ok(render.project(row))


async def archive_project(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid = request.path_params["project_id"]
    row = require_project(store, pid)
    if row["is_default"]:
        raise bad_request("The default project cannot be archived.", None, "default_project")
    if row["archived_at"] is not None:
        return ok(render.project(row))  # idempotent: a retried archive is not an error
    now = store.now()
    with store.tx():
        store.execute("UPDATE projects SET archived_at = ? WHERE id = ?", (now, pid))
        # An archived project can no longer be used: its keys stop working (and producing traffic).
        store.execute(
            "UPDATE api_keys SET deleted_at = ? WHERE project_id = ? AND deleted_at IS NULL",
            (now, pid),
        )
        row = require_project(store, pid)
        record(store, actor, "project.archived", pid, {"id": pid}, project=row)
    return ok(render.project(row))


# -- rate limits ------------------------------------------------------------------------------


async def list_rate_limits(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_project(store, pid)
    limit = query_limit(request, default=100)
    rows, more = page_rows(
        store,
        "rate_limits",
        "project_id = ?",
        (pid,),
        limit=limit,
        after=request.query_params.get("after"),
        before=request.query_params.get("before"),
        cursor_where="project_id = ?",
        cursor_params=(pid,),
    )
    return ok(list_body([render.rate_limit(r) for r in rows], more))


async def update_rate_limit(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid = request.path_params["project_id"]
    rl_id = request.path_params["rate_limit_id"]
    project = require_active_project(store, pid, "updating rate limits")
    row = store.one("SELECT * FROM rate_limits WHERE project_id = ? AND id = ?", (pid, rl_id))
    if row is None:
        raise ApiProblem(
            404,
            f"No rate limit '{rl_id}' in project '{pid}'.",
            param="rate_limit_id",
            code="not_found",
        )
    body = await json_body(request)
    caps = MODEL_RATE_LIMITS.get(row["model"], {})
    changes: dict[str, int] = {}
    for f in render.RATE_LIMIT_FIELDS:
        value = field_int(body, f, minimum=0)
        if value is None:
            continue
        if row[f] is None:
            raise bad_request(f"'{f}' does not apply to model '{row['model']}'.", f)
        cap = caps.get(f)
        if cap is not None and value > cap:
            raise bad_request(
                f"'{f}' cannot exceed the organization's limit of {cap} for '{row['model']}'.", f
            )
        changes[f] = value
    with store.tx():
        for f, value in changes.items():
            store.execute(
                f"UPDATE rate_limits SET {f} = ? WHERE project_id = ? AND id = ?",
                (value, pid, rl_id),
            )
        row = store.one("SELECT * FROM rate_limits WHERE project_id = ? AND id = ?", (pid, rl_id))
        assert row is not None
        record(
            store,
            actor,
            "rate_limit.updated",
            rl_id,
            {"id": rl_id, "changes_requested": changes},
            project=project,
        )
    return ok(render.rate_limit(row))


P = "/organization/projects"
routes = [
    Route(P, list_projects, methods=["GET"]),
    Route(P, create_project, methods=["POST"]),
    Route(P + "/{project_id}", get_project, methods=["GET"]),
    Route(P + "/{project_id}", modify_project, methods=["POST"]),
    Route(P + "/{project_id}/archive", archive_project, methods=["POST"]),
    Route(P + "/{project_id}/rate_limits", list_rate_limits, methods=["GET"]),
    Route(P + "/{project_id}/rate_limits/{rate_limit_id}", update_rate_limit, methods=["POST"]),
]
