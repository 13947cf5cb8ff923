"""The access matrix (`M`): organisation members by projects, each cell the project role.

Rows are members, columns are projects (archived ones last, dimmed); a cell is `owner`,
`member`, `·` (not a member) or `…` (that project's members are not fetched yet; the screen
fetches the parts it shows in the background). The grid draws only the cells on screen, so 500
projects cost what 7 do. The filter line takes plain words (name or email), `project:<text>`
and `role:<owner|member|reader|none>`. From a cell, `e` changes or adds the membership and `d`
removes it (see `members_actions`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from orgtui.core.snapshot import PartStatus, project_part
from orgtui.ui.features.members.matrix_grid import MatrixGrid
from orgtui.ui.features.members.matrix_model import MatrixFilter, MatrixModel, build_model
from orgtui.ui.messages import SnapshotChanged, SyncFinished
from orgtui.ui.text import safe_text
from orgtui.ui.widgets.footer import OrgFooter

if TYPE_CHECKING:
    from orgtui.core.session import Session
    from orgtui.ui.app import OrgTuiApp

__all__ = ["MatrixFilter", "MatrixGrid", "MatrixModel", "MatrixScreen", "build_model"]

_NO_ERROR = PartStatus(None)


class StatusLine(Widget):
    """Two lines about the cursor cell; repainted without a layout pass (unlike Static)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = Text()

    def show(self, text: Text) -> None:
        self._text = text
        self.refresh()

    def render(self) -> Text:
        return self._text


class MatrixScreen(Screen[None]):
    """The matrix, its filter line, a line about the selected cell, and the footer."""

    app: OrgTuiApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="matrix.back"),
    ]
    DEFAULT_CSS = """
    MatrixScreen #matrix-title { height: 1; padding: 0 1; background: $panel; text-style: bold; }
    MatrixScreen #matrix-filter { margin: 0 0; border: tall $panel-lighten-1; }
    MatrixScreen #matrix-filter:focus { border: tall $primary; }
    MatrixScreen #matrix-status { height: 2; padding: 0 1; background: $panel;
        text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="matrix")
        self.session = session
        self._requested: set[str] = set()
        self._via: dict[str, dict[str, list[tuple[str, str]]]] = {}

    def compose(self) -> ComposeResult:
        yield Static(id="matrix-title")
        yield Input(
            placeholder="Filter: name or email, project:<name>, role:owner|member|reader|none",
            id="matrix-filter",
        )
        yield MatrixGrid(self.session, id="matrix-grid")
        yield StatusLine(id="matrix-status")
        yield OrgFooter()

    @property
    def grid(self) -> MatrixGrid:
        return self.query_one(MatrixGrid)

    def on_mount(self) -> None:
        self.rebuild()
        self.grid.focus()
        self.run_worker(self._load_via_groups(), group="refresh-access", exclusive=True)

    async def _load_via_groups(self) -> None:
        """Project access through groups (RBAC), read once in the background: "via group X"."""
        from orgtui.core.access import project_access

        snapshot = self.session.snapshot
        pids = [pid for pid, view in snapshot.projects.items() if not view.archived]
        got = await self.session.activity.access(pids)
        access = got.value
        if access is None:
            return  # no RBAC (or no permission): direct membership only, as before
        via: dict[str, dict[str, list[tuple[str, str]]]] = {}
        for pid in pids:
            for uid, grants in project_access(access, pid, ()).items():
                via.setdefault(pid, {})[uid] = [(g.role, g.group_name or "") for g in grants]
        self._via = via
        self.rebuild()

    def rebuild(self) -> None:
        title = Text("Access matrix  ", style="bold")
        title.append_text(safe_text(self.session.snapshot.org_name, 60))
        self.query_one("#matrix-title", Static).update(title)
        flt = MatrixFilter.parse(self.query_one("#matrix-filter", Input).value)
        model = build_model(self.session.snapshot, flt)
        model.via = self._via
        self.grid.set_model(model)
        self._paint_status()
        self.call_after_refresh(self._fetch_visible)

    # ------------------------------------------------------------------ events

    def on_input_changed(self, event: Input.Changed) -> None:
        self.rebuild()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.grid.focus()

    def on_matrix_grid_moved(self, event: MatrixGrid.Moved) -> None:
        self._paint_status()
        self.call_after_refresh(self._fetch_visible)

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        if message.profile != self.session.profile.name:
            return
        relevant = [p for p in message.parts if p in ("users", "projects") or p.endswith(":users")]
        if relevant:
            # A part stays "requested" until it arrives: one that failed is not fetched again
            # on every cursor move (r retries it).
            snapshot = message.snapshot
            self._requested.difference_update(p for p in relevant if snapshot.is_fetched(p))
            self.rebuild()

    def on_sync_finished(self, message: SyncFinished) -> None:
        if message.profile == self.session.profile.name:
            self._paint_status()

    def action_back(self) -> None:
        if self.focused is self.query_one("#matrix-filter", Input):
            self.grid.focus()
        else:
            self.dismiss(None)

    def open_filter(self) -> None:
        """`/` (nav.filter) focuses the filter line."""
        self.query_one("#matrix-filter", Input).focus()

    def refresh_focused(self) -> None:
        """`r`: reload the members and the projects on screen."""
        parts = ["users", *(project_part(p, "users") for p in self.grid.visible_project_ids())]
        self._requested.update(parts)
        self.app.refresh_scope(self.session, parts)

    # ------------------------------------------------------------------ painting and fetching

    def _fetch_visible(self) -> None:
        """Fetch, in the background, the parts the grid shows as "…"."""
        snapshot = self.session.snapshot
        wanted = [] if snapshot.users is not None or "users" in self._requested else ["users"]
        for pid in self.grid.visible_project_ids():
            view = snapshot.project(pid)
            part = project_part(pid, "users")
            if view is not None and view.get("users") is None and part not in self._requested:
                wanted.append(part)
        if wanted:
            self._requested.update(wanted)
            self.app.refresh_scope(self.session, wanted)

    def _paint_status(self) -> None:
        grid, model = self.grid, self.grid.model
        shown = grid.visible_columns()
        status = Text(no_wrap=True, overflow="ellipsis")
        cell = grid.current_cell()
        if cell is not None:
            user, view = cell
            role = model.role(user.id, view.id)
            status.append_text(safe_text(user.name or user.id, 40, style="bold"))
            status.append_text(safe_text(f" <{user.email or '?'}>  org {user.role or '?'}", 80))
            status.append("  ·  ")
            status.append_text(safe_text(view.project.name or view.id, 40, style="bold"))
            state = {None: "loading…", "": "not a member"}.get(role, role)
            via = model.via_groups(user.id, view.id)
            if via and role == "":
                state = "not a direct member"
            status.append(f": {state}")
            for group_role, group in via:
                status.append_text(safe_text(f", {group_role} via group {group}", 80))
            if view.archived:
                status.append("  (archived: read-only)", style="italic")
        where = Text(no_wrap=True, overflow="ellipsis", style="dim")
        if shown:
            where.append(f"Projects {shown[0] + 1}–{shown[-1] + 1} of {len(model.projects)}")
            if len(model.projects) < model.total_projects:
                where.append(f" (filtered from {model.total_projects})")
            if len(shown) < len(model.projects):
                where.append("  ←/→ scroll")
        snapshot = self.session.snapshot
        missing = [v.id for v in model.projects if model.roles.get(v.id) is None]
        failed = sum(
            1 for pid in missing if (snapshot.part(project_part(pid, "users")) or _NO_ERROR).error
        )
        if len(missing) > failed:
            where.append(f"  ·  {len(missing) - failed} project(s) not loaded yet")
        if failed:
            where.append(f"  ·  ! {failed} project(s) failed to load: r retries", style="bold")
        status = Text("\n", no_wrap=True, overflow="ellipsis").join([status, where])
        self.query_one(StatusLine).show(status)
