"""After an assignment change whose answer was lost: read the assignment back, never resend.

Adding a user to a group, giving or taking a role, adding a group to a project: when the request
went out but its answer did not come back (a timeout, a dropped connection, a 5xx), the change
may or may not have been applied. `settled()` then asks the API for that one assignment (the
spec's `retrieve-*` operation): present or absent tells which, and the user sees either the
change as done ("confirmed by reading back") or that nothing changed and trying again is safe.
When the read-back fails too, the original error goes up unchanged.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from orgtui.api.errors import (
    ApiError,
    MalformedResponseError,
    NotFoundError,
    OfflineError,
    RequestTimeoutError,
    ServerError,
)
from orgtui.core.services.errors import ServiceRefusal
from orgtui.core.services.results import Done

__all__ = ["UNCERTAIN", "NotApplied", "present", "settled"]

# Failures after which the request may have been applied.
UNCERTAIN: tuple[type[ApiError], ...] = (
    MalformedResponseError,
    OfflineError,
    RequestTimeoutError,
    ServerError,
)


class NotApplied(ServiceRefusal):
    """The request failed and reading back shows it was not applied: trying again is safe."""


async def present(probe: Callable[[], Awaitable[Any]]) -> Any | None:
    """What `probe()` (a `retrieve-*` call) returns, or None when the API answers 404."""
    try:
        return await probe()
    except NotFoundError:
        return None


async def settled(
    call: Callable[[], Awaitable[Any]],
    probe: Callable[[], Awaitable[Any]],
    *,
    adds: bool,
    done: Callable[[Any], Done],
) -> Done:
    """Run `call()`; if its outcome is uncertain, decide with `probe()`.

    `adds` says whether the change makes the probed assignment exist (assign, add) or go away
    (unassign, remove). `done(result)` builds the success; after a read-back, `result` is what
    the probe returned (None for a removal) and the message says it was confirmed that way.
    """
    try:
        return done(await call())
    except NotFoundError:
        # Nothing to remove (removed elsewhere since the list was read): done, once the
        # read-back agrees. (A retried DELETE's 404 is already success in the transport.)
        if adds or await present(probe) is not None:
            raise
        result = done(None)
        return Done(f"{result.message} (it was already gone)", outcome=result.outcome)
    except UNCERTAIN as exc:
        try:
            found = await present(probe)
        except ApiError:
            raise exc from None
        if (found is not None) != adds:
            raise NotApplied(
                f"{exc.label}: the change was not applied (read back); trying again is safe"
            ) from exc
        result = done(found)
        return Done(
            f"{result.message} (confirmed by reading back after: {exc.label})",
            outcome=result.outcome,
            obj=result.obj,
        )
