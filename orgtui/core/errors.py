"""The failures the UI may catch, in core's words.

The UI never imports `orgtui.api` at run time (tests/test_architecture.py holds it to that): it
asks core for data and gets core's vocabulary back. A request that fails still fails with the API
client's typed error (its message is safe to show: no key, no headers), so core re-exports that
hierarchy here as its public face rather than wrapping every error in a second class: a screen
catches `orgtui.core.errors.ApiError` (or `OfflineError`, `BadRequestError`...) and stays
ignorant of the transport underneath.
"""

from __future__ import annotations

from orgtui.api.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    CreateOutcomeUnknownError,
    MalformedResponseError,
    NotFoundError,
    OfflineError,
    PermissionDeniedError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
)

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
]
