"""Data retention (org and project) and a project's model and hosted-tool permissions.

Defaults, which a project without a stored value answers with: the organisation retains with
`modified_abuse_monitoring` (the org enum has no "standard" value), a project follows
`organization_default`, model permissions are an empty deny list (every model allowed; DELETE
restores it), every hosted tool is enabled. Each change is audited: `organization.updated` for
the org's retention, `project.updated` (with what was asked under `changes_requested`) for a
project's controls.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox.audit import record
from orgtui.sandbox.errors import bad_request
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import (
    Row,
    field_enum,
    json_body,
    ok,
    require_active_project,
    require_project,
    sandbox_of,
)

ORG_RETENTION = (
    "zero_data_retention",
    "modified_abuse_monitoring",
    "enhanced_zero_data_retention",
    "enhanced_modified_abuse_monitoring",
)
PROJECT_RETENTION = ("organization_default", "none", *ORG_RETENTION)
ORG_RETENTION_DEFAULT = "modified_abuse_monitoring"
MODES = ("allow_list", "deny_list")
TOOLS = ("file_search", "web_search", "image_generation", "mcp", "code_interpreter")
MAX_MODELS = 500
ORG_ID = "org-sandbox"


def org_retention(store: Store) -> str:
    return store.meta_get("data_retention") or ORG_RETENTION_DEFAULT


def _controls(store: Store, pid: str) -> Row:
    row = store.one("SELECT * FROM project_controls WHERE project_id = ?", (pid,))
    return row or {"retention_type": None, "model_mode": None, "model_ids": None}


def set_control(store: Store, pid: str, **values: Any) -> None:
    """Store some of a project's controls (columns of project_controls), keeping the others."""
    store.execute("INSERT OR IGNORE INTO project_controls (project_id) VALUES (?)", (pid,))
    cols = ", ".join(f"{k} = ?" for k in values)
    store.execute(
        f"UPDATE project_controls SET {cols} WHERE project_id = ?", (*values.values(), pid)
    )


def _audit_project(store: Store, actor: Any, project: Row, changes: dict[str, Any]) -> None:
    pid = project["id"]
    details = {"id": pid, "changes_requested": changes}
    record(store, actor, "project.updated", pid, details, project=project)


# -- data retention ---------------------------------------------------------------------------


async def get_org_retention(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    return ok({"object": "organization.data_retention", "type": org_retention(store)})


async def set_org_retention(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    body = await json_body(request)
    value = field_enum(body, "retention_type", ORG_RETENTION, required=True)
    assert value is not None
    with store.tx():
        store.meta_set("data_retention", value)
        details = {"id": ORG_ID, "changes_requested": {"data_retention": value}}
        record(store, actor, "organization.updated", ORG_ID, details)
    return ok({"object": "organization.data_retention", "type": value})


async def get_project_retention(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_project(store, pid)
    value = _controls(store, pid)["retention_type"] or "organization_default"
    return ok({"object": "project.data_retention", "type": value})


async def set_project_retention(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    project = require_active_project(store, request.path_params["project_id"], "this change")
    body = await json_body(request)
    value = field_enum(body, "retention_type", PROJECT_RETENTION, required=True)
    with store.tx():
        set_control(store, project["id"], retention_type=value)
        _audit_project(store, actor, project, {"data_retention": value})
    return ok({"object": "project.data_retention", "type": value})


# -- model permissions ------------------------------------------------------------------------


def _model_permissions(store: Store, pid: str) -> dict[str, Any]:
    row = _controls(store, pid)
    return {
        "object": "project.model_permissions",
        "mode": row["model_mode"] or "deny_list",
        "model_ids": json.loads(row["model_ids"] or "[]"),
    }


async def get_models(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_project(store, pid)
    return ok(_model_permissions(store, pid))


def _model_ids(body: dict[str, Any]) -> list[str]:
    if "model_ids" not in body:
        raise bad_request("Missing required parameter: 'model_ids'.", "model_ids")
    raw = body["model_ids"]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise bad_request(
            "Invalid type for 'model_ids': expected an array of strings.", "model_ids"
        )
    if len(raw) > MAX_MODELS:
        raise bad_request(f"'model_ids' holds at most {MAX_MODELS} models.", "model_ids")
    ids = [v.strip() for v in raw]
    if any(not v or len(v) > 256 for v in ids):
        raise bad_request("Each model id must be 1 to 256 characters.", "model_ids")
    return list(dict.fromkeys(ids))


async def set_models(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    project = require_active_project(store, request.path_params["project_id"], "this change")
    body = await json_body(request)
    mode = field_enum(body, "mode", MODES, required=True)
    ids = _model_ids(body)
    with store.tx():
        set_control(store, project["id"], model_mode=mode, model_ids=json.dumps(ids))
        changes = {"model_permissions": {"mode": mode, "model_ids": ids}}
        _audit_project(store, actor, project, changes)
    return ok(_model_permissions(store, project["id"]))


async def delete_models(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    project = require_active_project(store, request.path_params["project_id"], "this change")
    with store.tx():
        set_control(store, project["id"], model_mode=None, model_ids=None)
        _audit_project(store, actor, project, {"model_permissions": None})
    return ok({"object": "project.model_permissions.deleted", "deleted": True})


# -- hosted-tool permissions ------------------------------------------------------------------


def _tools(store: Store, pid: str) -> dict[str, Any]:
    row = store.one("SELECT hosted_tools FROM project_controls WHERE project_id = ?", (pid,))
    stored = json.loads((row or {}).get("hosted_tools") or "{}")
    return {tool: {"enabled": bool(stored.get(tool, True))} for tool in TOOLS}


async def get_tools(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_project(store, pid)
    return ok(_tools(store, pid))


async def set_tools(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    project = require_active_project(store, request.path_params["project_id"], "this change")
    body = await json_body(request)
    unknown = sorted(set(body) - set(TOOLS))
    if unknown:
        raise bad_request(f"Unknown hosted tool: '{unknown[0][:40]}'.", unknown[0][:40])
    changes: dict[str, bool] = {}
    for tool, value in body.items():
        if value is None:
            continue  # null leaves the tool as it is
        if not isinstance(value, dict) or not isinstance(value.get("enabled"), bool):
            raise bad_request(
                f"Invalid value for '{tool}': expected an object with a boolean 'enabled'.",
                f"{tool}.enabled",
            )
        changes[tool] = value["enabled"]
    current = {tool: v["enabled"] for tool, v in _tools(store, project["id"]).items()}
    with store.tx():
        set_control(store, project["id"], hosted_tools=json.dumps({**current, **changes}))
        _audit_project(store, actor, project, {"hosted_tool_permissions": changes})
    return ok(_tools(store, project["id"]))


_P = "/organization/projects/{project_id}"
routes = [
    Route("/organization/data_retention", get_org_retention, methods=["GET"]),
    Route("/organization/data_retention", set_org_retention, methods=["POST"]),
    Route(_P + "/data_retention", get_project_retention, methods=["GET"]),
    Route(_P + "/data_retention", set_project_retention, methods=["POST"]),
    Route(_P + "/model_permissions", get_models, methods=["GET"]),
    Route(_P + "/model_permissions", set_models, methods=["POST"]),
    Route(_P + "/model_permissions", delete_models, methods=["DELETE"]),
    Route(_P + "/hosted_tool_permissions", get_tools, methods=["GET"]),
    Route(_P + "/hosted_tool_permissions", set_tools, methods=["POST"]),
]
