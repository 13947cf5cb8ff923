"""The org tree: one root per organisation (profile), its projects and org-level nodes.

    Acme Robotics (sandbox)
    ├── Projects 12
    │   ├── Default project
    │   └── Old thing (archived)      <- dimmed; hidden unless view.toggle_archived
    ├── Members 8
    ├── Invites 2
    ├── Admin keys 3
    ├── Certificates
    ├── Groups                        <- enter opens the Groups screen (W)
    └── Roles                         <- enter opens the Roles screen (P)

The tree is rebuilt from snapshots (`sync_session`), keeping the cursor on the same node.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import BindingType
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from orgtui.core import actions as A
from orgtui.core.figures import invite_counts, project_counts
from orgtui.ui.bindings import VI_MOVES, ScopedActions, scope_bindings
from orgtui.ui.compat import number_tree_lines
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.text import safe_text

if TYPE_CHECKING:
    from collections.abc import Sized

    from orgtui.core.session import Session
    from orgtui.core.snapshot import OrgSnapshot, ProjectView

ORG = "org"
PROJECTS = "projects"
PROJECT = "project"
MEMBERS = "members"
INVITES = "invites"
ADMIN_KEYS = "admin_keys"
CERTIFICATES = "certificates"  # read when shown (orgtui.ui.features.security), not in the snapshot
GROUPS = "groups"  # role-based access (orgtui.ui.features.access): read by their screens, not the snapshot
ROLES = "roles"
ACCESS_LEAVES = ((GROUPS, "Groups"), (ROLES, "Roles"))
ORG_LEAVES = (
    (MEMBERS, "Members", "users"),
    (INVITES, "Invites", "invites"),
    (ADMIN_KEYS, "Admin keys", "admin_keys"),
)
TREE_NAME_MAX = 60


@dataclass(frozen=True)
class NodeRef:
    """What a tree node stands for: (profile, kind, project id)."""

    profile: str
    kind: str
    project_id: str | None = None


def _count(items: Sized | None) -> str:
    return "…" if items is None else str(len(items))


def project_label(view: ProjectView) -> Text:
    text = safe_text(view.project.name or view.project.id, TREE_NAME_MAX)
    if view.archived:
        text.stylize("dim italic")
        text.append(" (archived)", style="dim italic")
    return text


class OrgTree(ScopedActions, Tree[NodeRef]):
    """Organisations, their projects and org-level lists."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *VI_MOVES,
        *scope_bindings(A.TREE, A.PROJECT),
    ]
    SCOPES = (A.TREE, A.PROJECT)
    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "

    def __init__(self, sessions: list[Session], *, id: str | None = None) -> None:
        super().__init__(Text("organisations"), id=id)  # a str would be parsed as markup
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self.sessions = {s.profile.name: s for s in sessions}
        self.show_archived = False
        self._filter = ""
        self._filter_profile: str | None = None  # the organisation `/` filters
        self._ref_nodes: dict[NodeRef, TreeNode[NodeRef]] = {}
        self._project_keys: dict[str, tuple[tuple[str, str, bool], ...]] = {}
        self._first_sync = True
        # profile -> why the organisation cannot be reached (a missing key, 401, offline).
        self.problems: dict[str, str] = {}

    def process_label(self, label: str | Text) -> Text:
        # Labels here are built as single-line Text: no need for the copy Tree makes.
        if isinstance(label, Text) and "\n" not in label.plain:
            return label
        return super().process_label(label)

    def get_label_width(self, node: TreeNode[NodeRef]) -> int:
        """What `render_label` would measure, without rendering: the tree measures every line
        to size its scroll width (500 projects: the default rendered them all on each build)."""
        # Labels are stored as Text (`process_label`); Textual types the property `str | Text`.
        label = node.label
        width = label.cell_len if isinstance(label, Text) else cell_len(label)
        if not node.allow_expand:
            return width
        icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        return cell_len(icon) + width

    # ------------------------------------------------------------------ building

    def on_mount(self) -> None:
        for session in self.sessions.values():
            self.sync_session(session.profile.name, session.snapshot)
        self._select_start()

    def _select_start(self) -> None:
        profiles = list(self.sessions)
        if not profiles:
            return
        node = self._ref_nodes.get(NodeRef(profiles[0], ORG))
        if node is not None:
            self.move_cursor(node)

    def _org_node(self, profile: str, snapshot: OrgSnapshot) -> TreeNode[NodeRef]:
        ref = NodeRef(profile, ORG)
        node = self._ref_nodes.get(ref)
        label = Text()
        if self.sessions[profile].read_only and len(self.sessions) > 1:
            # First, so a long name never pushes it out of a narrow tree.
            label.append("RO", style="bold reverse")
            label.append(" ")
        label.append_text(safe_text(snapshot.org_name or profile, TREE_NAME_MAX, style="bold"))
        if len(self.sessions) > 1 and snapshot.org_name != profile:
            label.append(f"  {profile}", style="dim")
        problem = self.problems.get(profile) if len(self.sessions) > 1 else None
        if problem:  # several orgs: the one that fails says why on its root (one: the header)
            label.append("  ⚠ ", style="bold red")
            label.append_text(safe_text(problem, TREE_NAME_MAX, style="red"))
        if node is None:
            node = self.root.add(label, ref, expand=True)
            self._ref_nodes[ref] = node
            child = NodeRef(profile, PROJECTS)
            self._ref_nodes[child] = node.add(Text("Projects"), child, expand=True)
            for kind, _title, _field in ORG_LEAVES:
                child = NodeRef(profile, kind)
                self._ref_nodes[child] = node.add_leaf(Text(_title), child)
            child = NodeRef(profile, CERTIFICATES)
            self._ref_nodes[child] = node.add_leaf(Text("Certificates"), child)
            for kind, title in ACCESS_LEAVES:
                child = NodeRef(profile, kind)
                self._ref_nodes[child] = node.add_leaf(Text(title), child)
        elif node.label != label:
            node.set_label(label)
        return node

    def visible_projects(
        self, snapshot: OrgSnapshot, profile: str | None = None
    ) -> list[ProjectView]:
        # `/` filters the focused organisation's projects (the one it was opened in).
        needle = self._filter if profile in (None, self._filter_profile) else ""
        out = []
        for view in snapshot.projects.values():
            if view.archived and not self.show_archived:
                continue
            if needle and needle not in (view.project.name or view.project.id).casefold():
                continue
            out.append(view)
        # Active projects first, archived (when shown) after them.
        return sorted(out, key=lambda v: v.archived)

    def sync_session(self, profile: str, snapshot: OrgSnapshot) -> None:
        """Bring one organisation's subtree in line with a snapshot."""
        keep = self.cursor_node.data if self.cursor_node is not None else None
        self._org_node(profile, snapshot)
        projects_node = self._ref_nodes[NodeRef(profile, PROJECTS)]
        views = self.visible_projects(snapshot, profile)
        counts = project_counts(snapshot)
        label = Text("Projects ")
        label.append("…" if counts is None else str(counts.active), style="dim")
        if counts is not None and counts.archived:  # shown or not: the count says so
            label.append(f" +{counts.archived} archived", style="dim italic")
        if self._filter and profile == self._filter_profile:
            label.append(f" /{self._filter}", style="italic")
        projects_node.set_label(label)
        wanted = tuple((v.id, v.project.name or "", v.archived) for v in views)
        if self._project_keys.get(profile) != wanted:
            self._project_keys[profile] = wanted
            for ref in [r for r in self._ref_nodes if r.profile == profile and r.kind == PROJECT]:
                del self._ref_nodes[ref]
            projects_node.remove_children()
            for view in views:
                ref = NodeRef(profile, PROJECT, view.id)
                self._ref_nodes[ref] = projects_node.add_leaf(project_label(view), ref)
        lists = {
            "users": snapshot.users,
            "invites": snapshot.invites,
            "admin_keys": snapshot.admin_keys,
        }
        invites = invite_counts(snapshot)
        for kind, title, field in ORG_LEAVES:
            text = Text(f"{title} ")
            if kind == INVITES and invites is not None:
                text.append(invites.text(), style="dim")
            else:
                text.append(_count(lists[field]), style="dim")
            self._ref_nodes[NodeRef(profile, kind)].set_label(text)
        if keep is not None:
            self.select_ref(keep, fallback=True)

    def set_problem(self, profile: str, problem: str | None) -> None:
        """Show (or clear) on an organisation's root why it cannot be reached."""
        if self.problems.get(profile) == (problem or None):
            return
        if problem:
            self.problems[profile] = problem
        else:
            self.problems.pop(profile, None)
        if profile in self.sessions:
            self._org_node(profile, self.sessions[profile].snapshot)

    def set_show_archived(self, show: bool) -> None:
        self.show_archived = show
        self._resync()

    def set_filter(self, text: str) -> None:
        if text and not self._filter:  # a new filter: it applies to the focused organisation
            ref = self.current
            self._filter_profile = ref.profile if ref is not None else None
        self._filter = text.casefold()
        self._resync()

    @property
    def filter_text(self) -> str:
        return self._filter

    def _resync(self) -> None:
        for profile, session in self.sessions.items():
            self.sync_session(profile, session.snapshot)

    def select_ref(self, ref: NodeRef, *, fallback: bool = False) -> bool:
        """Put the cursor on a node; with fallback, on its parent when it is gone."""
        node = self._ref_nodes.get(ref)
        if node is None and fallback:
            kind = PROJECTS if ref.kind == PROJECT else ORG
            node = self._ref_nodes.get(NodeRef(ref.profile, kind))
        if node is None:
            return False
        if self.cursor_node is not node:
            number_tree_lines(self)  # nodes added just now have no line number yet
            self.move_cursor(node, animate=False)
        return True

    # ------------------------------------------------------------------ context

    @property
    def current(self) -> NodeRef | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def session_of(self, ref: NodeRef | None) -> Session | None:
        if ref is None:
            return next(iter(self.sessions.values()), None)
        return self.sessions.get(ref.profile)

    def action_context(self) -> ActionContext:
        ref = self.current
        session = self.session_of(ref)
        if ref is not None and ref.kind == PROJECT and session is not None and ref.project_id:
            view = session.snapshot.project(ref.project_id)
            return ActionContext(
                scope=A.PROJECT,
                project_id=ref.project_id,
                item=view.project if view else None,
                extra={"node": ref.kind},
                session=session,
            )
        return ActionContext(
            scope=A.TREE, extra={"node": ref.kind if ref else None}, session=session
        )

    def applies(self, action_id: str) -> bool:
        spec = A.ActionRegistry().get(action_id)
        if spec.scope != A.PROJECT:
            return True
        ref = self.current
        if ref is None or ref.kind != PROJECT:
            return False
        session = self.session_of(ref)
        view = session.snapshot.project(ref.project_id or "") if session else None
        return view is not None and not view.archived

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        super().watch_cursor_line(previous_line, line)
        self.refresh_bindings()
