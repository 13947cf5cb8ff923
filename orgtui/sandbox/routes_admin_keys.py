"""Admin API keys: list, create (the value is returned once), retrieve, delete.

The key this sandbox accepts is one of these rows, so deleting it ends the session with 401.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import render
from orgtui.sandbox.audit import ADMIN_KEY_CREATED, ADMIN_KEY_DELETED, record
from orgtui.sandbox.errors import ApiProblem
from orgtui.sandbox.routes_keys import mint
from orgtui.sandbox.store import Store, hash_secret, redact
from orgtui.sandbox.web import (
    field_int,
    field_str,
    json_body,
    list_body,
    ok,
    page_rows,
    query_enum,
    query_limit,
    sandbox_of,
)

MAX_ADMIN_KEY_TTL_S = 31_536_000


def _admin_keys(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    owners = {r["owner_user_id"] for r in rows}
    users = (
        {
            u["id"]: u
            for u in store.query(
                f"SELECT * FROM users WHERE id IN ({','.join('?' * len(owners))})", list(owners)
            )
        }
        if owners
        else {}
    )
    return [render.admin_key(r, users.get(r["owner_user_id"])) for r in rows]


def _admin_key(store: Store, kid: str) -> dict[str, Any]:
    row = store.one("SELECT * FROM admin_keys WHERE id = ? AND deleted_at IS NULL", (kid,))
    if row is None:
        raise ApiProblem(
            404, f"No admin API key found with id '{kid}'.", param="key_id", code="not_found"
        )
    return row


async def list_admin_keys(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    order = query_enum(request, "order", ("asc", "desc"), "asc")
    rows, more = page_rows(
        store,
        "admin_keys",
        "deleted_at IS NULL",
        (),
        limit=query_limit(request),
        after=request.query_params.get("after"),
        desc=order == "desc",
    )
    return ok(list_body(_admin_keys(store, rows), more))


async def create_admin_key(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    body = await json_body(request)
    name = field_str(body, "name", required=True, nullable=False, non_empty=True)
    ttl = field_int(body, "expires_in_seconds", minimum=1, maximum=MAX_ADMIN_KEY_TTL_S)
    value = mint("sk-admin-")
    kid = store.new_id("key_", 16)
    now = store.now()
    with store.tx():
        store.execute(
            "INSERT INTO admin_keys (id, name, redacted_value, value_hash, created_at, expires_at,"
            " owner_user_id) VALUES (?,?,?,?,?,?,?)",
            (
                kid,
                name,
                redact(value),
                hash_secret(value),
                now,
                None if ttl is None else now + ttl,
                actor.user_id,
            ),
        )
        record(store, actor, ADMIN_KEY_CREATED, kid, {"id": kid, "data": {"name": name}})
    out = _admin_keys(store, [_admin_key(store, kid)])[0]
    out["value"] = value
    return ok(out)


async def get_admin_key(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    return ok(_admin_keys(store, [_admin_key(store, request.path_params["key_id"])])[0])


async def delete_admin_key(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    kid = request.path_params["key_id"]
    _admin_key(store, kid)
    with store.tx():
        store.execute("UPDATE admin_keys SET deleted_at = ? WHERE id = ?", (store.now(), kid))
        record(store, actor, ADMIN_KEY_DELETED, kid, {"id": kid})
    return ok({"id": kid, "object": "organization.admin_api_key.deleted", "deleted": True})


routes = [
    Route("/organization/admin_api_keys", list_admin_keys, methods=["GET"]),
    Route("/organization/admin_api_keys", create_admin_key, methods=["POST"]),
    Route("/organization/admin_api_keys/{key_id}", get_admin_key, methods=["GET"]),
    Route("/organization/admin_api_keys/{key_id}", delete_admin_key, methods=["DELETE"]),
]
