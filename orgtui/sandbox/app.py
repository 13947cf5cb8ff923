"""`create_app`: the sandbox as a Starlette ASGI app (API under `/v1`, control under `/_sandbox`)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from orgtui.sandbox import (
    routes_admin_keys,
    routes_audit,
    routes_certificates,
    routes_control,
    routes_controls,
    routes_groups,
    routes_invites,
    routes_keys,
    routes_limits,
    routes_members,
    routes_project_access,
    routes_projects,
    routes_roles,
)
from orgtui.sandbox.control import SANDBOX_ADMIN_KEY, Sandbox
from orgtui.sandbox.errors import ApiProblem, error_response
from orgtui.sandbox.faults import FaultMiddleware
from orgtui.sandbox.rbac_data import ensure_tables as ensure_rbac_tables
from orgtui.sandbox.spec_paths import SPEC_PATHS
from orgtui.sandbox.store import Store

log = logging.getLogger("orgtui.sandbox")

ALL_METHODS = ["GET", "POST", "DELETE", "PUT", "PATCH", "HEAD", "OPTIONS"]
_SPEC_REGEX = [
    (re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), p, methods)
    for p, methods in SPEC_PATHS.items()
]


class AuthMiddleware:
    """Bearer admin key on `/v1` and `/_sandbox`; the actor goes to `scope["state"]["actor"]`."""

    def __init__(self, app: ASGIApp, sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and (path.startswith("/v1") or path.startswith("/_sandbox")):
            auth = None
            for k, v in scope.get("headers", []):
                if k == b"authorization":
                    auth = v.decode("latin-1")
            try:
                actor = self.sandbox.authenticate(auth)
            except ApiProblem as problem:
                await problem.response()(scope, receive, send)
                return
            scope.setdefault("state", {})["actor"] = actor
        await self.app(scope, receive, send)


def _shape(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", template)


async def _fallback(request: Request) -> Response:
    """Anything no route took: a spec operation we do not emulate (501), a wrong method on a
    known path (405), or an unknown URL (404) — always in the error envelope.

    An emulated operation lands here only when an id in its path cannot match a route (say, it
    holds a newline): no such object, so 404."""
    path, method = request.url.path, request.method
    sub = path[3:] if path.startswith("/v1/") else None
    if sub is not None:
        emulated: set[tuple[str, str]] = request.app.state.emulated
        for regex, template, methods in _SPEC_REGEX:
            if regex.match(sub):
                if (method, _shape(template)) in emulated:
                    return error_response(
                        404, f"No object found at {method} {path[:200]}.", code="not_found"
                    )
                if method in methods:
                    return error_response(
                        501,
                        f"{method} /v1{template} is part of the OpenAI Admin API but is not "
                        "emulated by the orgtui sandbox.",
                        code="not_emulated",
                    )
                return error_response(
                    405,
                    f"Method {method} is not allowed on /v1{template}.",
                    code="method_not_allowed",
                )
    return error_response(
        404,
        f"Unknown request URL: {method} {path}. Please check the URL for typos. "
        "(not emulated by the orgtui sandbox)",
        code="unknown_url",
    )


async def _problem(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiProblem)
    return exc.response()


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code in (404, 405):
        return await _fallback(request)
    return error_response(exc.status_code, str(exc.detail))


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("sandbox internal error on %s %s", request.method, request.url.path)
    return error_response(
        500, "The sandbox had an internal error processing your request.", "server_error"
    )


def _usage_routes(sandbox: Sandbox) -> list[BaseRoute]:
    from orgtui.sandbox.routes_usage import usage_routes

    return list(usage_routes(sandbox))


def create_app(
    db_path: str | Path | None = None,
    *,
    admin_key: str = SANDBOX_ADMIN_KEY,
    seed: int = 1,
    scale: tuple[int, int, int] | None = None,
    demo: bool = True,
    clock: Callable[[], float] | None = None,
) -> Starlette:
    """The sandbox app; `app.state.sandbox` is its `Sandbox` control object.

    A new database is seeded (demo org, scaled org, or empty org); an existing one is reused as
    is, so what a user created survives a restart.
    """
    clock = clock or time.time
    store = Store(db_path, clock=clock, seed=seed)
    ensure_rbac_tables(store)
    if store.is_new:
        from orgtui.sandbox import demo as demo_data

        if scale is not None:
            from orgtui.sandbox.scale import seed_scale

            seed_scale(store, scale)
        elif demo:
            demo_data.seed_demo(store)
        else:
            demo_data.seed_empty(store)
    sandbox = Sandbox(store, admin_key=admin_key, seed=store.seed, clock=clock)
    store.clock = sandbox.now_float

    from orgtui.sandbox.traffic import TrafficModel

    sandbox.traffic = TrafficModel(
        seed=store.seed, sources=store.traffic_sources, clock=sandbox.now_float
    )
    api_routes: list[BaseRoute] = [
        *routes_projects.routes,
        *routes_members.routes,
        *routes_keys.routes,
        *routes_invites.routes,
        *routes_admin_keys.routes,
        *routes_limits.routes,
        *routes_audit.routes,
        *routes_groups.routes,
        *routes_roles.routes,
        *routes_project_access.routes,
        *routes_certificates.routes,
        *routes_controls.routes,
        *_usage_routes(sandbox),
        Route("/{path:path}", _fallback, methods=ALL_METHODS),
    ]
    app = Starlette(
        routes=[
            Mount("/v1", routes=api_routes),
            *routes_control.routes,
            Route("/{path:path}", _fallback, methods=ALL_METHODS),
        ],
        middleware=[
            Middleware(
                FaultMiddleware,
                config=sandbox.faults,
                rng=sandbox.fault_rng,
                clock=sandbox.now_float,
                throttle=sandbox.throttle,
            ),
            Middleware(AuthMiddleware, sandbox=sandbox),
        ],
        exception_handlers={
            ApiProblem: _problem,
            HTTPException: _http_exception,
            Exception: _server_error,
        },
    )
    app.state.sandbox = sandbox
    app.state.emulated = {
        (m, _shape(r.path))
        for r in api_routes
        if isinstance(r, Route) and r.methods and r.path != "/{path:path}"
        for m in r.methods
    }
    return app


__all__ = ["SANDBOX_ADMIN_KEY", "Sandbox", "create_app"]
