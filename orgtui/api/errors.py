"""Typed errors raised by the Admin API client.

Every error carries the API's own message/type/param/code plus the HTTP method and the
*path template* it concerns. None of them ever holds the admin key, request headers or an
httpx request object: `str(err)` is a single human line that is safe to show and to log.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "CreateOutcomeUnknownError",
    "MalformedResponseError",
    "NotFoundError",
    "OfflineError",
    "PermissionDeniedError",
    "RateLimitedError",
    "RequestTimeoutError",
    "ServerError",
    "error_for_status",
    "one_line",
]

_MAX_MESSAGE = 300
_WS = re.compile(r"\s+")


def one_line(text: object, limit: int = _MAX_MESSAGE) -> str:
    """Collapse whitespace/control characters and cap the length (API text is untrusted)."""
    flat = _WS.sub(" ", "".join(ch if ch.isprintable() else " " for ch in str(text))).strip()
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat


class ApiError(Exception):
    """Base class for every failure talking to the Admin API."""

    label = "API error"

    def __init__(
        self,
        message: str = "",
        *,
        status: int | None = None,
        type: str | None = None,  # noqa: A002 - mirrors the API's field name
        param: str | None = None,
        code: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.message = one_line(message) if message else ""
        self.status = status
        self.type = type
        self.param = one_line(param, 80) if param else None
        self.code = code
        self.method = method
        self.path = path
        super().__init__(self.message)

    def __str__(self) -> str:
        text = f"{self.label}: {self.message}" if self.message else self.label
        if self.param:
            text += f" (param: {self.param})"
        return text

    def __repr__(self) -> str:
        where = f" {self.method} {self.path}" if self.method else ""
        return f"{type(self).__name__}(status={self.status!r}{where}: {self.message!r})"

    def __reduce__(
        self,
    ) -> tuple[Any, ...]:  # keyword-only init: keep errors picklable (workers, caches)
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[ApiError], state: dict[str, object]) -> ApiError:
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("message", ""))
    err.__dict__.update(state)
    return err


class AuthenticationError(ApiError):
    """401: the admin key is missing, wrong or revoked."""

    label = "Authentication failed"


class PermissionDeniedError(ApiError):
    """403: the key is valid but may not do this."""

    label = "Permission denied"


class NotFoundError(ApiError):
    """404: the resource does not exist (or is not visible to this key)."""

    label = "Not found"


class BadRequestError(ApiError):
    """400/409/422: the API rejected the request as invalid."""

    label = "Bad request"


class RateLimitedError(ApiError):
    """429 after the client's own retries ran out."""

    label = "Rate limited"

    def __init__(
        self, message: str = "", *, retry_after: float | None = None, **kw: object
    ) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]  # ApiError's own keywords, passed through
        self.retry_after = retry_after

    def __str__(self) -> str:
        text = super().__str__()
        if self.retry_after is not None:
            text += f" (retry after {self.retry_after:g}s)"
        return text


class ServerError(ApiError):
    """5xx from the API."""

    label = "Server error"


class OfflineError(ApiError):
    """Could not connect, or the connection dropped before a response arrived."""

    label = "Offline"


class RequestTimeoutError(ApiError):
    """No (complete) response within the client's timeout."""

    label = "Request timed out"


class MalformedResponseError(ApiError):
    """The response was not JSON, was truncated, or did not match the expected schema."""

    label = "Malformed response"


class CreateOutcomeUnknownError(ApiError):
    """A create request may have reached the server but we do not know whether it worked.

    It is never re-sent automatically: the caller must read back and reconcile.
    `.cause` holds the underlying error (timeout, offline, server error...).
    """

    label = "Create outcome unknown"

    def __init__(self, message: str = "", *, cause: ApiError | None = None, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.cause = cause

    def __str__(self) -> str:
        text = super().__str__()
        if self.cause is not None:
            text += f" [{self.cause}]"
        return text


_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: BadRequestError,
    422: BadRequestError,
    429: RateLimitedError,
}


def error_class_for_status(status: int) -> type[ApiError]:
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    return ApiError


def error_for_status(
    status: int,
    message: str = "",
    *,
    type: str | None = None,  # noqa: A002
    param: str | None = None,
    code: str | None = None,
    method: str | None = None,
    path: str | None = None,
    retry_after: float | None = None,
) -> ApiError:
    """Build the typed error for an HTTP status (unknown 4xx fall back to ApiError)."""
    cls = error_class_for_status(status)
    kw: dict[str, object] = dict(
        status=status, type=type, param=param, code=code, method=method, path=path
    )
    if cls is RateLimitedError:
        kw["retry_after"] = retry_after
    return cls(message or f"HTTP {status}", **kw)  # type: ignore[arg-type]
