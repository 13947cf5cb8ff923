"""Refresh: fetch the organisation part by part, what is on screen first, within the budget.

Order of a full refresh: the project list; then the focused project (`Syncer.focus`, which may
change while the refresh runs); then the org members, invites, admin keys and org limits; then
every other project (active ones before archived ones). A few parts are fetched at a time: the
client paces its own requests, this only keeps the queue short and in the right order.

Each part lands in the session on its own (`Session.apply` of that part only) as soon as it
arrives. A failed part keeps its last data and is marked with the error's one-line text. When
the failure is the whole connection (offline, key rejected), the parts still queued are marked
with it at once instead of being tried one by one.

The coroutines here are plain asyncio: the UI runs them in a Textual worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from orgtui.api.errors import ApiError, AuthenticationError, BadRequestError, OfflineError
from orgtui.core.incremental import OVERLAP_S, Watermark
from orgtui.core.snapshot import (
    ORG_PART_FIELDS,
    PROJECT_PART_FIELDS,
    PROJECT_PART_KINDS,
    PROJECTS,
    OrgSnapshot,
    PartStatus,
    project_part,
    split_part,
)
from orgtui.core.sync_result import ProgressCallback, SyncResult

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = ["ProgressCallback", "SyncResult", "Syncer"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Errors that say the whole connection is unusable, not just one part.
_GLOBAL_ERRORS: tuple[type[ApiError], ...] = (OfflineError, AuthenticationError)

_ORG_LABELS = {
    PROJECTS: "Projects",
    "users": "Organisation members",
    "invites": "Invites",
    "admin_keys": "Admin keys",
    "org_limits": "Organisation limits",
}
_PROJECT_LABELS = {
    "keys": "keys",
    "service_accounts": "service accounts",
    "users": "members",
    "rate_limits": "rate limits",
    "limits": "limits",
}


async def _collect(items: AsyncIterator[T]) -> list[T]:
    return [item async for item in items]


class _Queue:
    """Pending part ids in order, with the focused project's parts able to jump the queue."""

    def __init__(self, part_ids: Iterable[str]) -> None:
        self._order: deque[str] = deque()
        self._by_project: dict[str, deque[str]] = {}
        self._taken: set[str] = set()
        self.extend(part_ids)

    def extend(self, part_ids: Iterable[str]) -> None:
        for part_id in part_ids:
            if part_id in self._taken:
                continue
            self._order.append(part_id)
            pid, _ = split_part(part_id)
            if pid is not None:
                self._by_project.setdefault(pid, deque()).append(part_id)

    def pop(self, focus: str | None) -> str | None:
        mine = self._by_project.get(focus) if focus is not None else None
        while mine:
            part_id = mine.popleft()
            if part_id not in self._taken:
                self._taken.add(part_id)
                return part_id
        while self._order:
            part_id = self._order.popleft()
            if part_id not in self._taken:
                self._taken.add(part_id)
                return part_id
        return None

    def drain(self) -> list[str]:
        rest = [p for p in self._order if p not in self._taken]
        self._taken.update(rest)
        self._order.clear()
        self._by_project.clear()
        return rest

    def __len__(self) -> int:
        return sum(1 for p in self._order if p not in self._taken)


@dataclass
class _Run:
    queue: _Queue
    total: int
    on_progress: ProgressCallback | None
    result: SyncResult = field(default_factory=SyncResult)
    fatal: str | None = None

    def progress(self, label: str) -> None:
        if self.on_progress is None:
            return
        try:
            self.on_progress(self.result.done, max(self.total, self.result.done), label)
        except Exception:  # a progress bar must not stop a refresh
            log.exception("sync progress callback failed")


class Syncer:
    """Refreshes a session's snapshot from the API."""

    def __init__(self, session: Session, *, concurrency: int = 3, full_every: int = 12) -> None:
        self.session = session
        self.concurrency = max(1, concurrency)
        self._focus: str | None = None
        # Incremental refresh (core.incremental): how far the audit log has been read.
        self.watermark: Watermark | None = None
        self.full_every = max(1, full_every)
        self.cycles_since_full = 0
        self.last_full_at: float | None = None
        self.last_incremental_at: float | None = None
        self.last_cycle: SyncResult | None = None

    # ------------------------------------------------------------------ priority

    def focus(self, pid: str | None) -> None:
        """Fetch this project's parts next (also in a refresh already running)."""
        self._focus = pid

    @property
    def focused(self) -> str | None:
        return self._focus

    # ------------------------------------------------------------------ entry points

    async def refresh_all(self, on_progress: ProgressCallback | None = None) -> SyncResult:
        """Everything: the project list first, then the focused project, the org, the rest."""
        started, before = self.session.now(), self._requests_made()
        result = await self._refresh_everything(on_progress)
        result.mode, result.requests = "full", self._requests_made() - before
        if PROJECTS in result.fetched:  # the log is read from before this refresh began
            self.watermark = Watermark(since=started - OVERLAP_S)
            self.cycles_since_full = 0
            self.last_full_at = started
        self.last_cycle = result
        return result

    async def refresh_incremental(self, on_progress: ProgressCallback | None = None) -> SyncResult:
        """What changed since the last sync, from the audit log (a full refresh when the log
        cannot tell; `SyncResult.full_reason` says why). See `core.incremental`."""
        from orgtui.core.incremental import incremental_cycle

        return await incremental_cycle(self, on_progress)

    def _requests_made(self) -> int:
        budget = getattr(self.session.client, "budget", None)
        return int(getattr(budget, "requests_made", 0) or 0)

    async def _refresh_everything(self, on_progress: ProgressCallback | None) -> SyncResult:
        snapshot = self.session.snapshot
        expected = 1 + len(ORG_PART_FIELDS) + len(PROJECT_PART_KINDS) * len(snapshot.projects)
        run = _Run(_Queue([]), expected, on_progress)
        run.progress(_ORG_LABELS[PROJECTS])
        await self._run_one(run, PROJECTS)
        snapshot = self.session.snapshot
        order = self._full_order(snapshot)
        run.total = run.result.done + len(order)
        run.queue.extend(order)
        if run.fatal is not None:
            self._fail_remaining(run)
        else:
            await self._drain(run)
        return run.result

    async def refresh_parts(
        self, part_ids: Iterable[str], on_progress: ProgressCallback | None = None
    ) -> SyncResult:
        ids = list(dict.fromkeys(part_ids))
        for part_id in ids:
            split_part(part_id)
        return await self._refresh(ids, on_progress)

    # ------------------------------------------------------------------ machinery

    def _full_order(self, snapshot: OrgSnapshot) -> list[str]:
        views = list(snapshot.projects.values())
        focused = [v for v in views if v.id == self._focus]
        active = [v for v in views if v.id != self._focus and not v.archived]
        archived = [v for v in views if v.id != self._focus and v.archived]
        order = [project_part(v.id, k) for v in focused for k in PROJECT_PART_KINDS]
        order += list(ORG_PART_FIELDS)
        order += [project_part(v.id, k) for v in (*active, *archived) for k in PROJECT_PART_KINDS]
        return order

    async def _refresh(
        self, part_ids: list[str], on_progress: ProgressCallback | None
    ) -> SyncResult:
        run = _Run(_Queue(part_ids), len(part_ids), on_progress)
        await self._drain(run)
        return run.result

    async def _drain(self, run: _Run) -> None:
        async def worker() -> None:
            while run.fatal is None:
                part_id = run.queue.pop(self._focus)
                if part_id is None:
                    return
                await self._run_one(run, part_id)
            self._fail_remaining(run)

        workers = min(self.concurrency, max(1, len(run.queue)))
        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(worker())

    async def _run_one(self, run: _Run, part_id: str) -> None:
        label = self.label(part_id)
        try:
            values = await self._fetch(part_id)
        except ApiError as exc:
            self._mark_failed(run, [part_id], str(exc))
            run.result.offline |= isinstance(exc, OfflineError)
            if isinstance(exc, _GLOBAL_ERRORS):
                run.fatal = str(exc)
        except Exception as exc:  # noqa: BLE001 - one broken part must not stop the rest
            log.exception("refreshing %s failed", part_id)
            text = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
            self._mark_failed(run, [part_id], text)
        else:
            if values is None:
                run.result.skipped.append(part_id)
            else:
                now = self.session.now()
                self.session.update(lambda s: _with_values(s, part_id, values, now), [part_id])
                run.result.fetched.append(part_id)
        run.progress(label)

    def _mark_failed(self, run: _Run, part_ids: list[str], error: str) -> None:
        def mark(snapshot: OrgSnapshot) -> OrgSnapshot:
            for part_id in part_ids:
                if snapshot.has_part(part_id):
                    snapshot = snapshot.with_part_error(part_id, error)
            return snapshot

        self.session.update(mark, part_ids)
        for part_id in part_ids:
            run.result.errors[part_id] = error

    def _fail_remaining(self, run: _Run) -> None:
        rest = run.queue.drain()
        if rest and run.fatal is not None:
            self._mark_failed(run, rest, run.fatal)
            run.progress("Stopped")

    def label(self, part_id: str) -> str:
        """A part's name for people: "search-prod: keys", not its internal id."""
        pid, kind = split_part(part_id)
        if pid is None:
            return _ORG_LABELS[kind]
        view = self.session.snapshot.project(pid)
        name = (view.project.name if view else None) or pid
        return f"{name}: {_PROJECT_LABELS[kind]}"

    async def _fetch(self, part_id: str) -> dict[str, Any] | None:
        """The field values of one part, fresh from the API (None: its project is gone)."""
        client = self.session.client
        pid, kind = split_part(part_id)
        if pid is None:
            if kind == PROJECTS:
                return {PROJECTS: await _collect(client.iter_projects(include_archived=True))}
            if kind == "users":
                return {"users": await _collect(client.iter_users())}
            if kind == "invites":
                return {"invites": await _collect(client.iter_invites())}
            if kind == "admin_keys":
                return {"admin_keys": await _collect(client.iter_admin_keys())}
            limit = await client.get_org_spend_limit()
            alerts = await _collect(client.iter_org_spend_alerts())
            return {"org_spend_limit": limit, "org_spend_alerts": alerts}
        view = self.session.snapshot.project(pid)
        if view is None:
            return None
        try:
            return await self._fetch_project_part(pid, kind)
        except BadRequestError:
            # Archived projects have no members or service accounts: the API answers 400.
            if not view.archived:
                raise
            return _empty_project_part(kind)

    async def _fetch_project_part(self, pid: str, kind: str) -> dict[str, Any]:
        client = self.session.client
        if kind == "keys":
            return {"api_keys": await _collect(client.iter_project_api_keys(pid))}
        if kind == "service_accounts":
            return {"service_accounts": await _collect(client.iter_service_accounts(pid))}
        if kind == "users":
            return {"users": await _collect(client.iter_project_users(pid))}
        if kind == "rate_limits":
            return {"rate_limits": await _collect(client.iter_rate_limits(pid))}
        limit = await client.get_project_spend_limit(pid)
        alerts = await _collect(client.iter_project_spend_alerts(pid))
        return {"spend_limit": limit, "spend_alerts": alerts}


def _empty_project_part(kind: str) -> dict[str, Any]:
    return {name: (None if name == "spend_limit" else []) for name in PROJECT_PART_FIELDS[kind]}


def _with_values(
    snapshot: OrgSnapshot, part_id: str, values: dict[str, Any], now: float
) -> OrgSnapshot:
    pid, kind = split_part(part_id)
    if kind == PROJECTS and pid is None:
        return snapshot.with_projects(values[PROJECTS], now)
    if pid is None:
        snapshot = snapshot.with_org(**values)
    elif pid in snapshot.projects:
        snapshot = snapshot.with_project(pid, **values)
    else:
        return snapshot  # the project disappeared while its part was being fetched
    return snapshot.with_part_status(part_id, PartStatus(now))
