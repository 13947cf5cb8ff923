"""The limits and alerts of one scope (the organisation or a project), opened from the spend screen.

    Limits · search-prod
    Hard limit $25,000.00 a month (inactive) · month to date $1,015.95 (4.1 %)
    Suggested: $4,000.00, about twice the last 30 days' spend ($1,800.00)
    Threshold   Recipients                          Interval
    $15,000.00  search-oncall@acme-robotics.example  month

`L` sets or changes the hard limit, `ctrl+x` removes it (confirmed, Cancel focused), `+` adds an
alert, `e` changes the selected one, `d` deletes it. The actions are the registry's, carried out
by `orgtui.ui.features.spend.actions`; this screen only shows the scope and repaints on changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from orgtui.core.money import format_cents, format_usd
from orgtui.core.services.limits import suggest_hard_limit_cents
from orgtui.core.snapshot import project_part
from orgtui.ui.features.spend.alerts_watch import SpendUpdated, spend_watch
from orgtui.ui.features.spend.limits_edit import Suggestion
from orgtui.ui.messages import SnapshotChanged
from orgtui.ui.text import safe_text
from orgtui.ui.widgets import rows as R
from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.tables import AlertsTable

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp


def scope_name(session: Session, project_id: str | None) -> str:
    if project_id is None:
        return "the organisation"
    view = session.snapshot.project(project_id)
    return (view.project.name or project_id) if view is not None else project_id


def scope_limits(session: Session, project_id: str | None) -> tuple[Any, list[Any] | None, bool]:
    """(hard limit or None, alerts or None when not fetched, whether the part was fetched)."""
    snap = session.snapshot
    if project_id is None:
        return snap.org_spend_limit, snap.org_spend_alerts, snap.is_fetched("org_limits")
    view = snap.project(project_id)
    if view is None:
        return None, None, False
    return (
        view.get("spend_limit"),
        view.get("spend_alerts"),
        snap.is_fetched(project_part(project_id, "limits")),
    )


def trailing_spend(app: Any, session: Session, project_id: str | None) -> float | None:
    """The trailing 30 days' cost of the scope, from the spend watch's latest figures."""
    summary = spend_watch(app).summary(session.profile.name)
    if summary is None:
        return None
    if project_id is None:
        return summary.org.trailing_30d_usd
    for project in summary.projects:
        if project.id == project_id:
            return project.trailing_30d_usd
    return 0.0


def suggestion_for(app: Any, session: Session, project_id: str | None) -> Suggestion | None:
    trailing = trailing_spend(app, session, project_id)
    if trailing is None:
        return None
    return Suggestion(suggest_hard_limit_cents(trailing), trailing)


class LimitsScreen(Screen[None]):
    app: OrgTuiApp
    DEFAULT_CSS = """
    LimitsScreen { background: $background; }
    LimitsScreen #limits-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    LimitsScreen #limits-info { height: auto; padding: 1 1; background: $surface; }
    LimitsScreen AlertsTable { height: 1fr; }
    """
    BINDINGS: ClassVar[list[Any]] = []

    def __init__(self, session: Session, project_id: str | None) -> None:
        super().__init__(id="limits")
        self.session = session
        self.project_id = project_id

    def compose(self) -> ComposeResult:
        yield Static(id="limits-title")
        yield Static(id="limits-info")
        yield AlertsTable(id="limits-alerts")
        yield OrgFooter()

    @property
    def table(self) -> AlertsTable:
        return self.query_one(AlertsTable)

    def on_mount(self) -> None:
        table = self.table
        table.session = self.session
        table.project_id = self.project_id
        self._paint()
        table.focus()

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        if message.profile == self.session.profile.name:
            self._paint()

    def on_spend_updated(self, message: SpendUpdated) -> None:
        if message.profile == self.session.profile.name:
            self._paint()

    def _paint(self) -> None:
        name = scope_name(self.session, self.project_id)
        title = Text("Limits · ")
        title.append_text(safe_text(name, 80))
        self.query_one("#limits-title", Static).update(title)
        limit, alerts, fetched = scope_limits(self.session, self.project_id)
        info = Text()
        if not fetched:
            info.append("Hard limit: not loaded yet (press r on the spend screen)", style="dim")
        elif limit is None:
            info.append("⚠ No hard limit. ", style="bold")
            info.append("Never run without one: press L to set it.")
        else:
            info.append("Hard limit ", style="bold")
            info.append(f"{format_cents(limit.threshold_amount)} a {limit.interval or 'month'}")
            status = getattr(limit.enforcement, "status", None)
            if status == "enforcing":
                info.append("  ENFORCING: API calls are being rejected", style="bold reverse")
            elif status:
                info.append(f" ({status})", style="dim")
        spent = self._month_to_date()
        if spent is not None:
            info.append(f" · month to date {format_usd(spent)}")
        suggestion = suggestion_for(self.app, self.session, self.project_id)
        if suggestion is not None:
            info.append("\n")
            info.append(suggestion.hint(), style="dim")
        self.query_one("#limits-info", Static).update(info)
        rows = R.alert_rows(alerts or [], format_cents)
        self.table.set_empty_message(
            "No spend alerts: press + to add one" if alerts is not None else "Not loaded yet"
        )
        self.table.set_rows(rows)

    def _month_to_date(self) -> float | None:
        summary = spend_watch(self.app).summary(self.session.profile.name)
        if summary is None:
            return None
        if self.project_id is None:
            return summary.org.month_to_date_usd
        return next((p.month_to_date_usd for p in summary.projects if p.id == self.project_id), 0.0)

    def refresh_focused(self) -> None:
        part = "org_limits" if self.project_id is None else project_part(self.project_id, "limits")
        self.app.refresh_scope(self.session, [part])
