"""Invites: list, create (with project grants), retrieve, delete."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import render
from orgtui.sandbox.audit import record
from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.routes_members import ORG_ROLES, PROJECT_ROLES
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import (
    field_enum,
    field_str,
    json_body,
    list_body,
    ok,
    page_rows,
    query_limit,
    sandbox_of,
    valid_email,
)

INVITE_TTL_S = 7 * 86400


def _invite(store: Store, iid: str) -> dict[str, Any]:
    row = store.one("SELECT * FROM invites WHERE id = ? AND deleted_at IS NULL", (iid,))
    if row is None:
        raise ApiProblem(
            404, f"No invite found with id '{iid}'.", param="invite_id", code="not_found"
        )
    return row


async def list_invites(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    rows, more = page_rows(
        store,
        "invites",
        "deleted_at IS NULL",
        (),
        limit=query_limit(request),
        after=request.query_params.get("after"),
    )
    now = store.now()
    return ok(list_body([render.invite(r, now) for r in rows], more))


def _grants(store: Store, raw: Any) -> list[dict[str, str]]:
    if raw is None:
        return [{"id": store.default_project_id(), "role": "member"}]
    if not isinstance(raw, list):
        raise bad_request("Invalid type for 'projects': expected an array.", "projects")
    grants: list[dict[str, str]] = []
    for i, g in enumerate(raw):
        param = f"projects[{i}]"
        if not isinstance(g, dict):
            raise bad_request(f"Invalid type for '{param}': expected an object.", param)
        gid = field_str(g, "id", required=True, nullable=False)
        grole = field_enum(g, "role", PROJECT_ROLES, required=True)
        assert gid is not None and grole is not None
        project = store.get_project(gid)
        if project is None:
            raise bad_request(f"No project found with id '{gid}'.", f"{param}.id")
        if project["archived_at"] is not None:
            raise bad_request(
                f"Project '{gid}' is archived: it cannot be granted.",
                f"{param}.id",
                "project_archived",
            )
        grants.append({"id": gid, "role": grole})
    return grants


async def create_invite(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    body = await json_body(request)
    email = field_str(body, "email", required=True, nullable=False, max_len=320)
    role = field_enum(body, "role", ORG_ROLES, required=True)
    assert email is not None
    if not valid_email(email):
        raise bad_request(f"'{email}' is not a valid email address.", "email", "invalid_email")
    grants = _grants(store, body.get("projects"))
    if store.user_by_email(email) is not None:
        raise bad_request(
            f"'{email}' is already a member of this organization.", "email", "already_member"
        )
    now = store.now()
    pending = store.scalar(
        "SELECT 1 FROM invites WHERE lower(email) = lower(?) AND deleted_at IS NULL AND"
        " status = 'pending' AND (expires_at IS NULL OR expires_at > ?)",
        (email, now),
    )
    if pending:
        raise bad_request(f"An invite for '{email}' is already pending.", "email", "invite_pending")
    iid = store.new_id("invite-", 24)
    with store.tx():
        store.execute(
            "INSERT INTO invites (id, email, role, status, created_at, expires_at, projects)"
            " VALUES (?, ?, ?, 'pending', ?, ?, ?)",
            (iid, email, role, now, now + INVITE_TTL_S, json.dumps(grants)),
        )
        record(
            store, actor, "invite.sent", iid, {"id": iid, "data": {"email": email, "role": role}}
        )
    return ok(render.invite(_invite(store, iid), now))


async def get_invite(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    return ok(render.invite(_invite(store, request.path_params["invite_id"]), store.now()))


async def delete_invite(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    iid = request.path_params["invite_id"]
    row = _invite(store, iid)
    if row["status"] == "accepted":
        raise bad_request(
            "This invite has already been accepted and cannot be deleted.",
            "invite_id",
            "invite_accepted",
        )
    with store.tx():
        store.execute("UPDATE invites SET deleted_at = ? WHERE id = ?", (store.now(), iid))
        record(store, actor, "invite.deleted", iid, {"id": iid})
    return ok({"object": "organization.invite.deleted", "id": iid, "deleted": True})


routes = [
    Route("/organization/invites", list_invites, methods=["GET"]),
    Route("/organization/invites", create_invite, methods=["POST"]),
    Route("/organization/invites/{invite_id}", get_invite, methods=["GET"]),
    Route("/organization/invites/{invite_id}", delete_invite, methods=["DELETE"]),
]
