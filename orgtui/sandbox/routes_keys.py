"""Service accounts (and their keys) and project API keys.

A key's secret value exists only in the create response: the store keeps the redacted form and a
hash, so no later read can ever return it.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import render
from orgtui.sandbox.audit import Actor, record
from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.store import Store, hash_secret, redact
from orgtui.sandbox.web import (
    field_bool,
    field_enum,
    field_str,
    field_str_list,
    json_body,
    list_body,
    ok,
    page_rows,
    query_enum,
    query_limit,
    require_active_project,
    require_project,
    sandbox_of,
)

DEFAULT_KEY_NAME = "Secret Key"


def mint(prefix: str) -> str:
    """An obviously fake secret; `secrets` so no two values ever repeat."""
    return f"{prefix}SANDBOX-FAKE-{secrets.token_urlsafe(32)}"


def _insert_sa_key(
    store: Store,
    actor: Actor,
    project: dict[str, Any],
    sa_id: str,
    name: str,
    scopes: list[str],
) -> dict[str, Any]:
    value = mint("sk-svcacct-")
    kid = store.new_id("key_", 16)
    now = store.now()
    store.execute(
        "INSERT INTO api_keys (id, project_id, name, redacted_value, value_hash, created_at,"
        " owner_type, owner_sa_id, scopes) VALUES (?,?,?,?,?,?, 'service_account', ?, ?)",
        (
            kid,
            project["id"],
            name,
            redact(value),
            hash_secret(value),
            now,
            sa_id,
            json.dumps(scopes),
        ),
    )
    record(
        store,
        actor,
        "api_key.created",
        kid,
        {"id": kid, "data": {"scopes": scopes}},
        project=project,
    )
    return {
        "object": "organization.project.service_account.api_key",
        "value": value,
        "name": name,
        "created_at": now,
        "id": kid,
    }


# -- service accounts -------------------------------------------------------------------------


def _sa(store: Store, pid: str, sid: str) -> dict[str, Any]:
    row = store.one(
        "SELECT * FROM service_accounts WHERE id = ? AND project_id = ? AND deleted_at IS NULL",
        (sid, pid),
    )
    if row is None:
        raise ApiProblem(
            404,
            f"No service account '{sid}' in project '{pid}'.",
            param="service_account_id",
            code="not_found",
        )
    return row


async def list_service_accounts(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_active_project(store, pid, "listing service accounts")
    rows, more = page_rows(
        store,
        "service_accounts",
        "project_id = ? AND deleted_at IS NULL",
        (pid,),
        limit=query_limit(request),
        after=request.query_params.get("after"),
        cursor_where="project_id = ?",
        cursor_params=(pid,),
    )
    return ok(list_body([render.service_account(r) for r in rows], more))


async def create_service_account(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid = request.path_params["project_id"]
    project = require_active_project(store, pid, "creating service accounts")
    body = await json_body(request)
    name = field_str(body, "name", required=True, nullable=False, non_empty=True)
    only = bool(field_bool(body, "create_service_account_only"))
    role = "none" if only else "member"
    sid = store.new_id("svc_acct_", 24)
    now = store.now()
    with store.tx():
        store.execute(
            "INSERT INTO service_accounts (id, project_id, name, role, created_at)"
            " VALUES (?,?,?,?,?)",
            (sid, pid, name, role, now),
        )
        record(
            store,
            actor,
            "service_account.created",
            sid,
            {"id": sid, "data": {"role": role}},
            project=project,
        )
        key = None if only else _insert_sa_key(store, actor, project, sid, DEFAULT_KEY_NAME, [])
    out = render.service_account(_sa(store, pid, sid))
    out["api_key"] = key
    return ok(out)


async def get_service_account(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid, sid = request.path_params["project_id"], request.path_params["service_account_id"]
    require_active_project(store, pid, "reading service accounts")
    return ok(render.service_account(_sa(store, pid, sid)))


async def update_service_account(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid, sid = request.path_params["project_id"], request.path_params["service_account_id"]
    project = require_active_project(store, pid, "updating service accounts")
    body = await json_body(request)
    name = field_str(body, "name", non_empty=True)
    role = field_enum(body, "role", ("member", "owner"))
    _sa(store, pid, sid)
    changes: dict[str, str] = {}
    with store.tx():
        if name is not None:
            store.execute("UPDATE service_accounts SET name = ? WHERE id = ?", (name, sid))
            changes["name"] = name
        if role is not None:
            store.execute("UPDATE service_accounts SET role = ? WHERE id = ?", (role, sid))
            changes["role"] = role
        record(
            store,
            actor,
            "service_account.updated",
            sid,
            {"id": sid, "changes_requested": changes},
            project=project,
        )
    return ok(render.service_account(_sa(store, pid, sid)))


async def delete_service_account(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid, sid = request.path_params["project_id"], request.path_params["service_account_id"]
    project = require_active_project(store, pid, "deleting service accounts")
    _sa(store, pid, sid)
    now = store.now()
    with store.tx():
        store.execute("UPDATE service_accounts SET deleted_at = ? WHERE id = ?", (now, sid))
        for k in store.query(
            "SELECT id FROM api_keys WHERE owner_sa_id = ? AND deleted_at IS NULL", (sid,)
        ):
            store.execute("UPDATE api_keys SET deleted_at = ? WHERE id = ?", (now, k["id"]))
            record(store, actor, "api_key.deleted", k["id"], {"id": k["id"]}, project=project)
        record(store, actor, "service_account.deleted", sid, {"id": sid}, project=project)
    return ok(
        {"object": "organization.project.service_account.deleted", "id": sid, "deleted": True}
    )


async def create_service_account_key(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid, sid = request.path_params["project_id"], request.path_params["service_account_id"]
    project = require_active_project(store, pid, "creating keys")
    body = await json_body(request, required=False)
    name = field_str(body, "name", non_empty=True) or DEFAULT_KEY_NAME
    scopes = field_str_list(body, "scopes") or []
    _sa(store, pid, sid)
    with store.tx():
        key = _insert_sa_key(store, actor, project, sid, name, scopes)
    return ok(key)


# -- project API keys -------------------------------------------------------------------------


def _api_key(store: Store, pid: str, kid: str) -> dict[str, Any]:
    row = store.one(
        f"SELECT {render.API_KEY_SELECT} FROM {render.API_KEY_FROM} WHERE k.id = ?"
        " AND k.project_id = ? AND k.deleted_at IS NULL",
        (kid, pid),
    )
    if row is None:
        raise ApiProblem(
            404, f"No API key '{kid}' in project '{pid}'.", param="api_key_id", code="not_found"
        )
    return row


async def list_api_keys(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid = request.path_params["project_id"]
    require_project(store, pid)
    access = query_enum(request, "owner_project_access", ("active", "inactive", "any"), "any")
    where = "k.project_id = ? AND k.deleted_at IS NULL"
    params: list[Any] = [pid]
    if access != "any":
        where += " AND k.owner_project_access = ?"
        params.append(access)
    rows, more = page_rows(
        store,
        render.API_KEY_FROM,
        where,
        params,
        limit=query_limit(request),
        after=request.query_params.get("after"),
        select=render.API_KEY_SELECT,
        seq_col="k.seq",
        cursor_table="api_keys",
        cursor_where="project_id = ?",
        cursor_params=(pid,),
    )
    return ok(list_body([render.api_key(r) for r in rows], more))


async def get_api_key(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    pid, kid = request.path_params["project_id"], request.path_params["api_key_id"]
    require_project(store, pid)
    return ok(render.api_key(_api_key(store, pid, kid)))


async def delete_api_key(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    pid, kid = request.path_params["project_id"], request.path_params["api_key_id"]
    project = require_project(store, pid)
    row = _api_key(store, pid, kid)
    if row["owner_type"] == "service_account":
        raise bad_request(
            "API keys owned by a service account cannot be deleted directly: delete the service "
            f"account '{row['owner_sa_id']}' instead.",
            "api_key_id",
            "service_account_key",
        )
    with store.tx():
        store.execute("UPDATE api_keys SET deleted_at = ? WHERE id = ?", (store.now(), kid))
        record(store, actor, "api_key.deleted", kid, {"id": kid}, project=project)
    return ok({"object": "organization.project.api_key.deleted", "id": kid, "deleted": True})


SA = "/organization/projects/{project_id}/service_accounts"
K = "/organization/projects/{project_id}/api_keys"
routes = [
    Route(SA, list_service_accounts, methods=["GET"]),
    Route(SA, create_service_account, methods=["POST"]),
    Route(SA + "/{service_account_id}", get_service_account, methods=["GET"]),
    Route(SA + "/{service_account_id}", update_service_account, methods=["POST"]),
    Route(SA + "/{service_account_id}", delete_service_account, methods=["DELETE"]),
    Route(SA + "/{service_account_id}/api_keys", create_service_account_key, methods=["POST"]),
    Route(K, list_api_keys, methods=["GET"]),
    Route(K + "/{api_key_id}", get_api_key, methods=["GET"]),
    Route(K + "/{api_key_id}", delete_api_key, methods=["DELETE"]),
]
