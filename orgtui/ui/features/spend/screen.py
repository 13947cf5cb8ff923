"""The spend screen (`s` from anywhere, `orgtui --spend`): where the money is going, now.

    header
    $1,468.23  of $40,000.00 org limit ███░░░ 3.7% · forecast $2,502.96     (big at 32+ rows)
    Today $39.95 · $2.76/h · 31 req/min · 152k tok/min (last hour)
    Per hour, last 60 min: completions 1,864 req · embeddings 620 req · ... · code interpreter 3 sessions
    ⚠ 3 project(s) without a hard limit: data-pipeline, ...
    Project        Month  Hard limit  Used      Alerts  Forecast  Today    (org first)
    Top key        Project         Today    Month
    live usage graph
    footer

Figures are `summarise(...)` of the spend watch (`alerts_watch.SpendWatch`), refreshed on open,
with `r`, and every poll interval unless paused (`p` pauses the graph and the figures: no
requests at all). The per-kind line is the incident report's (`core.incident`: the same
figures as the incident panel and `spend --once`), read with them. Opening the screen marks
spend alerts as seen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Digits, Static

from orgtui.core import actions as A
from orgtui.core.clock import scheduler_for
from orgtui.core.money import format_usd
from orgtui.core.snapshot import project_part
from orgtui.ui.bindings import scope_bindings
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.spend.alerts_watch import SpendUpdated, spend_watch
from orgtui.ui.features.spend.rows import (
    key_rows,
    kinds_line,
    notices,
    overview,
    project_rows,
    resolve_styles,
)
from orgtui.ui.features.spend.tables import SpendProjectsTable, TopKeysTable
from orgtui.ui.features.usage.graph import UsageGraph, shown
from orgtui.ui.messages import RequestsMade, SnapshotChanged, SyncFinished, SyncProgress
from orgtui.ui.text import clock_time, safe_str
from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.header import ConsoleHeader, header_state
from orgtui.ui.widgets.vtable import VirtualTable

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.core.spend import SpendSummary
    from orgtui.ui.app import OrgTuiApp


class SpendScreen(Screen[None]):
    """Month to date against the limits, per project, top keys, and the live graph."""

    app: OrgTuiApp
    BINDINGS: ClassVar[list[BindingType]] = list(scope_bindings(A.SPEND))
    # Textual declares these `ClassVar[...] | None`, which mypy reads as instance variables.
    VERTICAL_BREAKPOINTS: list[tuple[int, str]] | None = [(0, "-short"), (32, "-tall")]
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = [
        (0, "-narrow"),
        (100, "-wide"),
    ]
    DEFAULT_CSS = """
    SpendScreen { background: $background; }
    SpendScreen #spend-top { height: auto; padding: 0 1; background: $surface; }
    SpendScreen #spend-big { display: none; width: auto; margin-right: 2; color: $text-primary; }
    SpendScreen.-tall #spend-big { display: block; }
    SpendScreen #spend-big-label { display: none; }
    SpendScreen.-tall #spend-big-label { display: block; color: $text-muted; }
    SpendScreen #spend-big-box { width: auto; height: auto; }
    SpendScreen #spend-overview { width: 1fr; height: auto; text-wrap: nowrap;
        text-overflow: ellipsis; }
    SpendScreen #spend-kinds { height: 1; padding: 0 1; background: $surface;
        text-wrap: nowrap; text-overflow: ellipsis; }
    SpendScreen.-tall #spend-kinds { height: auto; max-height: 2; text-wrap: wrap; }
    SpendScreen #spend-notices { height: 1; padding: 0 1; background: $surface;
        text-wrap: nowrap; text-overflow: ellipsis; }
    SpendScreen #spend-projects { height: 1fr; min-height: 4; }
    SpendScreen #spend-keys { height: 4; }
    SpendScreen.-tall #spend-keys { height: 7; margin-top: 1; }
    SpendScreen #spend-graph { height: 8; }
    SpendScreen.-tall #spend-graph { height: 15; margin-top: 1; }
    SpendScreen .spend--warn { color: $text-warning; text-style: bold; }
    SpendScreen .spend--error { color: $text-error; text-style: bold; }
    SpendScreen .spend--muted { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"spend--warn", "spend--error", "spend--muted"}

    def __init__(self, session: Session | None = None) -> None:
        # A second spend screen can sit higher in the stack (Spend -> a -> s): ids are unique.
        taken = any(screen.id == "spend" for screen in self.app.screen_stack)
        super().__init__(id=None if taken else "spend")
        self._session = session
        self.summary: SpendSummary | None = None
        self.error: str | None = None
        self._reevaluate_pending = False
        self.kinds_report: Any = None  # IncidentReport: every kind of usage
        self.kinds_error: str | None = None

    # ------------------------------------------------------------------ layout

    @property
    def session(self) -> Session:
        return self._session or self.app.session

    def compose(self) -> ComposeResult:
        yield ConsoleHeader(id="header")
        with Horizontal(id="spend-top"):
            with Vertical(id="spend-big-box"):
                yield Digits("", id="spend-big")
                yield Static("month to date", id="spend-big-label")
            yield Static(id="spend-overview")
        yield Static(id="spend-kinds")
        yield Static(id="spend-notices")
        yield SpendProjectsTable(id="spend-projects")
        yield TopKeysTable(id="spend-keys")
        yield UsageGraph(id="spend-graph")
        yield OrgFooter()

    @property
    def graph(self) -> UsageGraph:
        return self.query_one(UsageGraph)

    @property
    def projects_table(self) -> SpendProjectsTable:
        return self.query_one(SpendProjectsTable)

    @property
    def keys_table(self) -> TopKeysTable:
        return self.query_one(TopKeysTable)

    def on_mount(self) -> None:
        session = self.session
        for table in (self.projects_table, self.keys_table):
            table.session = session
        self.graph.set_scope(session, None)
        watch = spend_watch(self.app)
        watch.usage_wanted += 1
        self.summary = watch.summary(session.profile.name)
        self._paint()
        self.projects_table.focus()
        self.refresh_figures()
        # On the session's clock (a frozen clock in tests holds it until it is moved).
        self._poll = scheduler_for(session.clock).every(
            self.graph.interval(), self._tick, "spend-poll"
        )

    def on_unmount(self) -> None:
        poll = getattr(self, "_poll", None)
        if poll is not None:
            poll.stop()
        watch = spend_watch(self.app)
        watch.usage_wanted = max(0, watch.usage_wanted - 1)

    def action_context(self) -> ActionContext:
        return self.graph.action_context()

    def action_orgtui(self, action_id: str) -> None:
        self.app.start_action(action_id, self.action_context())

    # ------------------------------------------------------------------ refresh

    @property
    def paused(self) -> bool:
        return self.graph.paused

    def _tick(self) -> None:
        if shown(self) and not self.paused:
            self.refresh_figures()

    def refresh_figures(self) -> None:
        if not self.paused:
            spend_watch(self.app).request(self.session)
            self.run_worker(self._read_kinds(), group="refresh-spend-kinds", exclusive=True)

    async def _read_kinds(self) -> None:
        """Every kind of usage, as the incident panel reads it (at most 12 requests)."""
        session = self.session
        got = await session.activity.kinds(session.clock.now(), max_age=0.0)
        if got.value is not None:
            self.kinds_report, self.kinds_error = got.value, None
        else:
            self.kinds_error = safe_str(got.problem, 160)
        self.post_message(RequestsMade())
        self._paint_kinds()

    def _paint_kinds(self) -> None:
        self.query_one("#spend-kinds", Static).update(
            resolve_styles(kinds_line(self.kinds_report, self.kinds_error), self._styles())
        )

    def refresh_focused(self) -> None:
        """`r`: spend figures, the graph, and the limits and alerts of every project."""
        session = self.session
        self.notify("Refreshing spend, limits and alerts…", timeout=2)
        parts = ["org_limits"] + [project_part(pid, "limits") for pid in session.snapshot.projects]
        self.app.refresh_scope(session, parts)
        spend_watch(self.app).request(session, force=True)
        self.run_worker(self._read_kinds(), group="refresh-spend-kinds", exclusive=True)
        self.graph.poll(force=True)

    def filter_graph(self, *, project_id: str | None, api_key_id: str | None = None) -> None:
        """`f`: show one project or key in the graph; the same again (or the org) shows all."""
        graph = self.graph
        same = (graph.project_id, graph.api_key_id) == (project_id, api_key_id)
        if same or (project_id is None and api_key_id is None):
            graph.set_key_filter(None, None)
        else:
            graph.set_key_filter(api_key_id, project_id)

    # ------------------------------------------------------------------ messages

    def on_spend_updated(self, message: SpendUpdated) -> None:
        if message.profile != self.session.profile.name:
            return
        self.summary = message.summary
        self.error = message.error
        self._paint()

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        self._update_header()
        if message.profile != self.session.profile.name or self._reevaluate_pending:
            return
        # Names, limits or alerts changed: recompute from the cached costs, once per burst.
        self._reevaluate_pending = True
        self.call_later(self._reevaluate)

    def _reevaluate(self) -> None:
        self._reevaluate_pending = False
        spend_watch(self.app).evaluate(self.session)

    def on_sync_progress(self, message: SyncProgress) -> None:
        self._update_header()

    def on_sync_finished(self, message: SyncFinished) -> None:
        self._update_header()

    @on(VirtualTable.Selected, "#spend-projects")
    def _open_limits(self, event: VirtualTable.Selected) -> None:
        event.stop()
        scope = self.projects_table.scope_row()
        if scope is None:
            return
        from orgtui.ui.features.spend.limits import LimitsScreen

        self.app.push_screen(LimitsScreen(self.session, scope.project_id))

    @on(VirtualTable.Selected, "#spend-keys")
    def _open_key(self, event: VirtualTable.Selected) -> None:
        """enter on a top key: to that key in its project's Keys tab (`f` graphs it)."""
        event.stop()
        spend = self.keys_table.spend()
        if spend is None:
            return
        if spend.deleted or spend.project_id is None:
            self.notify(
                f"{safe_str(spend.name, 80)} no longer exists: nothing to open",
                severity="warning",
                markup=False,
            )
            return
        from orgtui.core.health import ObjectRef
        from orgtui.ui.features.shell.reveal import jump_to

        ref = ObjectRef("api_key", spend.id, spend.name, spend.project_id)
        self.app.run_worker(
            jump_to(self.app, self.session.profile.name, ref), group="jump", exclusive=True
        )

    # ------------------------------------------------------------------ painting

    def _styles(self) -> dict[str, Any]:
        return {
            name: self.get_component_rich_style(f"spend--{name}", partial=True)
            for name in ("warn", "error", "muted")
        }

    def _paint(self) -> None:
        self._update_header()
        summary = self.summary
        big = self.query_one("#spend-big", Digits)
        overview_widget = self.query_one("#spend-overview", Static)
        notices_widget = self.query_one("#spend-notices", Static)
        styles = self._styles()
        if summary is None:
            big.update("…")
            waiting = f"⚠ {safe_str(self.error, 200)}" if self.error else "Loading spend figures…"
            overview_widget.update(Text(waiting))
            notices_widget.update("")
            return
        if shown(self):
            spend_watch(self.app).mark_seen()
        big.update(format_usd(summary.org.month_to_date_usd))
        tall = self.has_class("-tall")
        text = overview(summary, tall=tall, wide=self.has_class("-wide"))
        if self.error:
            text.append(f"\n⚠ not refreshed: {safe_str(self.error, 160)}", style="error")
        elif tall:
            text.append(f" · as of {clock_time(summary.generated_at)}", style="muted")
        overview_widget.update(resolve_styles(text, styles))
        notices_widget.update(resolve_styles(notices(summary), styles))
        self._paint_kinds()
        self.projects_table.set_rows(project_rows(summary.org, summary.projects))
        self.keys_table.set_rows(key_rows(summary.keys))

    def on_screen_resume(self) -> None:
        if self.summary is not None:
            spend_watch(self.app).mark_seen()
        self._paint()

    def on_resize(self) -> None:
        self._paint()

    def _update_header(self) -> None:
        header = self.query_one(ConsoleHeader)
        header.state = header_state(self.app, self.session, title="Spend")
