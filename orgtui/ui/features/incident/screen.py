"""The incident panel: keys, projects and kinds ranked by how far they depart from their own
baseline (`orgtui.core.incident`), read in a worker and drawn as a table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Static

from orgtui.core import actions as A
from orgtui.core.incident_kinds import number as _number
from orgtui.ui.bindings import scope_bindings
from orgtui.ui.text import safe_str, safe_text
from orgtui.ui.widgets.footer import OrgFooter

if TYPE_CHECKING:
    from orgtui.core.incident import IncidentReport, IncidentRow
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp

MAX_ROWS = 100
COLUMNS = ("", "Key / project / kind", "Ratio", "$/h now", "Since", "Kind", "Now /h", "Usual /h")


class IncidentScreen(Screen[None]):
    """Enter jumps to the row's key or project; o rotates, d deletes the key; x stops the
    project's spend (its hard limit set to its month-to-date spend)."""

    app: OrgTuiApp

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "jump", "Jump", id="incident.jump"),
        Binding("o", "rotate", "Rotate key", id="incident.rotate"),
        Binding("d", "delete", "Delete key", id="incident.delete"),
        Binding("x", "stop", "Stop spend", id="incident.stop"),
        Binding("r", "reload", "Re-read", id="incident.reload"),
        Binding("escape", "close", "Back", id="incident.back"),
        *scope_bindings(
            A.SPEND, exclude=("graph.range", "graph.group", "graph.kind", "graph.pause")
        ),
    ]
    # What the footer checks against a read-only org (the registry refuses them the same way).
    REGISTRY_ACTIONS: ClassVar[dict[str, str]] = {
        "incident.rotate": "key.rotate",
        "incident.delete": "key.delete",
        "incident.stop": "limit.set",
    }
    DEFAULT_CSS = """
    IncidentScreen #incident-title { text-style: bold; padding: 0 1; }
    IncidentScreen #incident-status { color: $text-muted; padding: 0 1; height: auto; }
    IncidentScreen DataTable { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.report: IncidentReport | None = None
        self.rows: list[IncidentRow] = []

    def compose(self) -> ComposeResult:
        title = Text("Incident: what changed in the last 15 and 60 minutes")
        if len(getattr(self.app, "sessions", ())) > 1:  # several orgs: which one this is
            title = Text("Incident in ")
            name = self.session.snapshot.org_name or self.session.profile.name
            title.append_text(safe_text(name, 50, style="bold"))
            title.append(": the last 15 and 60 minutes (O: next org)")
        yield Static(title, id="incident-title")
        yield Static("Reading every kind of usage...", id="incident-status")
        table: DataTable[Any] = DataTable(id="incident-rows", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield OrgFooter()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self.action_reload()

    def action_orgtui(self, action_id: str) -> None:
        from orgtui.ui.dispatch import ActionContext

        self.app.start_action(action_id, ActionContext(session=self.session))

    def action_reload(self) -> None:
        self.run_worker(self._load(), group="refresh-incident", exclusive=True)

    async def _load(self) -> None:
        status = self.query_one("#incident-status", Static)
        now = self.app.clock.now()
        got = await self.session.activity.kinds(now, max_age=0.0)
        if got.value is None:
            status.update(Text(f"Could not read the usage: {safe_str(got.problem, 200)}"))
            return
        self.show(got.value)

    def show(self, report: IncidentReport) -> None:
        from orgtui.core.incident import DEFAULT_SPIKE_FACTOR

        self.report = report
        factor = self.session.profile.thresholds.spike_factor or DEFAULT_SPIKE_FACTOR
        self.rows = list(report.rows[:MAX_ROWS])
        table = self.query_one(DataTable)
        table.clear()
        for index, row in enumerate(self.rows):
            table.add_row(*self._cells(row, factor), key=str(index))
        spikes = len(report.spikes(factor))
        at = datetime.fromtimestamp(int(report.now), UTC).strftime("%H:%M UTC")
        errors = f"; not readable: {', '.join(sorted(report.errors))}" if report.errors else ""
        note = f"{spikes} spike{'s' if spikes != 1 else ''} at x{factor:g} or more"
        self.query_one("#incident-status", Static).update(
            Text(
                f"{note} against the same hours of the last 7 days, at {at}{errors}. "
                "enter jumps to the row's key or project."
            )
        )

    def _row_label(self, row: IncidentRow) -> str:
        snapshot = self.session.snapshot
        if row.scope == "key" and row.project_id:
            view = snapshot.project(row.project_id)
            key = next(
                (k for k in (view.get("api_keys") if view else None) or () if k.id == row.id), None
            )
            if key is not None and key.name:
                return safe_str(key.name, 40)
        if row.scope == "project":
            view = snapshot.project(row.id)
            if view is not None and view.project.name:
                return safe_str(view.project.name, 40)
        return safe_str(row.id, 40)

    def _cells(self, row: IncidentRow, factor: float) -> tuple[Any, ...]:
        mark = "!" if row.is_spike(factor) else ("^" if row.significant else "")
        since = datetime.fromtimestamp(row.since, UTC).strftime("%H:%M") if row.since else "-"
        label = "all of it" if row.scope == "kind" else self._row_label(row)
        return (
            mark,
            Text(f"{row.scope} {label}"[:32], no_wrap=True, overflow="ellipsis"),
            f"x{row.ratio:.1f} {row.window}",
            "-" if row.usd_per_hour is None else f"${row.usd_per_hour:,.2f}",
            since,
            row.kind.replace("_", " "),
            f"{_number(row.rate_now)} {row.unit}",
            _number(row.baseline),
        )

    def selected(self) -> IncidentRow | None:
        table = self.query_one(DataTable)
        if not self.rows or table.cursor_row is None:
            return None
        if 0 <= table.cursor_row < len(self.rows):
            return self.rows[table.cursor_row]
        return None

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_jump()

    def _run(self, what: str) -> None:
        from orgtui.ui.features.incident.actions import contain

        row = self.selected()
        if row is None:
            return
        self.app.run_worker(contain(self.app, self.session, row, what), group="incident-action")

    def action_jump(self) -> None:
        self._run("jump")

    def action_rotate(self) -> None:
        self._run("rotate")

    def action_delete(self) -> None:
        self._run("delete")

    def action_stop(self) -> None:
        self._run("stop")

    def action_close(self) -> None:
        self.app.pop_screen()
