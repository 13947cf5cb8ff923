"""UI handlers of `view.audit` (`a`) and `view.health` (`h`).

`a` opens the audit log filtered to what is selected: a project's events, or one object's
(key, service account, member, invite, admin key) through the API's `resource_ids` filter.
From the health screen it applies to the highlighted finding's object. With nothing selected
(the organisation, the palette) it opens unfiltered. Pressing it again on the audit log goes to
its filters; `h` on the health screen recomputes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgtui.core.audit_query import Directory, FilterTexts
from orgtui.ui.dispatch import ActionContext, ui_action
from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.core.health import ObjectRef
    from orgtui.ui.app import OrgTuiApp


def _typeable(text: str | None) -> bool:
    """A name that can stand in a filter field as it is (no controls, not absurdly long)."""
    return bool(text) and safe_str(text, 64) == text


def filters_for_item(item: Any, project_id: str | None, directory: Directory) -> FilterTexts:
    """The filters that show one object's history: a project's events, or one object's."""
    from orgtui.api.models import Project

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
    from orgtui.ui.screens.audit import AuditScreen

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


@ui_action("view.health")
async def open_health(app: OrgTuiApp, ctx: ActionContext) -> None:
    from orgtui.ui.screens.health import HealthScreen

    current = app.screen
    if isinstance(current, HealthScreen):
        current.recompute()
        return
    await app.push_screen(HealthScreen(ctx.session or app.session))


class _Ref:
    """Stands in for a model object when only its id is known (a health finding's object)."""

    def __init__(self, ident: str) -> None:
        self.id = ident


# Where each kind of object lives in the main screen: a project tab, or an org-level node.
PROJECT_TABS = {"api_key": 0, "service_account": 1, "user": 2, "project_security": 5}
ORG_NODES = {
    "user": "members",
    "invite": "invites",
    "admin_key": "admin_keys",
    "organization": "org",
    "certificate": "certificates",
}


async def reveal_object(
    app: OrgTuiApp, profile: str, kind: str, object_id: str, project_id: str | None = None
) -> bool:
    """Close the screens above the main one and select an object in the tree and its table.

    Uses the shell's `app.reveal(profile, kind, object_id, project_id)` when it has one; until
    then it drives the main screen through its public methods.
    """
    reveal = getattr(app, "reveal", None)
    if callable(reveal):
        return bool(reveal(profile, kind, object_id, project_id))
    from orgtui.core.snapshot import split_part
    from orgtui.ui.screens.main import MainScreen
    from orgtui.ui.widgets.org_tree import NodeRef
    from orgtui.ui.widgets.project_detail import ProjectDetail
    from orgtui.ui.widgets.vtable import VirtualTable

    if kind == "part":
        project_id, _ = split_part(object_id)
        kind, object_id = "project", project_id or ""
        if not project_id:
            return False
    main = next((s for s in app.screen_stack if isinstance(s, MainScreen)), None)
    if main is None:
        return False
    while app.screen is not main and len(app.screen_stack) > 1:
        app.pop_screen()
    if project_id:
        if not main.goto(profile, project_id):
            return False
        tab = PROJECT_TABS.get(kind)
        if tab is None:
            return True
        if not await _shown(main, NodeRef(profile, "project", project_id)):
            return False
        detail = main.query_one(ProjectDetail)
        detail.action_tab_index(tab)
        if kind == "project_security":
            return True
        table = detail.active_table()
    else:
        node = ORG_NODES.get(kind)
        if node is None or not main.tree.select_ref(NodeRef(profile, node)):
            return False
        main.tree.focus()
        if kind == "organization":
            return True
        if not await _shown(main, NodeRef(profile, node)):
            return False
        pane = main.detail.visible_content
        table = next(iter(pane.query(VirtualTable)), None) if pane is not None else None
    select_key = getattr(table, "select_key", None)
    if table is None or not callable(select_key):
        return False
    table.focus()
    return bool(select_key(object_id))


async def _shown(main: Any, ref: Any) -> bool:
    """Wait (briefly) for the tree's highlight to reach the detail pane."""
    import asyncio

    for _ in range(100):
        if main.detail.ref == ref:
            return True
        await asyncio.sleep(0.01)
    return False


async def jump_to(app: OrgTuiApp, profile: str, ref: ObjectRef) -> bool:
    """`enter` on a health object. Run it in an app worker: it closes the screen it came from."""
    if ref.type in ("group", "role"):
        from orgtui.ui.access.actions import reveal_access

        if await reveal_access(app, ref.type, ref.id, ref.project_id):
            return True
    elif await reveal_object(app, profile, ref.type, ref.id, ref.project_id):
        return True
    app.notify(
        f"Cannot show {safe_str(ref.name or ref.id, 80)} in the console",
        severity="warning",
        markup=False,
    )
    return False
