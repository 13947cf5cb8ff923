"""UI handler of `view.audit` (`a`).

`a` opens the audit log filtered to what is selected: a project's events, or one object's
(key, service account, member, invite, admin key) through the API's `resource_ids` filter.
From the health screen it applies to the highlighted finding's object. With nothing selected
(the organisation, the palette) it opens unfiltered. Pressing it again on the audit log goes to
its filters.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeGuard

from orgtui.core.audit_query import Directory, FilterTexts
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.ui.app import OrgTuiApp


def _typeable(text: str | None) -> TypeGuard[str]:
    """A name that can stand in a filter field as it is (no controls, not absurdly long)."""
    return bool(text) and safe_str(text, 64) == text


def filters_for_item(item: Any, project_id: str | None, directory: Directory) -> FilterTexts:
    """The filters that show one object's history: a project's events, or one object's."""
    from orgtui.core.records import Project

    if isinstance(item, Project) or (item is None and project_id):
        pid = item.id if item is not None else project_id or ""
        name = directory.projects.get(pid)
        shown = name if _typeable(name) and directory.resolve_project(name or "")[0] == pid else pid
        return FilterTexts(project=shown)
    ident = getattr(item, "id", None)
    if not isinstance(ident, str):
        return FilterTexts()
    name = directory.name_of(ident)
    unique = _typeable(name) and directory.resolve_object(name or "")[0] == ident
    return FilterTexts(object=name if unique and name else ident)


@ui_action("view.audit")
async def open_audit(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.features.audit.screen import AuditScreen

    current = app.screen
    if isinstance(current, AuditScreen):
        current.open_filter()
        return
    session = ctx.session or app.session
    directory = Directory.from_snapshot(session.snapshot)
    object_id = ctx.extra.get("audit_object_id")
    if isinstance(object_id, str):
        initial = filters_for_item(_Ref(object_id), None, directory)
    elif ctx.item is not None or ctx.project_id:
        initial = filters_for_item(ctx.item, ctx.project_id, directory)
    else:
        initial = FilterTexts()
    await app.push_screen(AuditScreen(session, initial))


class _Ref:
    """Stands in for a model object when only its id is known (a health finding's object)."""

    def __init__(self, ident: str) -> None:
        self.id = ident
