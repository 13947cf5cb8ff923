"""The live usage graph: one kind of usage, every kind stacked, or daily cost, polled in a worker.

Used by the main screen's usage strip (scope follows the tree) and by the spend screen.

    graph = UsageGraph()                      # scope: the app's active organisation
    graph.set_scope(session, project_id)      # the strip calls this as the selection moves
    graph.set_key_filter(key_id)              # the spend screen filters to one key

Keys (registry scope `spend`): `g` cycles the range (1m, 1h, 1d, cost), `G` the grouping
(none, project, key, model), `u` the kind (completions, embeddings, moderations, images, speech,
transcription, vector stores, code interpreter, all kinds stacked, cost), `p` pauses polling.
It polls every `profile.usage_poll_seconds` (never faster than the client's request budget
allows, see `usage_series.poll_interval`) and only while its screen is the one shown. One poll
is one request (a single page of buckets) of the kind on screen; stacked, one per kind (each
its own endpoint). Kinds not on screen are not fetched. Drawing: `usage_graph_paint`.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Static
from textual.worker import Worker
from textual_plotext import PlotextPlot

from orgtui.core.actions import SPEND
from orgtui.core.activity import FRESH_SECONDS
from orgtui.core.clock import Clock, ClockTimer, Scheduler, SystemClock, scheduler_for
from orgtui.core.usage_kinds import ALL, GRAPH_KINDS, stack
from orgtui.core.usage_series import (
    GROUPS,
    RANGES,
    GraphData,
    GraphQuery,
    cycle,
    graph_query,
    poll_interval,
    series_labels,
    shape,
)
from orgtui.ui.bindings import ScopedActions, scope_bindings
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.usage.graph_paint import paint_caption, paint_legend, paint_plot
from orgtui.ui.messages import RequestsMade
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.core.session import Session

SYSTEM_CLOCK = SystemClock()  # when neither a session nor the app has one (a bare widget)
SCOPE_SETTLE_SECONDS = 0.4  # fetch for a new scope once the selection has rested this long


def shown(screen: Any) -> bool:
    """Whether a screen is on show: the top one, or under dialogs only.

    (Textual's `Screen.is_current` also counts the screen just below the top one.)
    """
    stack = list(screen.app.screen_stack)
    if screen not in stack:
        return False
    return all(above.is_modal for above in stack[stack.index(screen) + 1 :])


class UsageGraph(ScopedActions, Vertical, can_focus=True):
    """Caption, chart, legend. The chart is a textual-plotext `PlotextPlot`."""

    SCOPES: ClassVar[tuple[str, ...]] = (SPEND,)
    BINDINGS: ClassVar[list[BindingType]] = list(scope_bindings(SPEND))
    DEFAULT_CSS = """
    UsageGraph { height: 10; background: $surface; }
    UsageGraph:focus-within { background: $surface-lighten-1; }
    UsageGraph > #graph-caption { height: 1; padding: 0 1; background: $panel; }
    UsageGraph > #graph-plot { height: 1fr; min-height: 3; background: transparent; }
    UsageGraph > #graph-legend { height: auto; max-height: 2; padding: 0 1; }
    """

    def __init__(
        self,
        *,
        range_id: str = "1m",
        group: str = "none",
        kind: str = "completions",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.range_id = range_id
        self.group = group
        self.kind = kind  # one of GRAPH_KINDS; cost is the range "cost"
        self.kind_errors: list[str] = []  # stacked: the kinds that could not be read
        self._usage_range = range_id if range_id != "cost" else "1m"
        self.paused = False
        self.session: Session | None = None
        self.project_id: str | None = None
        self.api_key_id: str | None = None
        self.data: GraphData | None = None
        self.error: str | None = None
        self.fetching = False
        self.fetched_at: float | None = None
        self._worker: Worker[None] | None = None
        self._settle_timer: ClockTimer | None = None
        self._poll_timer: ClockTimer | None = None
        self.settle_seconds = SCOPE_SETTLE_SECONDS
        self._pending = False  # a poll is due once the screen is shown again

    def compose(self) -> ComposeResult:
        yield Static(id="graph-caption")
        plot = PlotextPlot(id="graph-plot")
        plot.theme = "clear"  # the widget's own background shows
        yield plot
        yield Static(id="graph-legend")

    @property
    def plot(self) -> PlotextPlot:
        return self.query_one(PlotextPlot)

    def on_mount(self) -> None:
        from orgtui.ui.features.spend.alerts_watch import spend_watch

        spend_watch(self.app)
        if self.session is None:
            self.session = getattr(self.app, "session", None)
        self._poll_timer = self._scheduler().every(self.interval(), self._tick, "usage-poll")
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self._paint()
        # After the first frame: the request (and in the demo, building the sandbox) must not
        # delay the cached organisation appearing.
        # The first load shares a fresh answer another view of the same window already has.
        self.call_after_refresh(partial(self.poll, max_age=FRESH_SECONDS))

    # ------------------------------------------------------------------ scope and modes

    def action_context(self) -> ActionContext:
        return ActionContext(
            scope=SPEND, project_id=self.project_id, extra={"graph": self}, session=self.session
        )

    def set_scope(self, session: Session | None, project_id: str | None) -> None:
        """Follow the selected organisation or project (the usage strip calls this)."""
        if session is self.session and project_id == self.project_id:
            return
        self.session, self.project_id, self.api_key_id = session, project_id, None
        self.data = None
        self.error = self._unusable()
        if not self.is_mounted:
            return
        if self.error is not None:  # its connection cannot be used: say why, ask for nothing
            self._paint()
            return
        # Moving through the tree with j/k must not send a request per node passed over.
        if self._settle_timer is not None:
            self._settle_timer.stop()
        self._paint()
        self._settle_timer = self._scheduler().after(
            self.settle_seconds, self._settled, "usage-scope"
        )

    def _unusable(self) -> str | None:
        """Why the organisation shown cannot be asked at all (a missing key), else None."""
        if self.session is None:
            return None
        problems: dict[str, str] = getattr(self.app, "problems", {})
        problem = problems.get(self.session.profile.name)
        return None if problem is None else safe_str(problem, 160)

    def _scheduler(self) -> Scheduler:
        """Timers on the session's clock: a frozen clock holds them until it is moved."""
        session: Session | None = self.session or getattr(self.app, "session", None)
        clock: Clock = (
            session.clock if session is not None else getattr(self.app, "clock", SYSTEM_CLOCK)
        )
        return scheduler_for(clock)

    def on_unmount(self) -> None:
        for timer in (self._settle_timer, self._poll_timer):
            if timer is not None:
                timer.stop()
        self._settle_timer = self._poll_timer = None

    def _settled(self) -> None:
        self._settle_timer = None
        self._restart()

    @property
    def scope_pending(self) -> bool:
        """A scope change is waiting for the selection to rest."""
        return self._settle_timer is not None

    def set_key_filter(self, api_key_id: str | None, project_id: str | None = None) -> None:
        """Show one key only (None: every key of the scope)."""
        if api_key_id == self.api_key_id and project_id == self.project_id:
            return
        self.api_key_id, self.project_id = api_key_id, project_id
        self.data = None
        self._restart()

    def cycle_range(self) -> str:
        self.range_id = cycle(RANGES, self.range_id)
        if self.range_id != "cost":
            self._usage_range = self.range_id
        self.data = None
        self._restart()
        return self.range_id

    def cycle_kind(self) -> str:
        """The next kind: each kind of usage, then all of them stacked, then cost in dollars,
        then back to the first kind (in the range it had before cost)."""
        if self.range_id == "cost":
            self.range_id, self.kind = self._usage_range, GRAPH_KINDS[0]
        elif self.kind == ALL:
            self._usage_range, self.range_id = self.range_id, "cost"
        else:
            self.kind = cycle(GRAPH_KINDS, self.kind)
        self.data = None
        self._restart()
        return "cost" if self.range_id == "cost" else self.kind

    def cycle_group(self) -> str:
        self.group = cycle(GROUPS, self.group)
        self.data = None
        self._restart()
        return self.group

    def toggle_pause(self) -> bool:
        """Pause (no requests at all) or resume (one poll now, then on the interval)."""
        self.paused = not self.paused
        if self.paused and self._worker is not None:
            self._worker.cancel()
            self.fetching = False
        self._paint_caption()
        if not self.paused:
            self.poll()
        return self.paused

    def _restart(self) -> None:
        if not self.is_mounted:
            return
        self._paint()
        if shown(self.screen):
            self.poll(force=True)
        else:  # covered by another screen: fetch when it is shown again
            self._pending = True

    # ------------------------------------------------------------------ polling

    def interval(self) -> float:
        session = self.session or getattr(self.app, "session", None)
        configured = getattr(getattr(session, "profile", None), "usage_poll_seconds", 60)
        budget = getattr(getattr(session, "client", None), "budget", None)
        return poll_interval(configured, getattr(budget, "requests_per_minute", None))

    def _tick(self) -> None:
        if shown(self.screen):
            self.poll()
        else:
            self._pending = True

    def _screen_changed(self, screen: Any) -> None:
        if self._pending and shown(self.screen):
            self._pending = False
            self.poll(force=True)

    def query_now(self) -> GraphQuery | None:
        if self.session is None:
            return None
        return graph_query(
            self.range_id,
            self.group,
            self.session.clock.now(),
            project_id=self.project_id,
            api_key_id=self.api_key_id,
            usage_kind=self.kind,
        )

    def poll(self, *, force: bool = False, max_age: float = 0.0) -> Worker[None] | None:
        """Fetch now, in a worker; never while paused, at most one fetch at a time. `max_age`:
        how old an answer another caller already has may be (0: new figures)."""
        if self.paused or self.session is None or self._unusable() is not None:
            return None
        running = self._worker is not None and self._worker.is_running
        if running and not force:
            return None
        query = self.query_now()
        if query is None:
            return None
        self.fetching = True
        self._paint_caption()
        self._worker = self.run_worker(
            partial(self._fetch, self.session, query, max_age),
            group="usage-graph",
            exclusive=True,
            exit_on_error=False,
        )
        return self._worker

    async def _fetch(self, session: Session, query: GraphQuery, max_age: float = 0.0) -> None:
        if query.kind != "costs" and query.usage_kind == ALL:
            await self._fetch_stacked(session, query, max_age)
            return
        got = await session.activity.usage(query, max_age=max_age)
        self.post_message(RequestsMade())
        if got.problem is not None:
            self.error = safe_str(got.problem, 160)
            self.fetching = False
            self._paint_caption()
            if self.data is None:
                self._paint_legend()  # not "loading…" any more: the caption says why
            return
        current = self.query_now()
        if current is None or current.mode != query.mode:
            return  # the scope or mode moved on while this was in flight
        self.data = shape(query, got.value or [], series_labels(session.snapshot))
        self.error = None
        self.fetching = False
        self.fetched_at = got.fetched_at
        self._paint()

    async def _fetch_stacked(self, session: Session, query: GraphQuery, max_age: float) -> None:
        """Every kind, ungrouped, one request each; a kind that fails is named, not fatal."""
        got = await session.activity.stacked(query, max_age=max_age)
        self.post_message(RequestsMade())
        current = self.query_now()
        if current is None or current.mode != query.mode:
            return
        stacked = got.value
        per_kind, failed = (stacked.per_kind, stacked.failed) if stacked else ({}, [])
        self.kind_errors = failed
        self.error = None if per_kind else "no kind of usage could be read"
        self.fetching = False
        if per_kind:
            self.data = stack(per_kind, query)
            self.fetched_at = got.fetched_at
        self._paint()

    # ------------------------------------------------------------------ painting

    def _paint(self) -> None:
        if not self.is_mounted:
            return
        self._paint_caption()
        self._paint_plot()
        self._paint_legend()

    def _scope_name(self) -> str:
        session = self.session
        if session is None:
            return ""
        snap = session.snapshot
        if self.api_key_id:
            return series_labels(snap)("key", self.api_key_id)
        view = snap.project(self.project_id) if self.project_id else None
        if view is not None:
            return view.project.name or view.project.id
        return snap.org_name or session.profile.name

    def _paint_caption(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#graph-caption", Static).update(paint_caption(self))

    def _paint_plot(self) -> None:
        paint_plot(self)

    def _paint_legend(self) -> None:
        legend = self.query_one("#graph-legend", Static)
        if self.data is None:
            if self.paused:  # no request while paused: say what brings this view
                key = getattr(getattr(self.app, "registry", None), "key_for", lambda _: "p")
                legend.update(
                    Text(f"Paused: press {key('graph.pause') or 'p'} to resume and load this view")
                )
                return
            legend.update(Text("loading…" if not self.error else "", style="dim"))
            return
        legend.update(paint_legend(self))

    def on_resize(self) -> None:
        self._paint()
