"""After a create whose outcome is unknown: read back, never resend.

A create `POST` (a service account, a key, a project, an invite) is not idempotent. When the
client raises `CreateOutcomeUnknownError` (timeout, dropped connection, 5xx after sending), the
service lists the resources back and looks for one with the requested name created since just
before the call (`created_at >= started_at - SKEW`) that was not known before. What the user
sees is one of: it exists (`created_unconfirmed`), it does not (`not_created`: trying again is
safe, the user decides), or we cannot tell (`unknown`: the read-back failed too).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from typing import Any, TypeVar

from orgtui.api.errors import ApiError, CreateOutcomeUnknownError
from orgtui.core.services.results import Reconciliation

__all__ = ["SKEW_SECONDS", "create_then_reconcile", "find_created", "reconcile"]

T = TypeVar("T")
R = TypeVar("R")

# Tolerance for the difference between our clock and the server's.
SKEW_SECONDS = 60.0


async def create_then_reconcile(
    send: Callable[[], Awaitable[T]],
    *,
    created: Callable[[T], Awaitable[R]],
    lost: Callable[[CreateOutcomeUnknownError], Awaitable[R]],
) -> R:
    """Send a create once; on an answer, `created(answer)`; when the answer is lost, `lost(error)`.

    The one place a create's unknown outcome is caught: every service that mints or creates goes
    through here, so none of them can resend by accident. Other API errors propagate unchanged.
    """
    try:
        answer = await send()
    except CreateOutcomeUnknownError as exc:
        return await lost(exc)
    return await created(answer)


async def find_created(
    items: AsyncIterator[Any],
    *,
    matches: Callable[[Any], bool],
    started_at: float,
    known_ids: Collection[str] = (),
    created_at: Callable[[Any], float | None] = lambda item: getattr(item, "created_at", None),
) -> Any | None:
    """The newest item that matches, is new to us and was created since `started_at - SKEW`."""
    best: Any = None
    async for item in items:
        if getattr(item, "id", None) in known_ids or not matches(item):
            continue
        when = created_at(item)
        if when is not None and when < started_at - SKEW_SECONDS:
            continue
        if best is None or (when or 0) >= (created_at(best) or 0):
            best = item
    return best


async def reconcile(
    error: CreateOutcomeUnknownError,
    *,
    kind: str,
    name: str,
    read_back: Callable[[], Any],
    found_message: Callable[[Any], str],
    not_found_message: str,
    suggested_action: str | None = None,
) -> Reconciliation:
    """Run `read_back()` (a coroutine returning the found item or None) and describe the outcome."""
    try:
        found = await read_back()
    except ApiError as exc:
        return Reconciliation(
            outcome="unknown",
            kind=kind,
            name=name,
            message=(
                f"Could not tell whether the {kind.replace('_', ' ')} {name!r} was created "
                f"({error.cause or error}); reading back failed too: {exc}. "
                "Refresh and look before trying again."
            ),
            error=str(exc),
        )
    if found is None:
        return Reconciliation(
            outcome="not_created",
            kind=kind,
            name=name,
            message=not_found_message,
            error=str(error.cause or error),
        )
    return Reconciliation(
        outcome="created_unconfirmed",
        kind=kind,
        name=name,
        message=found_message(found),
        found_id=getattr(found, "id", None),
        found=found,
        error=str(error.cause or error),
        suggested_action=suggested_action,
    )
