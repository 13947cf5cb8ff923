"""`?`: the keys that work here, then every action by scope, from the live bindings.

Keys shown are the ones in force (keymap overrides applied); actions that no module provides
in this build are marked, and so are changes refused in read-only mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from orgtui.ui.bindings import effective_key
from orgtui.ui.widgets.footer import offered

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp

SCOPE_TITLES = {
    "global": "Everywhere",
    "tree": "Organisation tree",
    "project": "Project (tree or detail)",
    "key": "API keys list",
    "service_account": "Service accounts list",
    "project_member": "Project members list",
    "org_member": "Organisation members list",
    "invite": "Invites list",
    "admin_key": "Admin keys list",
    "limits": "Limits tab",
    "spend": "Spend screen",
    "audit": "Audit log",
    "health": "Health",
    "matrix": "Access matrix",
    "dialog": "Copy-once dialog",
}
MOVES = (
    ("j k ↑ ↓", "Move", "Move in lists and the tree"),
    ("enter", "Open", "Open the selected node's detail"),
    ("← → 1-6", "Tabs", "Switch project tabs (from a list)"),
    ("tab", "Next pane", "Move focus to the next pane (shift+tab: back)"),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
        Binding("space,pagedown", "page(1)", "Page down", show=False),
        Binding("b,pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "ends(0)", "Top", show=False),
        Binding("G,end", "ends(1)", "Bottom", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90; max-width: 100%; height: 90%;
        border: round $primary; background: $surface; padding: 0 1; }
    """

    def __init__(self, app: OrgTuiApp) -> None:
        super().__init__()
        # Captured now, while the screen underneath is still the active one.
        self._here = self._active_here(app)
        self._body = self._render_all(app)

    @staticmethod
    def _active_here(app: OrgTuiApp) -> list[tuple[str, str, str, str]]:
        rows = []
        seen: set[str] = set()
        registries: dict[int, Any] = {}
        for key, active in app.screen.active_bindings.items():
            binding = active.binding
            if not active.enabled or not binding.description or binding.id in seen:
                continue
            if not offered(active.node, binding, app, registries):
                continue  # a read-only org's mutating key: refused, listed below as such
            named = bool(binding.id and not binding.id.startswith(("tabs.", "jump.")))
            if binding.action.startswith("orgtui(") or binding.show or named:
                seen.add(binding.id or key)
                rows.append(
                    (
                        app.get_key_display(binding),
                        binding.description,
                        binding.tooltip,
                        binding.id or "",
                    )
                )
        return rows

    def _render_all(self, app: OrgTuiApp) -> Any:
        keymap = getattr(app, "keymap_overrides", {})
        registry = app.registry
        parts: list[Any] = [
            Text("orgtui keys  (j/k scroll, escape, q or ? closes)\n", style="bold")
        ]
        here = _table("Keys that work here", ids=True)
        for key, label, description, action_id in self._here:
            here.add_row(key, label, description, Text(action_id, style="dim"))
        for key, label, description in MOVES:
            here.add_row(key, label, description, "")
        parts.append(here)
        by_scope: dict[str, list[Any]] = {}
        for spec in registry.specs():
            by_scope.setdefault(spec.scope, []).append(spec)
        for scope, specs in by_scope.items():
            table = _table(SCOPE_TITLES.get(scope, scope), ids=True)
            for spec in specs:
                bound = effective_key(spec, keymap)
                shown = (
                    ", ".join(app.get_key_display_for(k) for k in bound.split(",")) if bound else ""
                )
                note = Text(spec.description)
                if not app.action_available(spec.id):
                    note.append(" (not in this build)", style="dim italic")
                elif spec.mutates and registry.read_only:
                    note.append(" (refused: read-only)", style="italic")
                name = Text(spec.label, style="dim" if not app.action_available(spec.id) else "")
                table.add_row(shown, name, note, Text(spec.id, style="dim"))
            parts.append(table)
        parts.append(
            Text('Remap keys in the config\'s [keymap] section: action id = "key".', style="dim")
        )
        return Group(*parts)

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self._body, id="help-body")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_relative(y=pages * max(1, scroll.size.height - 1), animate=False)

    def action_ends(self, bottom: int) -> None:
        scroll = self.query_one(VerticalScroll)
        if bottom:
            scroll.scroll_end(animate=False)
        else:
            scroll.scroll_home(animate=False)


def _table(title: str, *, ids: bool = False) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=None,
        show_header=False,
        padding=(0, 1),
        expand=True,
    )
    table.add_column("Key", style="bold", no_wrap=True, width=10)
    table.add_column("Action", no_wrap=True, width=20)
    table.add_column("What it does", ratio=1)
    if ids:  # the id a [keymap] line names
        table.add_column("Action id", no_wrap=True)
    return table
