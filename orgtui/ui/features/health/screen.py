"""The health screen: the best-practice checks, grouped by severity, each open to its objects.

    Health · Acme Robotics (sandbox)            computed 14:30 (just now) · costs: last 30 days
    5 failures · 15 warnings · 1 info
    ▾ ✗ Failures 5
      ▾ Project without a hard spend limit  3
          project  data-pipeline
      ▸ API key whose owner lost access to the project  2
    ▾ ! Warnings 15
    ─────────────────────────────────────────────────────────────────────────
    1 key in project "search-dev" belongs to an owner who no longer has access
    Fix: Delete the key, or give its owner access again if it is still needed.

The checks are `orgtui.core.health.run_checks`, computed from the session's snapshot (painted at
once) and the trailing 30 days' costs (fetched in a worker; until they arrive the limit-versus-
spend checks wait). A new snapshot recomputes; `r` refreshes the organisation and the costs.
`enter` on an object shows it in the console; `a` opens its audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from orgtui.core import actions as A
from orgtui.core.activity import FRESH_SECONDS
from orgtui.core.health import SEVERITY_ORDER, Finding, Severity, run_checks
from orgtui.core.leak_record import last_scan
from orgtui.core.money import format_usd
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.health.tree import (
    HEADINGS,
    MARKS,
    SPEND_PENDING,
    STYLES,
    TITLES,
    HealthTree,
    NodeData,
    object_label,
)
from orgtui.ui.messages import SnapshotChanged, SyncFinished
from orgtui.ui.text import clock_time, relative_time, safe_text
from orgtui.ui.widgets.footer import OrgFooter

if TYPE_CHECKING:
    from orgtui.core.session import Session

__all__ = ["HealthScreen", "HealthTree", "NodeData"]


class HealthScreen(Screen[None]):
    app: Any

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]
    DEFAULT_CSS = """
    HealthScreen #health-title { height: 1; background: $panel; padding: 0 1; }
    HealthScreen #health-summary { height: 2; padding: 1 1 0 1; background: $surface; }
    HealthScreen.-narrow #health-summary { height: 1; padding: 0 1; }
    HealthScreen #health-tree { height: 1fr; background: $surface; padding: 0 1;
        scrollbar-size-vertical: 1; }
    HealthScreen #health-detail { height: 4; padding: 0 1; border-top: solid $panel-lighten-1; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="health")
        self.session = session
        self.findings: list[Finding] = []
        self.computed_at: float | None = None
        self.costs: dict[str, float] | None = None
        self.costs_state = "fetching"  # fetching | ready | failed
        self.costs_error = ""
        self.security: Any = None  # core.security.SecurityFacts once read
        self.org_cost: float | None = None  # the last 30 full days, the organisation
        self._scheduled = False
        self._open_keys: set[tuple[Any, ...]] = set()
        self.access_findings: list[Finding] = []  # groups and roles, read in the background
        self._shut_keys: set[tuple[Any, ...]] = set()

    def compose(self) -> ComposeResult:
        yield Static(id="health-title")
        yield Static(id="health-summary")
        yield HealthTree("checks", id="health-tree")
        yield Static(id="health-detail")
        yield OrgFooter()

    # Shadows `DOMNode.tree` (Textual's debug view of the DOM) on purpose, as MainScreen does.
    @property
    def tree(self) -> HealthTree:  # type: ignore[override]
        return self.query_one(HealthTree)

    def on_mount(self) -> None:
        tree = self.tree
        tree.show_root = False
        tree.auto_expand = True
        tree.guide_depth = 2
        tree.focus()
        self.compute()
        self.fetch_costs()
        self.fetch_security()
        self.run_worker(self._check_access(), group="refresh-health-access", exit_on_error=False)

    # ------------------------------------------------------------------ computing

    def compute(self) -> None:
        """Run the checks on the current snapshot (and the costs, once they are in)."""
        self._scheduled = False
        now = self.app.clock.now()
        found = run_checks(
            self.session.snapshot,
            self.costs,
            now,
            self.session.profile.thresholds,
            scan=last_scan(self.session.profile.name),
            security=self.security,
        )
        if self.access_findings:
            from orgtui.core.health_access import merged

            found = merged(found, self.access_findings)
        if self.costs_state == "fetching":
            found = [f for f in found if f.id != SPEND_PENDING]
        self.computed_at = now
        if found != self.findings or not self.tree.root.children:
            self.findings = found
            self._build_tree()
        self._show_header()
        self._show_detail()

    def fetch_costs(self, max_age: float = FRESH_SECONDS) -> None:
        self.costs_state = "fetching"
        self._show_header()
        self.run_worker(
            self._fetch_costs(max_age), group="health-costs", exclusive=True, exit_on_error=False
        )

    async def _fetch_costs(self, max_age: float) -> None:
        from orgtui.core.spend_fetch import trailing_cost_by_project, trailing_org_cost

        now = self.app.clock.now()
        got = await self.session.activity.spend(now, include_usage=False, max_age=max_age)
        if got.value is None:
            self.costs, self.costs_state, self.costs_error = None, "failed", str(got.problem)
        else:
            self.costs, self.costs_state = trailing_cost_by_project(got.value), "ready"
            self.org_cost = trailing_org_cost(got.value)
        self.compute()

    def fetch_security(self) -> None:
        """Certificates, model permissions and retention (read on demand, not synced)."""
        self.run_worker(
            self._fetch_security(),
            group="refresh:health-security",
            exclusive=True,
            exit_on_error=False,
        )

    async def _fetch_security(self) -> None:
        from orgtui.core.security import load_security_facts

        self.security = await load_security_facts(self.session)
        self.compute()

    async def _check_access(self) -> None:
        """The checks on groups and roles (their state is not in the snapshot)."""
        from orgtui.core.health_access import run_access_checks

        snapshot = self.session.snapshot
        active = [pid for pid, view in snapshot.projects.items() if not view.project.archived]
        got = await self.session.activity.access(active, [u.id for u in snapshot.users or ()])
        if got.value is None:
            return  # no RBAC here (or no permission): the other checks stand alone
        self.access_findings = run_access_checks(got.value, snapshot)
        self.compute()

    def recompute(self) -> None:
        """`r`: refresh the organisation (unless a refresh is running) and the costs."""
        profile = self.session.profile.name
        if not self.app.is_syncing(profile):
            self.app.refresh_all(profile)
        self.fetch_costs(max_age=0.0)  # the user asked for new figures
        self.fetch_security()
        self.compute()

    def refresh_focused(self) -> None:  # sync.refresh (`r`) calls this on the current screen
        self.recompute()

    def on_snapshot_changed(self, message: SnapshotChanged) -> None:
        # A refresh sends one message per part: compute once they have all been handled.
        if message.profile == self.session.profile.name and not self._scheduled:
            self._scheduled = True
            self.call_after_refresh(self.compute)

    def on_sync_finished(self, message: SyncFinished) -> None:
        if message.profile == self.session.profile.name:
            self._show_header()

    # ------------------------------------------------------------------ painting

    def _show_header(self) -> None:
        left = Text("Health", style="bold")
        left.append(" · ")
        left.append_text(safe_text(self.session.snapshot.org_name, 60))
        wide = self.app.size.width >= 100
        right = Text(style="dim")
        if self.app.is_syncing(self.session.profile.name):
            right.append("refreshing the organisation · " if wide else "refreshing · ")
        if self.computed_at is not None:
            right.append(f"computed {clock_time(self.computed_at)}")
            if wide:
                right.append(f" ({relative_time(self.computed_at, self.app.clock.now())})")
        right.append(" · ")
        if self.costs_state == "fetching":
            right.append("fetching costs…")
        elif self.costs_state == "failed":
            right.append("costs unavailable")
        else:
            total = "" if self.org_cost is None else f" {format_usd(self.org_cost)}"
            right.append(f"costs: last 30 days{total}" if wide else f"30-day costs{total}")
        grid = Table.grid(expand=True)
        grid.add_column(no_wrap=True, overflow="ellipsis")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(left, right)
        self.query_one("#health-title", Static).update(grid)
        summary = Text()
        for index, severity in enumerate(SEVERITY_ORDER):
            count = sum(1 for f in self.findings if f.severity == severity)
            if index:
                summary.append(" · ")
            word = HEADINGS[severity].lower()
            if count == 1 and word.endswith("s"):
                word = word[:-1]
            summary.append(f"{count} {word}", style=STYLES[severity] if count else "dim")
        if not self.findings:
            summary.append("  No problems found.", style="bold green")
        self.query_one("#health-summary", Static).update(summary)

    def _build_tree(self) -> None:
        tree = self.tree
        keep = tree.cursor_node.data.key if tree.cursor_node and tree.cursor_node.data else None
        self._remember_expansion(tree.root)
        tree.clear()
        projects = {
            pid: view.project.name or pid for pid, view in self.session.snapshot.projects.items()
        }
        cursor: TreeNode[NodeData] | None = None
        for severity in SEVERITY_ORDER:
            group = [f for f in self.findings if f.severity == severity]
            if not group:
                continue
            label = Text(f"{MARKS[severity]} {HEADINGS[severity]} ", style=STYLES[severity])
            label.append(str(len(group)), style="dim")
            data = NodeData("severity", ("s", str(severity)), tuple(group))
            top = tree.root.add(label, data, expand=self._expanded(data.key, True))
            cursor = cursor if keep != data.key else top
            checks: dict[str, list[Finding]] = {}
            for item in group:
                checks.setdefault(item.id, []).append(item)
            for check_id, items in checks.items():
                refs = [ref for f in items for ref in f.objects]
                label = Text(TITLES.get(check_id, check_id))
                label.append(f"  {len(refs) or len(items)}", style="dim")
                data = NodeData("check", ("c", check_id), tuple(items))
                default = severity == Severity.FAILURE
                node = (
                    top.add(label, data, expand=self._expanded(data.key, default))
                    if refs
                    else top.add_leaf(label, data)
                )
                cursor = cursor if keep != data.key else node
                for f in items:
                    for ref in f.objects:
                        data = NodeData(
                            "object", ("o", check_id, ref.type, ref.id, ref.project_id), (f,), ref
                        )
                        leaf = node.add_leaf(object_label(ref, projects), data)
                        cursor = cursor if keep != data.key else leaf
        if cursor is not None:
            tree.move_cursor(cursor, animate=False)
        elif tree.root.children:
            tree.move_cursor(tree.root.children[0], animate=False)

    def _remember_expansion(self, node: TreeNode[NodeData]) -> None:
        for child in node.children:
            if child.data is not None and child.allow_expand:
                (self._open_keys if child.is_expanded else self._shut_keys).add(child.data.key)
                (self._shut_keys if child.is_expanded else self._open_keys).discard(child.data.key)
            self._remember_expansion(child)

    def _expanded(self, key: tuple[Any, ...], default: bool) -> bool:
        if key in self._open_keys:
            return True
        return False if key in self._shut_keys else default

    def _show_detail(self) -> None:
        node = self.tree.cursor_node
        data = node.data if node is not None else None
        text = Text()
        if data is None or data.kind == "severity":
            if self.costs_state == "failed":
                text.append_text(safe_text(f"Costs could not be read: {self.costs_error}", 300))
                text.append("\n")
            text.append(
                "enter opens a check, and on an object shows it in the console; "
                "a opens its audit log; r recomputes.",
                style="dim",
            )
        else:
            first = data.findings[0]
            text.append_text(safe_text(first.message, 300, style="bold"))
            if len(data.findings) > 1:
                text.append(f"  (+{len(data.findings) - 1} more like it)", style="dim")
            text.append("\nFix: ", style="bold")
            text.append_text(safe_text(first.hint, 300))
            if data.kind == "object":
                text.append("\nenter shows it in the console · a opens its audit log", style="dim")
        self.query_one("#health-detail", Static).update(text)

    # ------------------------------------------------------------------ navigation

    @on(Tree.NodeHighlighted, "#health-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[NodeData]) -> None:
        self._show_detail()

    @on(Tree.NodeSelected, "#health-tree")
    def _selected(self, event: Tree.NodeSelected[NodeData]) -> None:
        data = event.node.data
        if data is None or data.ref is None:
            return
        from orgtui.ui.features.shell.reveal import jump_to

        # An app worker: the jump closes this screen, which would cancel one of its own.
        self.app.run_worker(
            jump_to(self.app, self.session.profile.name, data.ref),
            group="health-jump",
            exclusive=True,
            exit_on_error=False,
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def action_context(self) -> ActionContext:
        """For `a`: the highlighted object (a project's events, or one object's)."""
        node = self.tree.cursor_node
        ref = node.data.ref if node is not None and node.data is not None else None
        ctx = ActionContext(scope=A.HEALTH, session=self.session)
        if ref is None or ref.type in ("organization", "part"):
            return ctx
        if ref.type == "project":
            ctx.project_id = ref.id
        else:
            ctx.project_id = ref.project_id
            ctx.extra["audit_object_id"] = ref.id
        return ctx
