"""Hard spend limits and spend alerts, organisation-wide and per project (integer cents, USD).

A hard limit's `enforcement.status` is `enforcing` once the month-to-date cost reported by the
traffic engine reaches the threshold.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import render
from orgtui.sandbox.audit import SPEND_ALERT_EVENT, SPEND_LIMIT_EVENT, record
from orgtui.sandbox.errors import ApiProblem, bad_request
from orgtui.sandbox.store import Store
from orgtui.sandbox.web import (
    field_enum,
    field_int,
    field_str,
    json_body,
    list_body,
    ok,
    page_rows,
    query_enum,
    query_limit,
    require_active_project,
    require_project,
    sandbox_of,
    valid_email,
)

ORG = "org"


def _scope(request: Request) -> tuple[str, str, dict[str, Any] | None]:
    """(scope key, object kind, project row or None) of an org or project route."""
    pid = request.path_params.get("project_id")
    if pid is None:
        return ORG, "organization", None
    return pid, "project", require_project(sandbox_of(request).store, pid)


def _amount(body: dict[str, Any], minimum: int) -> tuple[int, str, str]:
    threshold = field_int(body, "threshold_amount", required=True, minimum=minimum)
    currency = field_enum(body, "currency", ("USD",), required=True)
    interval = field_enum(body, "interval", ("month",), required=True)
    assert threshold is not None and currency is not None and interval is not None
    return threshold, currency, interval


# -- hard limits --------------------------------------------------------------------------------


def _render_limit(request: Request, row: dict[str, Any], kind: str) -> dict[str, Any]:
    sb = sandbox_of(request)
    mtd_usd = sb.month_to_date_cost_usd(None if row["scope"] == ORG else row["scope"])
    return render.spend_limit(row, kind, round(mtd_usd * 100) >= row["threshold_amount"])


async def get_spend_limit(request: Request) -> JSONResponse:
    scope, kind, _ = _scope(request)
    row = sandbox_of(request).store.one("SELECT * FROM spend_limits WHERE scope = ?", (scope,))
    if row is None:
        where = "the organization" if scope == ORG else f"project '{scope}'"
        raise ApiProblem(404, f"No spend limit is set for {where}.", code="spend_limit_not_found")
    return ok(_render_limit(request, row, kind))


async def set_spend_limit(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    scope, kind, project = _scope(request)
    if project is not None:
        require_active_project(store, scope, "setting a spend limit")
    body = await json_body(request)
    threshold, currency, interval = _amount(body, 1)
    with store.tx():
        store.execute(
            "INSERT OR REPLACE INTO spend_limits (scope, threshold_amount, currency, interval,"
            " updated_at) VALUES (?,?,?,?,?)",
            (scope, threshold, currency, interval, store.now()),
        )
        record(
            store,
            actor,
            SPEND_LIMIT_EVENT,
            None if scope == ORG else scope,
            {
                "id": None if scope == ORG else scope,
                "object": f"{kind}.spend_limit",
                "data": {"threshold_amount": threshold, "currency": currency, "interval": interval},
            },
            project=project,
        )
        row = store.one("SELECT * FROM spend_limits WHERE scope = ?", (scope,))
    assert row is not None
    return ok(_render_limit(request, row, kind))


async def delete_spend_limit(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    scope, kind, project = _scope(request)
    if store.one("SELECT 1 FROM spend_limits WHERE scope = ?", (scope,)) is None:
        raise ApiProblem(404, "No spend limit is set here.", code="spend_limit_not_found")
    with store.tx():
        store.execute("DELETE FROM spend_limits WHERE scope = ?", (scope,))
        record(
            store,
            actor,
            SPEND_LIMIT_EVENT,
            None if scope == ORG else scope,
            {
                "id": None if scope == ORG else scope,
                "object": f"{kind}.spend_limit",
                "data": {"deleted": True},
            },
            project=project,
        )
    return ok({"object": f"{kind}.spend_limit.deleted", "deleted": True})


# -- alerts -----------------------------------------------------------------------------------


def _alert(store: Store, scope: str, aid: str) -> dict[str, Any]:
    row = store.one(
        "SELECT * FROM spend_alerts WHERE id = ? AND scope = ? AND deleted_at IS NULL", (aid, scope)
    )
    if row is None:
        raise ApiProblem(
            404, f"No spend alert found with id '{aid}'.", param="alert_id", code="not_found"
        )
    return row


def _alert_fields(body: dict[str, Any]) -> tuple[int, str, str, list[str], str | None]:
    # The spec allows a zero threshold for alerts (minimum 0), unlike hard limits (minimum 1).
    threshold, currency, interval = _amount(body, 0)
    channel = body.get("notification_channel")
    if channel is None:
        raise bad_request(
            "Missing required parameter: 'notification_channel'.", "notification_channel"
        )
    if not isinstance(channel, dict):
        raise bad_request(
            "Invalid type for 'notification_channel': expected an object.", "notification_channel"
        )
    field_enum(channel, "type", ("email",), required=True)
    recipients = channel.get("recipients")
    if (
        not isinstance(recipients, list)
        or not recipients
        or not all(isinstance(r, str) and valid_email(r) for r in recipients)
    ):
        raise bad_request(
            "'notification_channel.recipients' must be a non-empty array of email addresses.",
            "notification_channel.recipients",
        )
    prefix = field_str(channel, "subject_prefix")
    return threshold, currency, interval, recipients, prefix


def _alert_audit(
    store: Store,
    actor: Any,
    row: dict[str, Any],
    kind: str,
    action: str,
    project: dict[str, Any] | None,
) -> None:
    record(
        store,
        actor,
        SPEND_ALERT_EVENT,
        row["id"],
        {
            "id": row["id"],
            "object": f"{kind}.spend_alert",
            "action": action,
            "data": {"threshold_amount": row["threshold_amount"]},
        },
        project=project,
    )


async def list_alerts(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    scope, kind, _ = _scope(request)
    order = query_enum(request, "order", ("asc", "desc"), "asc")
    limit = query_limit(request, minimum=0)
    q = request.query_params
    rows, more = page_rows(
        store,
        "spend_alerts",
        "scope = ? AND deleted_at IS NULL",
        (scope,),
        limit=limit,
        after=q.get("after"),
        before=q.get("before"),
        desc=order == "desc",
        cursor_where="scope = ?",
        cursor_params=(scope,),
    )
    return ok(list_body([render.spend_alert(r, kind) for r in rows], more))


async def create_alert(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    scope, kind, project = _scope(request)
    if project is not None:
        require_active_project(store, scope, "creating spend alerts")
    body = await json_body(request)
    threshold, currency, interval, recipients, prefix = _alert_fields(body)
    aid = store.new_id("alert_", 24)
    with store.tx():
        store.execute(
            "INSERT INTO spend_alerts (id, scope, threshold_amount, currency, interval,"
            " recipients, subject_prefix, created_at) VALUES (?,?,?,?,?,?,?,?)",
            (
                aid,
                scope,
                threshold,
                currency,
                interval,
                json.dumps(recipients),
                prefix,
                store.now(),
            ),
        )
        row = _alert(store, scope, aid)
        _alert_audit(store, actor, row, kind, "created", project)
    return ok(render.spend_alert(row, kind))


async def get_alert(request: Request) -> JSONResponse:
    scope, kind, _ = _scope(request)
    store = sandbox_of(request).store
    return ok(render.spend_alert(_alert(store, scope, request.path_params["alert_id"]), kind))


async def update_alert(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    scope, kind, project = _scope(request)
    aid = request.path_params["alert_id"]
    if project is not None:
        require_active_project(store, scope, "updating spend alerts")
    _alert(store, scope, aid)
    body = await json_body(request)
    threshold, currency, interval, recipients, prefix = _alert_fields(body)
    with store.tx():
        store.execute(
            "UPDATE spend_alerts SET threshold_amount = ?, currency = ?, interval = ?,"
            " recipients = ?, subject_prefix = ? WHERE id = ?",
            (threshold, currency, interval, json.dumps(recipients), prefix, aid),
        )
        row = _alert(store, scope, aid)
        _alert_audit(store, actor, row, kind, "updated", project)
    return ok(render.spend_alert(row, kind))


async def delete_alert(request: Request) -> JSONResponse:
    sb = sandbox_of(request)
    actor = sb.check_auth(request)
    store = sb.store
    scope, kind, project = _scope(request)
    aid = request.path_params["alert_id"]
    row = _alert(store, scope, aid)
    with store.tx():
        store.execute("UPDATE spend_alerts SET deleted_at = ? WHERE id = ?", (store.now(), aid))
        _alert_audit(store, actor, row, kind, "deleted", project)
    return ok({"id": aid, "object": f"{kind}.spend_alert.deleted", "deleted": True})


routes: list[Route] = []
for base in ("/organization", "/organization/projects/{project_id}"):
    routes += [
        Route(base + "/spend_limit", get_spend_limit, methods=["GET"]),
        Route(base + "/spend_limit", set_spend_limit, methods=["POST"]),
        Route(base + "/spend_limit", delete_spend_limit, methods=["DELETE"]),
        Route(base + "/spend_alerts", list_alerts, methods=["GET"]),
        Route(base + "/spend_alerts", create_alert, methods=["POST"]),
        Route(base + "/spend_alerts/{alert_id}", get_alert, methods=["GET"]),
        Route(base + "/spend_alerts/{alert_id}", update_alert, methods=["POST"]),
        Route(base + "/spend_alerts/{alert_id}", delete_alert, methods=["DELETE"]),
    ]
