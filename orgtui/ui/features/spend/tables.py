"""The spend screen's two lists: projects (with the organisation first) and the top keys.

The projects list owns the `limits` actions of the selected scope (set or remove a hard limit,
add an alert; enter opens the scope's limits and alerts). The keys list carries the key actions
(delete, rotate) for keys that still exist, so a runaway key can be dealt with from here.
Both have `f`: show only the selected project or key in the graph (again: everything).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from orgtui.core import actions as A
from orgtui.ui.bindings import scope_bindings
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.spend.rows import KEY_COLUMNS, PROJECT_COLUMNS, SpendScope
from orgtui.ui.widgets.tables import ResourceTable

if TYPE_CHECKING:
    from orgtui.api.models import ProjectApiKey
    from orgtui.core.spend import KeySpend

# Not in the footer (it is full at 80 columns); the help screen lists it.
GRAPH_FILTER = Binding("f", "graph_filter", "Graph this", id="spend.graph_filter", show=False)
_ROW_ACTIONS = frozenset({"limit.set", "limit.remove", "alert.create"})


class SpendProjectsTable(ResourceTable):
    SCOPE = A.LIMITS
    COLUMNS = PROJECT_COLUMNS
    EMPTY = "Loading spend figures…"
    BINDINGS: ClassVar[list[BindingType]] = [
        *[b for b in scope_bindings(A.LIMITS) if b.id in _ROW_ACTIONS],
        GRAPH_FILTER,
    ]

    def scope_row(self) -> SpendScope | None:
        row = self.current
        return row.item if row is not None and isinstance(row.item, SpendScope) else None

    def action_context(self) -> ActionContext:
        scope = self.scope_row()
        return ActionContext(
            scope=A.LIMITS,
            project_id=scope.project_id if scope else None,
            item=None,
            session=self.session,
            extra={"scope_name": scope.name if scope else "the organisation", "from": "spend"},
        )

    def applies(self, action_id: str) -> bool:
        scope = self.scope_row()
        if scope is None:
            return False
        if action_id == "limit.remove":
            return scope.figures.limit is not None
        return action_id in _ROW_ACTIONS

    def action_graph_filter(self) -> None:
        scope = self.scope_row()
        screen: Any = self.screen
        if scope is not None and hasattr(screen, "filter_graph"):
            screen.filter_graph(project_id=scope.project_id)


class TopKeysTable(ResourceTable):
    SCOPE = A.KEY
    COLUMNS = KEY_COLUMNS
    EMPTY = "No key has a cost this month"
    BINDINGS: ClassVar[list[BindingType]] = [
        *[b for b in scope_bindings(A.KEY) if b.id in {"key.delete", "key.rotate"}],
        GRAPH_FILTER,
    ]

    def spend(self) -> KeySpend | None:
        row = self.current
        return row.item if row is not None else None

    def live_key(self) -> ProjectApiKey | None:
        """The key object from the snapshot (None for a deleted or not yet listed key)."""
        spend = self.spend()
        if spend is None or spend.deleted or self.session is None or spend.project_id is None:
            return None
        view = self.session.snapshot.project(spend.project_id)
        for key in (view.get("api_keys") if view is not None else None) or ():
            if key.id == spend.id:
                return key
        return None

    def action_context(self) -> ActionContext:
        spend = self.spend()
        return ActionContext(
            scope=A.KEY,
            project_id=spend.project_id if spend else None,
            item=self.live_key(),
            session=self.session,
        )

    def applies(self, action_id: str) -> bool:
        return self.live_key() is not None

    def action_graph_filter(self) -> None:
        spend = self.spend()
        screen: Any = self.screen
        if spend is not None and hasattr(screen, "filter_graph"):
            screen.filter_graph(project_id=spend.project_id, api_key_id=spend.id)
