"""Reveal an object: close the screens above the main one and select it in the tree and table.

Used by the audit log, the health screen, the incident view and `:` jumps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orgtui.ui.text import safe_str

if TYPE_CHECKING:
    from orgtui.core.health import ObjectRef
    from orgtui.ui.app import OrgTuiApp


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
    from orgtui.ui.features.projects.detail_pane import ProjectDetail
    from orgtui.ui.features.shell.main_screen import MainScreen
    from orgtui.ui.widgets.org_tree import NodeRef
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
    table: VirtualTable | None
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
        from orgtui.ui.features.access.actions import reveal_access

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
