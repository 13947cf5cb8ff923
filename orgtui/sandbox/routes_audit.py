"""`GET /organization/audit_logs`: newest first, with every filter of the spec."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox import render
from orgtui.sandbox.errors import bad_request
from orgtui.sandbox.web import (
    list_body,
    ok,
    query_bool,
    query_int,
    query_limit,
    query_list,
    sandbox_of,
)

_RANGE_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
# Tenant-scoped event types besides the tenant.* family (see the tenant_only parameter).
_TENANT_EXTRA = ("role.bound_to_resource", "role.unbound_from_resource")


def _in(column: str, values: list[str]) -> tuple[str, list[Any]]:
    return f"{column} IN ({','.join('?' * len(values))})", list(values)


def _filters(request: Request) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for op, sql_op in _RANGE_OPS.items():
        # `effective_at[gte]=` is what SDKs send; a bare `gte=` is the spec's form-exploded object.
        for name in (f"effective_at[{op}]", f"effective_at.{op}", op):
            value = query_int(request, name)
            if value is not None:
                clauses.append(f"effective_at {sql_op} ?")
                args.append(value)
    for param, column in (
        ("project_ids", "project_id"),
        ("event_types", "type"),
        ("resource_ids", "resource_id"),
    ):
        values = query_list(request, param)
        if values:
            clause, vals = _in(column, values)
            clauses.append(clause)
            args += vals
    actor_ids = query_list(request, "actor_ids")
    if actor_ids:
        clauses.append("(" + " OR ".join("instr(actor_ids, ?) > 0" for _ in actor_ids) + ")")
        args += [f",{a}," for a in actor_ids]
    actor_emails = query_list(request, "actor_emails")
    if actor_emails:
        clause, vals = _in("lower(actor_email)", [e.lower() for e in actor_emails])
        clauses.append(clause)
        args += vals
    if query_bool(request, "tenant_only"):
        types = query_list(request, "event_types") or []
        if any(not t.startswith("tenant.") and t not in _TENANT_EXTRA for t in types):
            raise bad_request(
                "With tenant_only=true, all event_types must be tenant-scoped.", "event_types[]"
            )
        marks = ",".join("?" * len(_TENANT_EXTRA))
        clauses.append(f"(type LIKE 'tenant.%' OR type IN ({marks}))")
        args += list(_TENANT_EXTRA)
    else:
        # Tenant-scoped events are returned only when tenant_only is asked for (the spec).
        marks = ",".join("?" * len(_TENANT_EXTRA))
        clauses.append(f"NOT (type LIKE 'tenant.%' OR type IN ({marks}))")
        args += list(_TENANT_EXTRA)
    return clauses, args


async def list_audit_logs(request: Request) -> JSONResponse:
    store = sandbox_of(request).store
    limit = query_limit(request)
    clauses, args = _filters(request)
    after, before = request.query_params.get("after"), request.query_params.get("before")
    # Newest first: ordered by (effective_at, seq) descending, so a clock moved backwards by a
    # test still gives one consistent order.
    backwards = False
    for cursor, name in ((after, "after"), (before, "before")):
        if not cursor:
            continue
        pos = store.one("SELECT effective_at, seq FROM audit_logs WHERE id = ?", (cursor,))
        if pos is None:
            raise bad_request(
                f"Invalid '{name}' cursor: no audit log with id '{cursor[:80]}'.", name
            )
        clauses.append(
            "(effective_at, seq) < (?, ?)" if name == "after" else "(effective_at, seq) > (?, ?)"
        )
        args += [pos["effective_at"], pos["seq"]]
        backwards = backwards or (name == "before" and not after)
    where = " AND ".join(clauses) or "1=1"
    order = "ASC" if backwards else "DESC"
    rows = store.query(
        f"SELECT * FROM audit_logs WHERE {where} ORDER BY effective_at {order}, seq {order}"
        " LIMIT ?",
        (*args, limit + 1),
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
    return ok(list_body([render.audit_log(r) for r in rows], has_more))


routes = [Route("/organization/audit_logs", list_audit_logs, methods=["GET"])]
