"""A project's detail: a title line and tabs (Keys, Service accounts, Members, Limits, Rate limits,
Security, Groups).

The container owns the PROJECT scope bindings (new key, rename, archive), so they work from any
tab; each tab's table owns its own scope (KEY, SERVICE_ACCOUNT, ...). `left`/`right` and `1`-`6`
switch tabs from inside a table (`6` Security, `7` Groups).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static, TabbedContent, TabPane

from orgtui.core import actions as A
from orgtui.core.snapshot import project_part
from orgtui.ui.bindings import ScopedActions, scope_bindings
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.messages import KeyDetailsWanted
from orgtui.ui.text import safe_str, safe_text, short_date
from orgtui.ui.widgets import rows as R
from orgtui.ui.widgets.tables import (
    AlertsTable,
    KeysTable,
    ProjectMembersTable,
    RateLimitsTable,
    ResourceTable,
    ServiceAccountsTable,
)

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.ui.features.access.project_groups import ProjectGroupsPanel

# (tab id, title, part kind, table class)
TABS: tuple[tuple[str, str, str, type[ResourceTable]], ...] = (
    ("tab-keys", "Keys", "keys", KeysTable),
    ("tab-accounts", "Service accounts", "service_accounts", ServiceAccountsTable),
    ("tab-members", "Members", "users", ProjectMembersTable),
    ("tab-limits", "Limits", "limits", AlertsTable),
    ("tab-rate-limits", "Rate limits", "rate_limits", RateLimitsTable),
)
# The Security tab (orgtui.ui.features.security) is not a list: it comes after these.
SECURITY_TAB = "tab-security"
# The Groups tab (orgtui.ui.features.access.project_groups) reads its list when shown; it comes last.
GROUPS_TAB = "tab-groups"
EXTRA_TABS = (SECURITY_TAB, GROUPS_TAB)
# Shorter titles when the pane is narrow (80 columns).
SHORT_TITLES = {"tab-accounts": "Accounts", "tab-rate-limits": "Rates"}


class ProjectDetail(ScopedActions, Vertical):
    SCOPES = (A.PROJECT,)
    BINDINGS: ClassVar[list[BindingType]] = [
        *scope_bindings(A.PROJECT),
        Binding("right", "tab(1)", "Next tab", show=False, id="tabs.next"),
        Binding("left", "tab(-1)", "Previous tab", show=False, id="tabs.previous"),
        *(
            Binding(str(n), f"tab_index({n - 1})", title, show=False, id=f"tabs.{n}")
            for n, (_, title, _, _) in enumerate(TABS, start=1)
        ),
        Binding(
            str(len(TABS) + 1),
            f"tab_index({len(TABS)})",
            "Security",
            show=False,
            id="tabs.security",
        ),
        Binding(
            str(len(TABS) + 2),
            f"tab_index({len(TABS) + 1})",
            "Groups",
            show=False,
            id="tabs.groups",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session: Session | None = None
        self.project_id: str | None = None
        self._sources: dict[str, Any] = {}
        self._narrow: bool | None = None

    def compose(self) -> ComposeResult:
        from orgtui.ui.widgets.detail import ListPane

        yield Static(id="project-title")
        with TabbedContent(id="project-tabs"):
            for tab_id, title, kind, table_cls in TABS:
                with TabPane(title, id=tab_id):
                    if kind == "limits":
                        yield Static(id="limits-summary")
                    yield ListPane(table_cls(id=f"{tab_id}-table"), kind, id=f"{tab_id}-pane")
            from orgtui.ui.features.security.panes import SecurityPanel

            with TabPane("Security", id=SECURITY_TAB):
                yield SecurityPanel(id="security-panel")
            from orgtui.ui.features.access.project_groups import ProjectGroupsPanel

            with TabPane("Groups", id=GROUPS_TAB):
                yield ProjectGroupsPanel(id="project-groups")

    # ------------------------------------------------------------------ painting

    def show(self, session: Session, project_id: str, now: float, syncing: bool) -> None:
        from orgtui.ui.widgets.detail import ListPane

        fresh = project_id != self.project_id or session is not self.session
        if fresh:
            self._sources.clear()
        self.session = session
        self.project_id = project_id
        view = session.snapshot.project(project_id)
        title = self.query_one("#project-title", Static)
        if view is None:
            title.update(Text("This project is no longer in the organisation", style="italic"))
            return
        project = view.project
        line = safe_text(project.name or project.id, 80, style="bold")
        line.append(f"  {project.id}", style="dim")
        line.append(
            "  archived" if view.archived else "  active", style="italic" if view.archived else ""
        )
        if project.residency:
            line.append(f"  {project.residency}", style="dim")
        line.append(f"  created {short_date(project.created_at)}", style="dim")
        title.update(line)
        thresholds = session.profile.thresholds
        builders = {
            "keys": (view.get("api_keys"), lambda items: R.key_rows(items, now, thresholds)),
            "service_accounts": (view.get("service_accounts"), R.service_account_rows),
            "users": (view.get("users"), R.member_rows),
            "limits": (view.get("spend_alerts"), lambda items: R.alert_rows(items, _dollars)),
            "rate_limits": (view.get("rate_limits"), R.rate_limit_rows),
        }
        tabs = self.query_one(TabbedContent)
        for tab_id, title_text, kind, _cls in TABS:
            pane = self.query_one(f"#{tab_id}-pane", ListPane)
            pane.part_id = project_part(project_id, kind)
            pane.table.project_id = project_id
            items, build = builders[kind]
            pane.show(session, items, build, now, syncing)
            label = SHORT_TITLES.get(tab_id, title_text) if self._is_narrow() else title_text
            if items is not None and kind != "limits":
                label = f"{label} {len(items)}"
            tab = tabs.get_tab(tab_id)
            if str(tab.label) != label:
                tab.label = label
        self._show_limits(session, view, syncing)
        if tabs.active == SECURITY_TAB:
            self._security_panel().show(session, project_id, fresh=fresh)
        elif tabs.active == GROUPS_TAB:
            self.groups_panel().show(session, project_id, fresh=fresh)

    def _security_panel(self) -> Any:
        return self.query_one("#security-panel")

    def groups_panel(self) -> ProjectGroupsPanel:
        from orgtui.ui.features.access.project_groups import ProjectGroupsPanel

        return self.query_one("#project-groups", ProjectGroupsPanel)

    def on_key_details_wanted(self, message: KeyDetailsWanted) -> None:
        from orgtui.ui.features.keys.details import KeyDetailsScreen

        message.stop()
        self.app.push_screen(KeyDetailsScreen(message.session, message.project_id, message.key))

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if not (self.session and self.project_id):
            return
        if event.pane.id == SECURITY_TAB:
            self._security_panel().show(self.session, self.project_id)
        elif event.pane.id == GROUPS_TAB:
            self.groups_panel().show(self.session, self.project_id)

    def reload(self) -> None:
        """`r` on a project: the Security tab reads its controls again (the lists are parts
        of the snapshot, refreshed by the sync)."""
        active = self.query_one(TabbedContent).active
        if active == SECURITY_TAB:
            self._security_panel().reload()
        elif active == GROUPS_TAB:
            self.groups_panel().reload()

    def _is_narrow(self) -> bool:
        return bool(self.app.size.width < 100)

    def _show_limits(self, session: Session, view: Any, syncing: bool) -> None:
        from orgtui.core.money import format_cents, format_usd

        text = Text()
        if not session.snapshot.is_fetched(project_part(view.id, "limits")):
            text.append("Hard limit: " + ("loading…" if syncing else "not loaded yet"))
        elif view.get("spend_limit") is None:
            text.append("Hard limit: ", style="bold")
            text.append("none set", style="italic")
            text.append("  (L to set one)", style="dim")
        else:
            limit = view.get("spend_limit")
            text.append("Hard limit: ", style="bold")
            text.append(f"{format_cents(limit.threshold_amount)} per {limit.interval}")
            text.append(f"  ({limit.enforcement.status})", style="dim")
        mtd, waiting = self._month_to_date(session, view.id)
        text.append("\nMonth to date: ", style="bold")
        text.append(
            waiting if mtd is None else format_usd(mtd), style="italic" if mtd is None else ""
        )
        self.query_one("#limits-summary", Static).update(text)

    def _month_to_date(self, session: Session, project_id: str) -> tuple[float | None, str]:
        """The project's month to date from the spend watch, the one source the spend screen
        reads too; when it has no figures yet, it is asked for them (shown when they come)."""
        from orgtui.ui.features.spend.alerts_watch import spend_watch

        watch = spend_watch(self.app)
        figures = watch.figures(session.profile.name)
        summary = figures.summary
        if summary is not None:
            for project in summary.projects:
                if project.id == project_id:
                    return project.month_to_date_usd, ""
        if figures.error and not figures.fetching:
            return None, f"not available ({safe_str(figures.error, 80)})"
        if self.app.started:
            watch.request(session)
        return None, "loading…"

    def refresh_limits(self) -> None:
        """Repaint the limits summary (new spend figures arrived)."""
        session, project_id = self.session, self.project_id
        if session is None or not project_id:
            return
        view = session.snapshot.project(project_id)
        if view is not None:
            self._show_limits(session, view, syncing=False)

    # ------------------------------------------------------------------ focus, tabs, context

    def active_table(self) -> ResourceTable | None:
        tabs = self.query_one(TabbedContent)
        if tabs.active == GROUPS_TAB:
            return self.groups_panel().table
        if not tabs.active or tabs.active == SECURITY_TAB:
            return None
        return self.query_one(f"#{tabs.active}-table", ResourceTable)

    def focus_table(self) -> bool:
        table = self.active_table()
        if table is None:
            if self.query_one(TabbedContent).active == SECURITY_TAB:
                self._security_panel().focus()
                return True
            return False
        table.focus()
        return True

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        ids = [tab_id for tab_id, *_ in TABS] + list(EXTRA_TABS)
        index = ids.index(tabs.active) if tabs.active in ids else 0
        self.action_tab_index((index + step) % len(ids))

    def action_tab_index(self, index: int) -> None:
        tabs = self.query_one(TabbedContent)
        if 0 <= index < len(TABS) + len(EXTRA_TABS):
            tabs.active = TABS[index][0] if index < len(TABS) else EXTRA_TABS[index - len(TABS)]
            had_focus = self.screen.focused is not None and self in self.screen.focused.ancestors
            if had_focus:
                self.call_after_refresh(self.focus_table)

    def action_context(self) -> ActionContext:
        view = (
            self.session.snapshot.project(self.project_id)
            if self.session and self.project_id
            else None
        )
        return ActionContext(
            scope=A.PROJECT,
            project_id=self.project_id,
            item=view.project if view else None,
            session=self.session,
        )

    def applies(self, action_id: str) -> bool:
        if self.session is None or self.project_id is None:
            return False
        view = self.session.snapshot.project(self.project_id)
        if view is None:
            return False
        spec = A.ActionRegistry().get(action_id)
        return not (spec.mutates and view.archived)


def _dollars(cents: int) -> str:
    from orgtui.core.money import format_cents

    return format_cents(cents)
