"""The right-hand side: the detail of the selected tree node.

A ContentSwitcher holds one pane per node kind (organisation summary, projects, members,
invites, admin keys, project). Panes paint from the snapshot they are given; a note line above
each list says when its data is missing, loading, or stale (last refresh failed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Static

from orgtui.core.figures import invite_counts, project_counts
from orgtui.ui.text import clock_time, relative_time, safe_text
from orgtui.ui.widgets.org_tree import (
    ADMIN_KEYS,
    CERTIFICATES,
    GROUPS,
    INVITES,
    MEMBERS,
    ORG,
    PROJECT,
    PROJECTS,
    ROLES,
    NodeRef,
)

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.core.snapshot import OrgSnapshot
    from orgtui.ui.app import OrgTuiApp
    from orgtui.ui.widgets.tables import ResourceTable


# What the feature panes the main screen hands in can do (this module imports no feature).
class ShowsProject(Protocol):
    def show(self, session: Session, project_id: str, now: float, syncing: bool) -> None: ...


class ShowsCertificates(Protocol):
    def show(self, session: Session, *, fresh: bool = False) -> None: ...


class ShowsOrgPart(Protocol):
    def show(self, session: Session) -> None: ...


def part_note(
    snapshot: OrgSnapshot, part_id: str, now: float, syncing: bool
) -> tuple[Text, bool] | None:
    """A one-line note about a part's freshness (text, is a warning), or None when it is fine."""
    status = snapshot.part(part_id)
    if status is None or status.fetched_at is None:
        if status is not None and status.error:
            return safe_text(f"! Could not load: {status.error}", 300), True
        return Text("Loading…" if syncing else "Not loaded yet: press r to load"), False
    if status.error:
        when = clock_time(status.fetched_at)
        return safe_text(f"! Refresh failed ({status.error}); showing data from {when}", 300), True
    return None


class PartNote(Static):
    """The freshness note above a list (hidden when there is nothing to say)."""

    DEFAULT_CSS = """
    PartNote { height: auto; max-height: 2; padding: 0 1; display: none; color: $text-muted; }
    PartNote.-shown { display: block; }
    PartNote.-warn { color: $text-warning; text-style: bold; }
    """

    def show_note(self, note: tuple[Text, bool] | None) -> None:
        self.set_class(note is not None, "-shown")
        if note is not None:
            text, warn = note
            self.set_class(warn, "-warn")
            self.update(text)


class ListPane(Vertical):
    """A note line and one resource table."""

    def __init__(self, table: ResourceTable, part_id: str, *, id: str) -> None:
        super().__init__(id=id, classes="list-pane")
        self.table = table
        self.part_id = part_id
        self._source: Any = object()

    def compose(self) -> ComposeResult:
        yield PartNote()
        yield self.table

    def show(self, session: Session, items: Any, build: Any, now: float, syncing: bool) -> None:
        snapshot = session.snapshot
        self.table.session = session
        self.query_one(PartNote).show_note(part_note(snapshot, self.part_id, now, syncing))
        if items is not self._source:  # snapshots are immutable: same list, same rows
            self._source = items
            self.table.set_rows(build(items or []))
        if items is None:
            self.table.set_empty_message("Loading…" if syncing else "Not loaded yet")
        else:
            self.table.set_empty_message(type(self.table).EMPTY)


class OrgSummary(VerticalScroll):
    """Counts and the organisation limit, for the organisation node."""

    _shown: tuple[object, str, int] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="org-summary-body")

    def show(self, session: Session, now: float) -> None:
        from orgtui.core.money import format_cents

        snap = session.snapshot
        # Snapshots are immutable: the same one within the same second looks the same (the
        # start shows it twice, once on mount and once as the tree settles on its node).
        last = self._shown
        if last is not None and last[0] is snap and last[1:] == (session.profile.name, int(now)):
            return
        self._shown = (snap, session.profile.name, int(now))
        views = list(snap.projects.values())
        projects = project_counts(snap)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()

        def count(items: list[Any] | None, what: str = "") -> str:
            return "…" if items is None else f"{len(items)}{what}"

        grid.add_row("Organisation", safe_text(snap.org_name, 80))
        grid.add_row("Profile", safe_text(session.profile.name, 40))
        grid.add_row(
            "Projects",
            f"{projects.active} active, {projects.archived} archived"
            if projects is not None and snap.is_fetched("projects")
            else "…",
        )
        owners = None if snap.users is None else sum(1 for u in snap.users if u.role == "owner")
        grid.add_row(
            "Members",
            count(snap.users)
            + ("" if owners is None else f" ({owners} owner{'s' * (owners != 1)})"),
        )
        invites = invite_counts(snap)
        grid.add_row("Invites", "…" if invites is None else invites.text())
        grid.add_row("Admin keys", count(snap.admin_keys))
        counts = (v.count("api_keys") for v in views)  # counts, not parsing big cached parts
        keys = [n for n in counts if n is not None]
        grid.add_row("Project keys", f"{sum(keys)} in {len(keys)} loaded projects")
        if not snap.is_fetched("org_limits"):
            limit = Text("…")
        elif snap.org_spend_limit is None:
            limit = Text("none set", style="italic")
        else:
            lim = snap.org_spend_limit
            limit = Text(
                f"{format_cents(lim.threshold_amount)} / {lim.interval} ({lim.enforcement.status})"
            )
        grid.add_row("Org hard limit", limit)
        alerts = snap.org_spend_alerts
        grid.add_row("Org alerts", count(alerts))
        oldest = snap.oldest_fetch()
        grid.add_row(
            "Data from",
            "never loaded"
            if oldest is None
            else f"{clock_time(oldest)} ({relative_time(oldest, now)})",
        )
        stale = snap.stale_parts()
        body: list[Any] = [grid]
        if stale:
            body.append(
                Text(f"\n! {len(stale)} part(s) failed to refresh; press R to retry", style="bold")
            )
        self.query_one("#org-summary-body", Static).update(Group(*body))


def _project_rows(projects: dict[str, Any] | list[Any]) -> list[Any]:
    from orgtui.ui.widgets import rows as R

    views = projects.values() if isinstance(projects, dict) else projects  # [] before loading
    return R.project_rows((v.project, v.count("api_keys")) for v in views)


def _list_pane(table: str, table_id: str, part_id: str, pane_id: str) -> ListPane:
    # The tables are imported with their pane: none of them is on the first frame.
    from orgtui.ui.widgets import tables

    table_class: type[ResourceTable] = getattr(tables, table)
    return ListPane(table_class(id=table_id), part_id, id=pane_id)


_LATER_PANES: dict[str, Callable[[], Widget]] = {
    "pane-projects": lambda: _list_pane(
        "ProjectsTable", "projects-table", "projects", "pane-projects"
    ),
    "pane-members": lambda: _list_pane("OrgMembersTable", "members-table", "users", "pane-members"),
    "pane-invites": lambda: _list_pane("InvitesTable", "invites-table", "invites", "pane-invites"),
    "pane-admin_keys": lambda: _list_pane(
        "AdminKeysTable", "admin-keys-table", "admin_keys", "pane-admin_keys"
    ),
}


class DetailPane(ContentSwitcher):
    """Switches between the panes of the node kinds.

    Only the organisation summary (the start view) is composed with the screen; every other pane
    is built the first time it is shown, which keeps the first frame small (tens of widgets and
    their styles fewer). `ref` names what is on screen: it moves once the pane is there.

    The panes of features (a project, certificates, groups, roles) come from the screen that
    holds this switcher, as `panes` (pane id -> builder): shared widgets import no feature.
    """

    app: OrgTuiApp

    def __init__(
        self, *, panes: Mapping[str, Callable[[], Widget]] | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id, initial="pane-org")
        self._builders: dict[str, Callable[[], Widget]] = {**_LATER_PANES, **(panes or {})}
        self.ref: NodeRef | None = None
        self.session: Session | None = None
        self._building: set[str] = set()
        self._wanted: tuple[NodeRef, Session, bool] | None = None
        self._focus_when_built = False

    def compose(self) -> ComposeResult:
        yield OrgSummary(id="pane-org")

    def _has_pane(self, pane_id: str) -> bool:
        return any(child.id == pane_id for child in self.children)

    async def _build_then_show(self, pane_id: str) -> None:
        pane = self._builders[pane_id]()
        pane.display = False  # shown when it becomes current (the user may have moved on)
        await self.mount(pane)
        self._building.discard(pane_id)
        focus, self._focus_when_built = self._focus_when_built, False
        if self._wanted is not None and f"pane-{self._wanted[0].kind}" == pane_id:
            ref, session, syncing = self._wanted  # the user may have moved on meanwhile
            self.show(ref, session, syncing=syncing)
            if focus:
                self.focus_content()

    def show(self, ref: NodeRef, session: Session, *, syncing: bool) -> None:
        self._wanted = (ref, session, syncing)
        pane_id = f"pane-{ref.kind}"
        if pane_id in self._building or not self._has_pane(pane_id):
            if pane_id not in self._building:
                self._building.add(pane_id)
                self.run_worker(self._build_then_show(pane_id), group=f"build:{pane_id}")
            return
        fresh = self.ref != ref
        self.ref = ref
        self.session = session
        now = self.app.clock.now()
        thresholds = session.profile.thresholds
        snap = session.snapshot
        if self.current != pane_id:
            self.current = pane_id
        if ref.kind == ORG:
            self.query_one(OrgSummary).show(session, now)
            return
        from orgtui.ui.widgets import rows as R  # with the list panes, after the first frame

        if ref.kind == PROJECTS:
            pane = self.query_one("#pane-projects", ListPane)
            source = snap.projects if snap.is_fetched("projects") or snap.projects else None
            pane.show(session, source, _project_rows, now, syncing)
        elif ref.kind == MEMBERS:
            self.query_one("#pane-members", ListPane).show(
                session, snap.users, R.member_rows, now, syncing
            )
        elif ref.kind == INVITES:
            self.query_one("#pane-invites", ListPane).show(
                session, snap.invites, lambda items: R.invite_rows(items, now), now, syncing
            )
        elif ref.kind == ADMIN_KEYS:
            self.query_one("#pane-admin_keys", ListPane).show(
                session,
                snap.admin_keys,
                lambda items: R.admin_key_rows(items, now, thresholds),
                now,
                syncing,
            )
        elif ref.kind == PROJECT and ref.project_id:
            project = cast(ShowsProject, self.query_one(f"#{pane_id}"))
            project.show(session, ref.project_id, now, syncing)
        elif ref.kind == CERTIFICATES:
            cast(ShowsCertificates, self.query_one(f"#{pane_id}")).show(session, fresh=fresh)
        elif ref.kind in (GROUPS, ROLES):
            cast(ShowsOrgPart, self.query_one(f"#{pane_id}")).show(session)

    def focus_content(self) -> bool:
        """Focus the main list of the visible pane (enter from the tree).

        When the pane the user asked for is still being built, its list is focused once shown.
        """
        wanted = self._wanted
        if wanted is not None and f"pane-{wanted[0].kind}" in self._building:
            self._focus_when_built = True
            return True
        pane = self.visible_content
        if pane is None:
            return False
        focus_table = getattr(pane, "focus_table", None)  # a project's tabs
        if callable(focus_table):
            return bool(focus_table())
        from orgtui.ui.widgets.tables import ResourceTable

        target: Widget | None = next(iter(pane.query(ResourceTable)), None)
        if target is None:
            return False
        target.focus()
        return True
