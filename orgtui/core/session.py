"""The live session: one profile's client, cache, clock, action registry and current snapshot.

Everything that changes the organisation view goes through `Session.apply`: it merges the
changed parts into the current snapshot, persists those parts to the cache (one transaction) and
tells the subscribers. Free of textual: the UI subscribes and re-posts as messages.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from orgtui.core.clock import Clock, SystemClock
from orgtui.core.snapshot import OrgSnapshot
from orgtui.perf_gc import freeze_after

if TYPE_CHECKING:
    from orgtui.api.client import AdminClient
    from orgtui.config import Profile
    from orgtui.core.actions import ActionRegistry
    from orgtui.core.activity import Activity
    from orgtui.core.cache import Cache

__all__ = ["Session", "Subscriber"]

log = logging.getLogger(__name__)

Subscriber = Callable[[OrgSnapshot, tuple[str, ...]], None]


class Session:
    """What actions, services and sync are given.

    `read_only` is the profile's setting, or the explicit flag (`--read-only`), or the registry's;
    the registry is kept in step because it is where mutations are refused.
    """

    def __init__(
        self,
        profile: Profile,
        client: AdminClient,
        cache: Cache | None,
        clock: Clock | None = None,
        registry: ActionRegistry | None = None,
        *,
        read_only: bool | None = None,
        snapshot: OrgSnapshot | None = None,
        headers_first: bool = False,
    ) -> None:
        self.profile = profile
        self.client = client
        self.cache = cache
        self.clock: Clock = clock or SystemClock()
        if registry is None:
            from orgtui.core.actions import ActionRegistry

            registry = ActionRegistry()
        self.registry = registry
        self._read_only = False
        self.read_only = bool(
            read_only or getattr(profile, "read_only", False) or registry.read_only
        )
        self.cache_error: str | None = None  # the last failure to persist, for the UI to show
        self._subscribers: list[Subscriber] = []
        self._lock = threading.RLock()
        # The plain first-frame snapshot (project rows, no pydantic) until `load_models`.
        self._headers: OrgSnapshot | None = None
        if snapshot is None and headers_first:
            snapshot = self._headers = self._initial_snapshot(headers_only=True)
        self._snapshot = snapshot if snapshot is not None else self._initial_snapshot()

    def load_models(self) -> None:
        """Swap the first frame's plain snapshot for the cached models (pydantic loads here).
        The app calls it right after the first frame; any change to the snapshot calls it
        first, so a change never lands on (or saves) plain rows."""
        with self._lock:
            headers, self._headers = self._headers, None
            if headers is None:
                return
            full = self._initial_snapshot()
            self._snapshot = full
            parts = tuple(dict.fromkeys([*headers.all_part_ids(), *full.all_part_ids()]))
        self._notify(parts)

    def _initial_snapshot(self, *, headers_only: bool = False) -> OrgSnapshot:
        name = str(getattr(self.profile, "name", "default"))
        org_name = getattr(self.profile, "org_name", None)
        cached = None
        if self.cache is not None:
            try:
                cached = self.cache.load(headers_only=headers_only)
            except Exception as exc:  # noqa: BLE001 - a cache must never stop the console
                log.warning("cache load failed: %s", exc)
                self.cache_error = f"The cache could not be read: {exc}"
        if cached is None:
            return OrgSnapshot.empty(name, org_name)
        if org_name and cached.org_name != org_name:
            cached = cached.with_org(org_name=org_name)
        return cached

    # ------------------------------------------------------------------ state

    @property
    def snapshot(self) -> OrgSnapshot:
        return self._snapshot

    @property
    def read_only(self) -> bool:
        return self._read_only

    @read_only.setter
    def read_only(self, value: bool) -> None:
        self._read_only = bool(value)
        self.registry.read_only = self._read_only

    @property
    def notice(self) -> str | None:
        """A message about the cache for the UI (damaged and rebuilt, unusable, not written)."""
        if self.cache_error:
            return self.cache_error
        return self.cache.notice if self.cache is not None else None

    @property
    def activity(self) -> Activity:
        """Spend, costs, usage and audit reads, shared and kept fresh (`core/activity.py`)."""
        found: Activity | None = self.__dict__.get("_activity")
        if found is None:
            from orgtui.core.activity import Activity

            found = self.__dict__["_activity"] = Activity(self)
        return found

    def now(self) -> float:
        return self.clock.now()

    # ------------------------------------------------------------------ changes

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call `callback(snapshot, changed_parts)` after every apply; returns an unsubscribe."""
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def apply(self, new_snapshot: OrgSnapshot, changed_parts: Iterable[str]) -> OrgSnapshot:
        """Take the listed parts from `new_snapshot`, persist them, notify; returns the result.

        Only the listed parts are taken (data and status), so build `new_snapshot` from
        `session.snapshot` and list every part you changed (for a new project, "projects").
        """
        return self.update(lambda _current: new_snapshot, changed_parts)

    def update(
        self, change: Callable[[OrgSnapshot], OrgSnapshot], changed_parts: Iterable[str]
    ) -> OrgSnapshot:
        """`apply(change(current), changed_parts)`, atomic with respect to other threads."""
        parts = tuple(dict.fromkeys(changed_parts))
        self.load_models()
        with self._lock:
            merged = self._snapshot.merge_parts(change(self._snapshot), parts)
            self._snapshot = merged
            self._persist(merged, parts)
        self._notify(parts)
        freeze_after(_items(merged, parts))
        return merged

    def replace_all(self, snapshot: OrgSnapshot) -> OrgSnapshot:
        """Replace the whole snapshot (every part, every status) and persist all of it."""
        self.load_models()
        with self._lock:
            parts = tuple(dict.fromkeys([*self._snapshot.all_part_ids(), *snapshot.all_part_ids()]))
            self._snapshot = snapshot
            self._persist(snapshot, parts)
        self._notify(parts)
        return snapshot

    def _notify(self, parts: tuple[str, ...]) -> None:
        # Outside the lock (a subscriber may hand over to the UI thread and wait), and with the
        # latest snapshot, so notifications from two threads can never go back in time.
        snapshot = self._snapshot
        for callback in list(self._subscribers):
            try:
                callback(snapshot, parts)
            except Exception:  # a broken view must not break the data flow
                log.exception("session subscriber %r failed", callback)

    def _persist(self, snapshot: OrgSnapshot, parts: tuple[str, ...]) -> None:
        if self.cache is None or not parts:
            return
        try:
            self.cache.save_parts(snapshot, parts)
            self.cache_error = None
        except Exception as exc:  # noqa: BLE001 - keep working from memory, and say so
            log.warning("cache write failed: %s", exc)
            self.cache_error = f"The cache could not be written ({type(exc).__name__}: {exc})"

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    def __repr__(self) -> str:
        name: Any = getattr(self.profile, "name", "?")
        return f"Session(profile={name!r}, read_only={self.read_only})"


def _items(snapshot: OrgSnapshot, parts: tuple[str, ...]) -> int:
    """How many items the listed parts hold (their lists' lengths), to size a freeze."""
    total = 0
    for part_id in parts:
        try:
            data = snapshot.part_data(part_id)
        except ValueError:  # not a part this snapshot knows
            continue
        for value in (data or {}).values():
            if isinstance(value, list):
                total += len(value)
    return total
