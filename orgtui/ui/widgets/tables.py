"""Resource tables: a VirtualTable per kind of object, owning the bindings of its scope.

Each class declares its registry scope; its BINDINGS are built from the registry, so the footer
shows exactly the actions that work on the focused list. Actions that need a selected row are
hidden while the list is empty (`ROW_FREE` lists the ones that do not).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType

from orgtui.core import actions as A
from orgtui.ui.bindings import ScopedActions, scope_bindings
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.messages import KeyDetailsWanted
from orgtui.ui.widgets import rows as R
from orgtui.ui.widgets.vtable import Column, VirtualTable

if TYPE_CHECKING:
    from orgtui.core.session import Session


class ResourceTable(ScopedActions, VirtualTable):
    """A list of API objects in one scope (keys, members, ...)."""

    SCOPE: ClassVar[str | None] = None
    COLUMNS: ClassVar[tuple[Column, ...]] = ()
    EMPTY: ClassVar[str] = "Nothing here"
    ROW_FREE: ClassVar[frozenset[str]] = frozenset()
    # Every list: `y` copies the focused object's id (the copy-once dialog's clipboard path).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "yank", "Yank id", show=False, id="list.yank")
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(self.COLUMNS, empty=self.EMPTY, id=id, classes=classes)
        self.session: Session | None = None
        self.project_id: str | None = None
        self._had_row = False

    def scopes(self) -> tuple[str, ...]:
        return (self.SCOPE,) if self.SCOPE else ()

    def action_context(self) -> ActionContext:
        row = self.current
        return ActionContext(
            scope=self.SCOPE or A.GLOBAL,
            project_id=self.project_id,
            item=row.item if row else None,
            session=self.session,
        )

    def applies(self, action_id: str) -> bool:
        if action_id in self.ROW_FREE:
            return True
        spec = A.ActionRegistry().get(action_id)
        if spec.scope == self.SCOPE:
            return self.current is not None
        return True

    def action_yank(self) -> None:
        from orgtui.ui.yank import yank

        row = self.current
        if row is None:
            return
        ident = getattr(row.item, "id", None)
        yank(self.app, ident if isinstance(ident, str) else row.key)

    def watch_cursor(self, old: int, new: int) -> None:
        super().watch_cursor(old, new)
        has_row = self.current is not None
        if has_row != self._had_row:
            self._had_row = has_row
            self.refresh_bindings()

    def set_rows(self, rows: Any) -> None:
        super().set_rows(rows)
        has_row = self.current is not None
        if has_row != self._had_row:
            self._had_row = has_row
            self.refresh_bindings()


def _scoped(scope: str) -> list[BindingType]:
    return list(scope_bindings(scope))


class KeysTable(ResourceTable):
    SCOPE = A.KEY
    COLUMNS = R.KEY_COLUMNS
    EMPTY = "No API keys in this project"
    BINDINGS = _scoped(A.KEY)

    def on_virtual_table_selected(self, event: VirtualTable.Selected) -> None:
        """`enter` on a key asks for its details (the project pane opens them)."""
        if event.table is not self or event.row is None or not self.project_id:
            return
        event.stop()
        self.post_message(
            KeyDetailsWanted(self.session or self.app.session, self.project_id, event.row.item)
        )


class ServiceAccountsTable(ResourceTable):
    SCOPE = A.SERVICE_ACCOUNT
    COLUMNS = R.SERVICE_ACCOUNT_COLUMNS
    EMPTY = "No service accounts"
    BINDINGS = _scoped(A.SERVICE_ACCOUNT)


class ProjectMembersTable(ResourceTable):
    SCOPE = A.PROJECT_MEMBER
    COLUMNS = R.PROJECT_MEMBER_COLUMNS
    EMPTY = "No members"
    ROW_FREE = frozenset({"project_member.add"})
    BINDINGS = _scoped(A.PROJECT_MEMBER)


class RateLimitsTable(ResourceTable):
    SCOPE = A.RATE_LIMIT
    COLUMNS = R.RATE_LIMIT_COLUMNS
    EMPTY = "No rate limits"
    BINDINGS = _scoped(A.RATE_LIMIT)


class AlertsTable(ResourceTable):
    SCOPE = A.LIMITS
    COLUMNS = R.ALERT_COLUMNS
    EMPTY = "No spend alerts"
    ROW_FREE = frozenset({"limit.set", "limit.remove", "alert.create"})
    BINDINGS = _scoped(A.LIMITS)


class OrgMembersTable(ResourceTable):
    SCOPE = A.ORG_MEMBER
    COLUMNS = R.ORG_MEMBER_COLUMNS
    EMPTY = "No members"
    BINDINGS = _scoped(A.ORG_MEMBER)


class InvitesTable(ResourceTable):
    SCOPE = A.INVITE
    COLUMNS = R.INVITE_COLUMNS
    EMPTY = "No invites"
    BINDINGS = _scoped(A.INVITE)


class AdminKeysTable(ResourceTable):
    SCOPE = A.ADMIN_KEY
    COLUMNS = R.ADMIN_KEY_COLUMNS
    EMPTY = "No admin keys"
    ROW_FREE = frozenset({"admin_key.create"})
    BINDINGS = _scoped(A.ADMIN_KEY)


class ProjectsTable(ResourceTable):
    """The Projects node: every project with its status; enter opens it in the tree."""

    SCOPE = A.PROJECT
    COLUMNS = R.PROJECT_COLUMNS
    EMPTY = "No projects"
    BINDINGS = _scoped(A.PROJECT)

    def action_context(self) -> ActionContext:
        ctx = super().action_context()
        if ctx.item is not None:
            ctx.project_id = ctx.item.id
        return ctx
