"""The main screen: header, org tree, detail pane, usage strip, filter line, footer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Tree

from orgtui.core.snapshot import PROJECT_PART_KINDS, project_part
from orgtui.ui.features.usage.strip import UsageStrip
from orgtui.ui.messages import (
    RequestsMade,
    ScopeChanged,
    SnapshotChanged,
    SpendAlertsChanged,
    SpendUpdated,
    SyncFinished,
    SyncProgress,
)
from orgtui.ui.text import safe_str
from orgtui.ui.widgets.detail import DetailPane
from orgtui.ui.widgets.filter_bar import Filterable, FilterBar
from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.header import ConsoleHeader, header_state
from orgtui.ui.widgets.org_tree import GROUPS, ORG, PROJECT, ROLES, NodeRef, OrgTree

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.widgets.vtable import VirtualTable


SHORT_HEIGHT = 32  # rows below which the usage graph keeps to its essentials


def _project_pane() -> Widget:
    # Imported with its pane: the tabs and their tables are not part of the first frame.
    from orgtui.ui.features.projects.detail_pane import ProjectDetail

    return ProjectDetail(id="pane-project")


def _certificates_pane() -> Widget:
    from orgtui.ui.features.security.panes import CertificatesPane

    return CertificatesPane(id="pane-certificates")


def _access_pane(kind: str) -> Widget:
    from orgtui.ui.features.access.tree_panes import AccessPane

    return AccessPane(kind, id=f"pane-{kind}")


# The detail panes of features, built the first time their node is shown.
FEATURE_PANES = {
    "pane-project": _project_pane,
    "pane-certificates": _certificates_pane,
    "pane-groups": lambda: _access_pane(GROUPS),
    "pane-roles": lambda: _access_pane(ROLES),
}


class MainScreen(Screen[None]):
    app: OrgTuiApp

    def __init__(self) -> None:
        super().__init__(id="main")
        # The classes the first resize would add, set before the first styling: adding them
        # after it restyles every widget once more (tens of milliseconds before the first frame).
        width, height = self.app.size
        for breakpoint, class_name in sorted(self.app.HORIZONTAL_BREAKPOINTS or [], reverse=True):
            if width >= breakpoint:
                self.add_class(class_name)
                break
        self.set_class(height < SHORT_HEIGHT, "short")
        self._requested: set[tuple[str, str]] = set()
        self._offline_told: set[str] = set()

    def compose(self) -> ComposeResult:
        yield ConsoleHeader(id="header")
        with Horizontal(id="body"):
            yield OrgTree(self.app.sessions, id="tree")
            yield DetailPane(panes=FEATURE_PANES, id="detail")
        with Vertical(id="bottom"):
            yield UsageStrip(id="usage")
            yield FilterBar(id="filter-bar")
            yield OrgFooter(id="footer")

    # Shadows `DOMNode.tree` (Textual's debug view of the DOM) on purpose: the screen's tree
    # is its OrgTree, and screens, actions and tests use it by this name.
    @property
    def tree(self) -> OrgTree:  # type: ignore[override]
        return self.query_one(OrgTree)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def on_resize(self, event: events.Resize) -> None:
        # Small terminals give the tables the rows and keep the graph to its essentials.
        self.set_class(event.size.height < SHORT_HEIGHT, "short")

    def on_mount(self) -> None:
        self.tree.focus()
        for profile, problem in self.app.problems.items():
            self.tree.set_problem(profile, problem)
        self._show_current()

    def on_screen_resume(self) -> None:
        # Another org may have had focus above (O on the spend screen): the tree's is back.
        ref = self.tree.current
        if ref is not None and ref.profile != self.app.active_profile:
            self._show_current()

    # ------------------------------------------------------------------ painting

    def _show_current(self) -> None:
        ref = self.tree.current or NodeRef(self.app.sessions[0].profile.name, ORG)
        session = self.app.session_for(ref.profile)
        self.app.focus_org(session.profile.name)
        self.detail.show(ref, session, syncing=self.app.is_syncing(ref.profile))
        self._update_header()

    def _update_header(self) -> None:
        self.query_one(ConsoleHeader).state = header_state(self.app, self.app.session)

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        self.tree.sync_session(message.profile, message.snapshot)
        ref = self.tree.current
        if ref is not None and ref.profile == message.profile:
            self._show_current()
        else:
            self._update_header()

    def on_spend_alerts_changed(self, message: SpendAlertsChanged) -> None:
        self._update_header()

    @on(RequestsMade)
    @on(SpendUpdated)
    def _requests_made(self) -> None:
        self._update_header()
        from orgtui.ui.features.projects.detail_pane import ProjectDetail

        for detail in self.query(ProjectDetail):  # its month to date comes from the same figures
            detail.refresh_limits()

    def on_sync_progress(self, message: SyncProgress) -> None:
        self._update_header()

    def on_sync_finished(self, message: SyncFinished) -> None:
        self.tree.set_problem(message.profile, self.app.org_problem(message.profile))
        self._show_current()
        if message.offline:
            if message.profile not in self._offline_told:
                self._offline_told.add(message.profile)
                first = next(iter(message.errors.values()), "cannot connect")
                self.app.notify(
                    f"{safe_str(first, 200)}. Showing the cached data; press R to try again.",
                    title="Offline",
                    severity="warning",
                    markup=False,
                )
            return
        self._offline_told.discard(message.profile)
        if message.errors:
            first_part, first = next(iter(message.errors.items()))
            where = self.app.syncers[message.profile].label(first_part)
            self.app.notify(
                f"{len(message.errors)} part(s) could not be refreshed, e.g. {where}: "
                f"{safe_str(first, 200)}",
                title="Refresh",
                severity="warning",
                markup=False,
            )

    # ------------------------------------------------------------------ navigation

    @on(Tree.NodeHighlighted, "#tree")
    def _node_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        ref = event.node.data
        if ref is None:
            return
        session = self.app.session_for(ref.profile)
        self.app.focus_org(session.profile.name)
        pid = ref.project_id if ref.kind == PROJECT else None
        self.app.syncers[session.profile.name].focus(pid)
        # An org whose connection cannot be used (a missing key): the graph says why, asks nothing.
        self.query_one(UsageStrip).set_scope(session, pid)
        self.post_message(ScopeChanged(session.profile.name, pid))
        self._show_current()
        if pid is not None:
            self._load_project(session, pid)

    def _load_project(self, session: Session, pid: str) -> None:
        """Fetch a project's parts when first shown, unless a full refresh will get there."""
        profile = session.profile.name
        if (profile, pid) in self._requested or self.app.is_syncing(profile):
            return
        missing = [
            project_part(pid, kind)
            for kind in PROJECT_PART_KINDS
            if not session.snapshot.is_fetched(project_part(pid, kind))
        ]
        if missing and not self.app.sync_states[profile].offline:
            self._requested.add((profile, pid))
            self.app.refresh_scope(session, missing)

    @on(Tree.NodeSelected, "#tree")
    def _node_selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        event.stop()
        ref = event.node.data
        opens = {GROUPS: "view.groups", ROLES: "view.roles"}
        if ref is not None and ref.kind in opens:
            from orgtui.ui.dispatch import ActionContext

            session = self.app.session_for(ref.profile)
            self.app.start_action(opens[ref.kind], ActionContext(session=session))
            return
        self.detail.focus_content()

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        # By name, not @on(VirtualTable.Selected): no table is on the first frame, so the
        # table modules are not imported for it.
        from orgtui.ui.widgets.tables import ProjectsTable

        if isinstance(event.table, ProjectsTable) and event.row is not None:
            session = event.table.session or self.app.session
            self.goto(session.profile.name, event.row.key)

    def goto(self, profile: str, project_id: str) -> bool:
        """Select a project in the tree (showing archived ones and clearing the filter if needed)."""
        tree = self.tree
        session = self.app.session_for(profile)
        view = session.snapshot.project(project_id)
        if view is None:
            return False
        if view.archived and not tree.show_archived:
            tree.set_show_archived(True)
        if tree.filter_text:
            tree.set_filter("")
            if self.filter_bar.target is tree:
                self.filter_bar.close()
        # The SnapshotChanged message of a project created just now may still be queued.
        tree.sync_session(profile, session.snapshot)
        found = tree.select_ref(NodeRef(profile, PROJECT, project_id))
        tree.focus()
        return found

    def go_back(self) -> None:
        """`escape` / `-`: close the filter, then clear a filter, then back to the tree."""
        focused = self.focused
        bar = self.filter_bar
        if focused is not None and focused.id == "filter-input":
            bar.clear()
            return
        if isinstance(focused, Filterable) and focused.filter_text:
            focused.set_filter("")
            if bar.target is focused:
                bar.close()
            return
        if focused is not self.tree:
            self.tree.focus()

    def open_filter(self) -> None:
        target: Widget | None = self.focused
        if target is not None and target.id == "filter-input":
            return
        if not isinstance(target, Filterable):
            target = self.tree
        self.filter_bar.open_for(target)

    def refresh_focused(self) -> None:
        """`r`: refresh what is on screen (the selected project, or the org-level list)."""
        ref = self.tree.current
        if ref is None:
            return
        reload = getattr(self.detail.visible_content, "reload", None)
        if callable(reload):  # panes read on demand (certificates, a project's Security tab)
            reload()
        session = self.app.session_for(ref.profile)
        if ref.kind == PROJECT and ref.project_id:
            parts = [project_part(ref.project_id, kind) for kind in PROJECT_PART_KINDS]
        elif ref.kind == ORG:
            parts = ["projects", "users", "invites", "admin_keys", "org_limits"]
        elif ref.kind in ("members", "invites", "admin_keys"):
            parts = ["users" if ref.kind == "members" else ref.kind]
        else:
            parts = ["projects"]
        self.app.notify("Refreshing…", timeout=2)
        self.app.refresh_scope(session, parts)
