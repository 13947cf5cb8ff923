"""Spend alerts in the console: notify once when an alert is crossed or a limit enforces.

`SpendWatch` (one per app, `spend_watch(app)`) keeps the latest spend figures of each
organisation and re-evaluates them whenever the session's limits or alerts change (a refresh,
an edit). Costs are fetched again only when the cached ones are older than the usage poll
interval, so a full refresh of 500 projects costs one request, not 500.

A crossed alert or an enforcing limit produces exactly one toast and one terminal bell, then a
badge ("⚠ 1 alert") stays until the user has seen it (opening the spend screen). It notifies
again only after the condition cleared (next month, a raised threshold) and came back.

For the header (integrator): `alert_badge(app) -> str | None`, and screens receive
`SpendAlertsChanged` whenever the badge changes.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.message import Message

from orgtui.core.activity import FRESH_SECONDS, is_stale
from orgtui.core.activity_alerts import AlertMemory, Finding, findings
from orgtui.core.spend import SpendData, SpendSummary, summarise
from orgtui.core.usage_series import poll_interval
from orgtui.ui.compat import on_app_thread
from orgtui.ui.messages import SpendAlertsChanged, SpendUpdated

if TYPE_CHECKING:
    from textual.app import App

    from orgtui.core.session import Session

__all__ = [
    "AlertMemory",
    "Finding",
    "SpendAlertsChanged",
    "SpendUpdated",
    "SpendWatch",
    "alert_badge",
    "findings",
    "spend_watch",
]


def badge_text(unseen: int) -> str | None:
    if unseen <= 0:
        return None
    return f"⚠ {unseen} alert" + ("s" if unseen != 1 else "")


@dataclass
class _Figures:
    data: SpendData | None = None
    fetched_at: float | None = None  # app clock
    summary: SpendSummary | None = None
    error: str | None = None
    fetching: bool = False
    fetching_usage: bool = False
    again: bool = False  # fetch once more when this one ends
    generation: int = 0
    check_pending: bool = False  # a check waits for the refresh under way (or the next turn)


class SpendWatch:
    """The latest spend figures per organisation, and the alert notifications."""

    def __init__(self, app: App[Any]) -> None:
        self._app = weakref.ref(app)
        self.memory = AlertMemory()
        self._figures: dict[str, _Figures] = {}
        self._unsubscribe: list[Any] = []
        self.usage_wanted = 0  # >0 while a spend screen shows burn rates
        self.installed = False

    @property
    def app(self) -> Any:
        app = self._app()
        if app is None:
            raise RuntimeError("the app is gone")
        return app

    # ------------------------------------------------------------------ wiring

    def install(self) -> SpendWatch:
        """Follow every session's limit and alert changes (idempotent)."""
        if self.installed:
            return self
        self.installed = True
        states = getattr(self.app, "sync_states", {})
        for session in getattr(self.app, "sessions", ()):
            self._unsubscribe.append(session.subscribe(self._listener(session)))
            state = states.get(session.profile.name)
            if state is not None:
                hook = partial(self._call_in_app, self._refresh_ended, session)
                state.on_finish.append(hook)
                self._unsubscribe.append(partial(state.on_finish.remove, hook))
        return self

    def uninstall(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        self.installed = False

    def _listener(self, session: Session) -> Any:
        def on_change(snapshot: Any, parts: tuple[str, ...]) -> None:
            if any(p == "org_limits" or p.endswith(":limits") or p == "projects" for p in parts):
                self._call_in_app(self._check_soon, session)

        return on_change

    def _check_soon(self, session: Session) -> None:
        """`check`, coalesced: a refresh lands every project's limits part one by one, and a
        large organisation's evaluation is not free, so a change that lands during a refresh
        is checked once, when that refresh ends; any other change on the app's next turn."""
        figures = self.figures(session.profile.name)
        if figures.check_pending:
            return
        figures.check_pending = True
        is_syncing = getattr(self.app, "is_syncing", None)
        if is_syncing is None or not is_syncing(session.profile.name):
            self.app.call_later(self._run_pending, session)

    def _refresh_ended(self, session: Session) -> None:
        if self.figures(session.profile.name).check_pending:
            self.app.call_later(self._run_pending, session)

    def _run_pending(self, session: Session) -> None:
        figures = self.figures(session.profile.name)
        if figures.check_pending:
            figures.check_pending = False
            self.check(session)

    def _call_in_app(self, fn: Any, *args: Any) -> None:
        app = self._app()
        if app is None or not app.is_running:
            return
        if not on_app_thread(app):
            app.call_from_thread(fn, *args)
        else:
            fn(*args)

    # ------------------------------------------------------------------ state

    def figures(self, profile: str) -> _Figures:
        return self._figures.setdefault(profile, _Figures())

    def summary(self, profile: str) -> SpendSummary | None:
        return self.figures(profile).summary

    @property
    def unseen(self) -> int:
        return len(self.memory.unseen)

    def badge(self) -> str | None:
        return badge_text(self.unseen)

    def mark_seen(self) -> None:
        if self.memory.mark_seen():
            self._broadcast(SpendAlertsChanged(0, None))

    def max_age(self, session: Session) -> float:
        budget = getattr(session.client, "budget", None)
        rpm = getattr(budget, "requests_per_minute", None)
        return poll_interval(getattr(session.profile, "usage_poll_seconds", 60), rpm)

    # ------------------------------------------------------------------ refresh

    def check(self, session: Session) -> None:
        """Re-evaluate from cached costs, or fetch them first when they are too old."""
        figures = self.figures(session.profile.name)
        now = session.clock.now()
        if is_stale(figures.fetched_at, now, self.max_age(session)):
            self.request(session)
        elif figures.data is not None:
            self.evaluate(session)

    def request(self, session: Session, *, force: bool = False) -> Any:
        """Fetch the spend figures in a worker (skipped when a fetch is already running)."""
        if session.profile.name in getattr(self.app, "problems", {}):
            return None  # its connection cannot be used (a missing key): nothing is asked
        figures = self.figures(session.profile.name)
        if figures.fetching and not force:
            if self.usage_wanted > 0 and not figures.fetching_usage:
                figures.again = True  # a spend screen opened meanwhile: it wants burn rates
            return None
        return self.app.run_worker(
            # not a coroutine: a cancelled start leaks none
            partial(self.refresh, session, max_age=0.0 if force else FRESH_SECONDS),
            group=f"spend-watch:{session.profile.name}",
            exclusive=True,
            exit_on_error=False,
        )

    async def refresh(
        self, session: Session, max_age: float = FRESH_SECONDS
    ) -> SpendSummary | None:
        profile = session.profile.name
        figures = self.figures(profile)
        figures.generation += 1
        mine = figures.generation
        figures.fetching, figures.fetching_usage = True, self.usage_wanted > 0
        now = session.clock.now()
        try:
            got = await session.activity.spend(
                now, include_usage=figures.fetching_usage, max_age=max_age
            )
        finally:
            if figures.generation == mine:  # a newer fetch (force) owns the flag now
                figures.fetching = False
        if got.value is None:
            figures.error = str(got.problem)
            self._broadcast(SpendUpdated(profile, figures.summary, figures.error))
            return figures.summary
        figures.data, figures.fetched_at, figures.error = got.value, now, None
        summary = self.evaluate(session)
        if figures.again:
            figures.again = False
            self.request(session)
        return summary

    def evaluate(self, session: Session) -> SpendSummary | None:
        profile = session.profile.name
        figures = self.figures(profile)
        if figures.data is None:
            return None
        summary = summarise(session.snapshot, figures.data)
        figures.summary = summary
        self._broadcast(SpendUpdated(profile, summary, figures.error))
        found, known = findings(summary, profile)
        new = self.memory.observe(found, known, profile)
        if new:
            self._tell(new)
        return summary

    def _tell(self, new: list[Finding]) -> None:
        app = self.app
        lines = [f.text for f in new[:4]]
        if len(new) > 4:
            lines.append(f"…and {len(new) - 4} more (press s for Spend)")
        app.notify(
            "\n".join(lines),
            title="Spend alert",
            severity="error" if any(f.enforcing for f in new) else "warning",
            markup=False,
            timeout=20,
        )
        app.bell()
        self._broadcast(SpendAlertsChanged(self.unseen, self.badge()))

    def _broadcast(self, message: Message) -> None:
        app = self._app()
        if app is None:
            return
        for screen in list(app.screen_stack):
            screen.post_message(_copy(message))


def _copy(message: Message) -> Message:
    """A fresh message per screen (a message object is delivered once)."""
    if isinstance(message, SpendUpdated):
        return SpendUpdated(message.profile, message.summary, message.error)
    if isinstance(message, SpendAlertsChanged):
        return SpendAlertsChanged(message.unseen, message.badge)
    return message


_WATCHES: weakref.WeakKeyDictionary[Any, SpendWatch] = weakref.WeakKeyDictionary()


def spend_watch(app: App[Any]) -> SpendWatch:
    """The app's watch, created and installed on first use."""
    watch = _WATCHES.get(app)
    if watch is None:
        watch = _WATCHES[app] = SpendWatch(app)
    return watch.install()


def alert_badge(app: App[Any]) -> str | None:
    """ "⚠ 2 alerts" while alerts are unseen, else None (for the header)."""
    watch = _WATCHES.get(app)
    return watch.badge() if watch is not None else None
