"""Reading the Admin API's answers: the typed error of a failed response, the JSON body of a
good one, and the errors for a body of the wrong shape or a create whose outcome is unknown.

Errors are built from status, the API's error envelope and the path *template*, never from an
httpx exception's text or request (which could carry the Authorization header).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from orgtui.api._base import ShapeError, decode_json
from orgtui.api.errors import (
    ApiError,
    CreateOutcomeUnknownError,
    MalformedResponseError,
    error_for_status,
)
from orgtui.api.throttle import parse_retry_after

if TYPE_CHECKING:
    import httpx

    from orgtui.api.models import ApiErrorBody

__all__ = [
    "decode_body",
    "error_from_response",
    "not_sent_errors",
    "outcome_unknown",
    "retry_after",
    "shape_problem",
]


def not_sent_errors() -> tuple[type[Exception], ...]:
    """httpx errors raised before any byte of the request can have reached the server."""
    import httpx

    return (
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.PoolTimeout,
        httpx.ProxyError,
        httpx.UnsupportedProtocol,
        httpx.LocalProtocolError,
    )


def shape_problem(what: str, exc: ShapeError) -> str:
    return f"unexpected {what} shape: {exc}"


def error_from_response(
    resp: httpx.Response,
    method: str,
    template: str,
    redact: Callable[[str | None], str | None],
) -> ApiError:
    """The typed error of a failed response (`redact` removes the admin key from its text)."""
    from orgtui.api.models import ErrorEnvelope

    fields: dict[str, Any] = {}
    err: ApiErrorBody | str | None
    try:
        err = decode_json(ErrorEnvelope, resp.content).error
    except ShapeError:  # not JSON, or not an error body: the status says it
        err = None
    if isinstance(err, str):
        fields = {"message": err}
    elif err is not None:
        fields = {k: getattr(err, k) for k in ("message", "type", "param", "code")}
    clean = {k: redact(str(v)) for k, v in fields.items() if v is not None}
    return error_for_status(
        resp.status_code,
        clean.pop("message", None) or f"HTTP {resp.status_code} {resp.reason_phrase}".strip(),
        **clean,
        method=method,
        path=template,
        retry_after=retry_after(resp),
    )


def retry_after(resp: httpx.Response) -> float | None:
    return parse_retry_after(
        resp.headers.get("retry-after"), ms_value=resp.headers.get("retry-after-ms")
    )


def decode_body(resp: httpx.Response, method: str, template: str, *, create: bool) -> Any:
    """The JSON of a good response; a body that is not JSON is malformed (for a create: its
    outcome is unknown)."""
    problem: str | None = None
    try:
        return json.loads(resp.content) if resp.content else None
    except ValueError:
        problem = f"response is not valid JSON ({len(resp.content)} bytes)"
    error = MalformedResponseError(problem, status=resp.status_code, method=method, path=template)
    if create:
        raise outcome_unknown(error, method, template)
    raise error


def outcome_unknown(cause: ApiError, method: str, template: str) -> CreateOutcomeUnknownError:
    return CreateOutcomeUnknownError(
        "the request may have been applied; read back before retrying",
        cause=cause,
        status=cause.status,
        method=method,
        path=template,
    )
