"""Activity: one session's reads of spend, costs, usage, incidents and the audit log.

Every screen that shows activity asks `session.activity` instead of the API client, and gets a
`Fetched` value back: the data, when it was fetched (on the session's clock), and, when it could
not be read, an `Unavailable` saying why (and whether the organisation is simply unreachable).

Sharing: two callers asking for the same thing (same kind, same window) while a fetch is in
flight await that one fetch; a result stays fresh for `FRESH_SECONDS` and is handed out again
without a request. A caller that must have new figures (a refresh the user asked for, a poll)
passes `max_age=0`.

The staleness rule, once for the whole console: data fetched at `fetched_at` is stale at `now`
once `now - fetched_at >= max_age` (`is_stale`); data never fetched is stale.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from orgtui.core.access import AccessData
    from orgtui.core.audit_query import AuditFilters
    from orgtui.core.incident import IncidentReport
    from orgtui.core.session import Session
    from orgtui.core.spend_fetch import SpendData
    from orgtui.core.usage_series import GraphData, GraphQuery

__all__ = [
    "FRESH_SECONDS",
    "Activity",
    "Fetched",
    "StackedUsage",
    "Unavailable",
    "is_stale",
    "unavailable",
]

T = TypeVar("T")

FRESH_SECONDS = 10.0  # a result this young is handed out again instead of asked for anew


def is_stale(fetched_at: float | None, now: float, max_age: float = FRESH_SECONDS) -> bool:
    """The one staleness rule: never fetched, or fetched `max_age` seconds ago or more."""
    return fetched_at is None or now - fetched_at >= max_age


@dataclass(frozen=True)
class Unavailable:
    """Why something could not be read. `offline`: the organisation could not be reached at
    all (no connection), as opposed to an answer that was an error."""

    reason: str
    offline: bool = False

    def __str__(self) -> str:
        return self.reason


def unavailable(error: BaseException) -> Unavailable:
    """The typed value of an API error (the UI never sees the exception classes)."""
    from orgtui.api.errors import OfflineError

    return Unavailable(str(error), offline=isinstance(error, OfflineError))


@dataclass(frozen=True)
class Fetched(Generic[T]):
    """One read: `value` (None when unavailable), its moment, and `problem` when it failed."""

    value: T | None
    fetched_at: float
    problem: Unavailable | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def stale(self, now: float, max_age: float = FRESH_SECONDS) -> bool:
        return is_stale(self.fetched_at, now, max_age)


@dataclass(frozen=True)
class StackedUsage:
    """Every kind of usage, ungrouped: shaped data per kind read, and the kinds that failed."""

    per_kind: dict[str, GraphData]
    failed: list[str]


class _Shared:
    """One fetch in flight and how many callers wait on it."""

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.task = task
        self.waiters = 0


class Activity:
    """The session's activity reads, shared and kept fresh. `session.activity` makes one."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._inflight: dict[Hashable, _Shared] = {}
        self._cache: dict[Hashable, Fetched[Any]] = {}
        self.requests = 0  # fetches started (a shared or cached answer starts none)

    @property
    def clock(self) -> Any:
        return self.session.clock

    # ------------------------------------------------------------------ sharing

    async def _shared(
        self, key: Hashable, fetch: Callable[[], Awaitable[T]], max_age: float
    ) -> Fetched[T]:
        cached = self._cache.get(key)
        if cached is not None and cached.ok and not cached.stale(self.clock.now(), max_age):
            return cached
        shared = self._inflight.get(key)
        if shared is None:
            self.requests += 1
            shared = _Shared(asyncio.ensure_future(self._run(key, fetch)))
            self._inflight[key] = shared
        shared.waiters += 1
        try:
            return await asyncio.shield(shared.task)
        except asyncio.CancelledError:
            if shared.waiters == 1 and not shared.task.done():
                shared.task.cancel()  # the last one waiting left: nobody wants the answer
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await shared.task
            raise
        finally:
            shared.waiters -= 1

    async def _run(self, key: Hashable, fetch: Callable[[], Awaitable[T]]) -> Fetched[T]:
        from orgtui.api.errors import ApiError

        try:
            value = await fetch()
        except ApiError as error:
            result: Fetched[T] = Fetched(None, self.clock.now(), unavailable(error))
        else:
            result = Fetched(value, self.clock.now())
            self._cache[key] = result
        finally:
            self._inflight.pop(key, None)
        return result

    def forget(self) -> None:
        """Drop every cached answer (the next ask fetches)."""
        self._cache.clear()

    # ------------------------------------------------------------------ reads

    async def usage(self, query: GraphQuery, max_age: float = FRESH_SECONDS) -> Fetched[list[Any]]:
        """Every bucket of one kind of usage (or of costs, `query.kind == "costs"`)."""
        client: Any = self.session.client

        async def fetch() -> list[Any]:
            if query.kind == "costs":
                source = client.iter_costs(query.start, **query.client_kwargs())
            else:
                source = client.iter_usage(query.usage_kind, query.start, **query.client_kwargs())
            return [bucket async for bucket in source]

        return await self._shared(("usage", query), fetch, max_age)

    async def stacked(
        self, query: GraphQuery, max_age: float = FRESH_SECONDS
    ) -> Fetched[StackedUsage]:
        """Every kind of usage, one request each; a kind that fails is named, not fatal."""
        from orgtui.core.usage_stacked import fetch_stacked

        async def fetch() -> StackedUsage:
            per_kind, failed = await fetch_stacked(self.session.client, query)
            return StackedUsage(per_kind, failed)

        return await self._shared(("stacked", query), fetch, max_age)

    async def spend(
        self, now: float, *, include_usage: bool = True, max_age: float = FRESH_SECONDS
    ) -> Fetched[SpendData]:
        """Costs (and, with `include_usage`, the burn-rate usage) for the windows of `now`.
        A fresh answer that includes usage also serves a caller that wants costs only."""
        from orgtui.core.spend_fetch import fetch_spend_data, spend_windows

        w = spend_windows(now)
        window = (w.costs_start, w.tomorrow_start, w.minutes_end)
        if not include_usage:  # a fetch with usage on its way or fresh serves costs too
            wider = self._cache.get(("spend", window, True))
            if ("spend", window, True) in self._inflight or (
                wider is not None and wider.ok and not wider.stale(self.clock.now(), max_age)
            ):
                include_usage = True

        async def fetch() -> SpendData:
            return await fetch_spend_data(self.session.client, now, include_usage=include_usage)

        return await self._shared(("spend", window, include_usage), fetch, max_age)

    async def kinds(self, now: float, max_age: float = FRESH_SECONDS) -> Fetched[IncidentReport]:
        """Every kind of usage ranked, as the incident panel reads it (at most 12 requests)."""
        from orgtui.core.incident import compute_incident

        async def fetch() -> IncidentReport:
            return await compute_incident(self.session.client, now)

        return await self._shared(("kinds", int(now // 60)), fetch, max_age)

    async def audit(self, filters: AuditFilters, after: str | None, limit: int) -> Fetched[Any]:
        """One page of the audit log (`AuditLogPage`) after an event id; pages are not cached
        (the log grows), but two callers asking for the same page share one request."""

        async def fetch() -> Any:
            return await filters.fetch_page(self.session.client, after=after, limit=limit)

        return await self._shared(("audit", filters, after, limit), fetch, 0.0)

    async def access(
        self, project_ids: Sequence[str], user_ids: Sequence[str] = ()
    ) -> Fetched[AccessData]:
        """The organisation's groups and roles (RBAC), for the health checks."""
        from orgtui.core.access import load_access

        async def fetch() -> AccessData:
            return await load_access(self.session.client, project_ids, user_ids)

        return await self._shared(("access", tuple(project_ids), tuple(user_ids)), fetch, 0.0)
