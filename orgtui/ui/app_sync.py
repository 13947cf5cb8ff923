"""The console's refreshes: per-profile sync state, the sync workers, and the messages they send
to every screen (`SyncProgress`, `SyncFinished`, `SnapshotChanged`). Offline is read from the
typed `SyncResult.offline`, never from the text of an error."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.worker import Worker

from orgtui.core.snapshot import PROJECTS
from orgtui.ui.compat import on_app_thread
from orgtui.ui.messages import SnapshotChanged, SyncFinished, SyncProgress

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.core.snapshot import OrgSnapshot
    from orgtui.core.sync import Syncer, SyncResult

__all__ = ["SyncMixin", "SyncState"]

# At most this often, after a refresh cycle, one full garbage collection reclaims what freezes
# held (`orgtui.perf_gc.settle`): tens of milliseconds at 10,000 keys, once per refresh period.
SETTLE_EVERY_S = 240.0


class SyncState:
    """Per-profile refresh state for the header."""

    def __init__(self) -> None:
        self.running = False
        self.progress: tuple[int, int] | None = None
        self.label = ""
        self.offline = False
        self.last_errors: dict[str, str] = {}
        # The last refresh got nothing and failed (a revoked key, offline): the org's reason.
        self.failed_all = False
        # Called when a refresh of this profile ends (e.g. the spend watch's deferred check).
        self.on_finish: list[Callable[[], None]] = []


class SyncMixin:
    """The app's refresh methods (mixed into `OrgTuiApp`)."""

    sync_states: dict[str, SyncState]
    syncers: dict[str, Syncer]
    sessions: list[Session]
    # profile -> why its connection cannot be used (`Connection.problem`): never synced.
    problems: dict[str, str]
    screen_stack: Any
    call_from_thread: Any
    run_worker: Any
    # When collections were last settled (time.monotonic; the app sets it at start).
    settled_at: float = 0.0

    def org_problem(self, profile: str) -> str | None:
        """Why an organisation shows no fresh data: its connection's problem (a missing key),
        or the error of a refresh that got nothing (a revoked key, offline); else None."""
        if profile in self.problems:
            return self.problems[profile]
        state = self.sync_states.get(profile)
        if state is None or not state.failed_all or not state.last_errors:
            return None
        first = next(iter(state.last_errors.values()))
        return f"offline: {first}" if state.offline else first

    def is_syncing(self, profile: str) -> bool:
        return self.sync_states[profile].running

    def sync_note(self, profile: str) -> str:
        """When the org was last refreshed in full and from the audit log, and what the last
        cycle cost (or why it had to be a full one)."""
        from orgtui.ui.text import clock_time, safe_str

        syncer = self.syncers.get(profile)
        last = syncer.last_cycle if syncer is not None else None
        if syncer is None or last is None or syncer.last_full_at is None:
            return ""
        full = f"full {clock_time(syncer.last_full_at)}"
        if last.mode == "incremental" and syncer.last_incremental_at is not None:
            return f"{full} · changes {clock_time(syncer.last_incremental_at)}, {last.requests} req"
        if last.full_reason:
            return f"{full} ({safe_str(last.full_reason, 60)})"
        return full

    def _periodic_refresh(self) -> None:
        if not any(state.running for state in self.sync_states.values()):
            self.refresh_changes()

    @work(exclusive=True, group="sync")
    async def refresh_changes(self, profile: str | None = None) -> None:
        """The periodic refresh: what the audit log says changed (a full one when it must)."""
        import asyncio

        sessions = self._syncable(profile)
        await asyncio.gather(*(self._run_sync(s, "changes") for s in sessions))

    def _syncable(self, profile: str | None) -> list[Session]:
        """The sessions to refresh (one profile or all), leaving out those with a problem."""
        return [
            s
            for s in self.sessions
            if profile in (None, s.profile.name) and s.profile.name not in self.problems
        ]

    def _subscriber(self, profile: str) -> Callable[[OrgSnapshot, tuple[str, ...]], None]:
        def on_change(snapshot: OrgSnapshot, parts: tuple[str, ...]) -> None:
            self._broadcast(lambda: SnapshotChanged(profile, snapshot, parts))

        return on_change

    def _broadcast(self, make: Callable[[], Message]) -> None:
        """Post a fresh message to every screen on the stack (from any thread)."""
        if not on_app_thread(self):  # type: ignore[arg-type]  # a mixin of OrgTuiApp
            self.call_from_thread(self._broadcast, make)
            return
        for screen in self.screen_stack:
            screen.post_message(make())

    @work(exclusive=True, group="sync")
    async def refresh_all(self, profile: str | None = None) -> None:
        """`R`: refresh every part of one organisation (or all of them)."""
        import asyncio

        sessions = self._syncable(profile)
        await asyncio.gather(*(self._run_sync(s, "all") for s in sessions))

    def refresh_scope(self, session: Session, part_ids: Sequence[str]) -> Worker[None]:
        """`r`: refresh some parts, in their own worker (does not cancel a full refresh)."""
        group = f"refresh:{session.profile.name}:{','.join(part_ids)}"

        async def run() -> None:
            await self._run_sync(session, list(part_ids))

        worker: Worker[None] = self.run_worker(
            run(), group=group, exclusive=True, exit_on_error=False
        )
        return worker

    async def _run_sync(self, session: Session, parts: str | list[str]) -> SyncResult:
        from orgtui.core.sync_result import SyncResult

        profile = session.profile.name
        if profile in self.problems:  # its connection cannot be used: nothing is requested
            return SyncResult()
        state = self.sync_states[profile]
        syncer = self.syncers[profile]
        state.running = True
        state.progress = (0, 0)

        def progress(done: int, total: int, label: str) -> None:
            state.progress = (done, total)
            state.label = label
            self._broadcast(lambda: SyncProgress(profile, done, total, label))

        self._broadcast(lambda: SyncProgress(profile, 0, 0, "starting"))
        try:
            if parts == "all":
                result = await syncer.refresh_all(on_progress=progress)
            elif parts == "changes":
                result = await syncer.refresh_incremental(on_progress=progress)
            else:
                result = await syncer.refresh_parts(parts, on_progress=progress)
        finally:
            state.running = False
            state.progress = None
        offline = not result.fetched and result.offline  # typed: set where it could not connect
        if result.fetched:
            state.offline = False
        elif offline:
            state.offline = True
        state.last_errors = dict(result.errors)
        # The organisation itself failed (a revoked key, offline): not even its project list.
        state.failed_all = PROJECTS in result.errors and not result.fetched
        self._broadcast(lambda: SyncFinished(profile, dict(result.errors), offline=offline))
        for hook in list(state.on_finish):
            hook()
        if parts in ("all", "changes"):  # a refresh cycle, not a few parts asked for
            self._settle_collections()
        return result

    def _settle_collections(self) -> None:
        import time

        from orgtui import perf_gc

        now = time.monotonic()
        if now - self.settled_at >= SETTLE_EVERY_S:
            self.settled_at = now
            perf_gc.settle()
