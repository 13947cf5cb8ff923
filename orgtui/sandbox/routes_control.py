"""Control routes outside `/v1` (`/_sandbox/...`): state, faults, incident, clock.

They need the admin key like the API itself, and are never subject to injected faults.
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from orgtui.sandbox.errors import bad_request
from orgtui.sandbox.web import json_body, ok, sandbox_of


async def get_state(request: Request) -> JSONResponse:
    return ok(sandbox_of(request).state())


async def set_faults(request: Request) -> JSONResponse:
    """Body: any FaultConfig fields; `{"reset": true}` restores the defaults first."""
    sb = sandbox_of(request)
    body = await json_body(request, required=False)
    if body.pop("reset", False) is True:
        sb.faults.reset()
        sb.throttle.reset()
    try:
        sb.faults.update(body)
    except ValueError as exc:
        raise bad_request(str(exc)) from None
    return ok({"object": "sandbox.faults", **sb.faults.as_dict()})


async def set_incident(request: Request) -> JSONResponse:
    """Body: `{"api_key_id": "key_..." | null, "factor": 25.0}`."""
    sb = sandbox_of(request)
    body = await json_body(request)
    key_id = body.get("api_key_id")
    factor = body.get("factor", 25.0)
    if key_id is not None and not isinstance(key_id, str):
        raise bad_request("'api_key_id' must be a string or null.", "api_key_id")
    if isinstance(factor, bool) or not isinstance(factor, int | float) or factor < 0:
        raise bad_request("'factor' must be a non-negative number.", "factor")
    sb.set_incident(key_id, float(factor))
    return ok({"object": "sandbox.incident", "api_key_id": key_id, "factor": float(factor)})


async def set_clock(request: Request) -> JSONResponse:
    """Body: `{"now": t}` freezes at t, `{"advance": s}` freezes s seconds later,
    `{"real": true}` goes back to the system clock."""
    sb = sandbox_of(request)
    body = await json_body(request)
    if body.get("real") is True:
        sb.set_clock(time.time)
    elif "now" in body or "advance" in body:
        name = "now" if "now" in body else "advance"
        value = body[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_request(f"'{name}' must be a number.", name)
        sb.freeze_clock(float(value) if name == "now" else sb.clock() + float(value))
    else:
        raise bad_request("Expected one of 'now', 'advance' or 'real'.")
    return ok({"object": "sandbox.clock", "now": sb.clock()})


routes = [
    Route("/_sandbox/state", get_state, methods=["GET"]),
    Route("/_sandbox/faults", set_faults, methods=["POST"]),
    Route("/_sandbox/incident", set_incident, methods=["POST"]),
    Route("/_sandbox/clock", set_clock, methods=["POST"]),
]
