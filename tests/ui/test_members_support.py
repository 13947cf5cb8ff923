"""Helpers shared by the members, invites and matrix tests (no tests in here)."""

from __future__ import annotations

from typing import Any

import orgtui.ui.features.members.actions  # noqa: F401  (registers the member UI handlers)
from orgtui.ui.dispatch import ActionContext
from tests import pilot_support

ADA = "ada.lovelace@acme-robotics.example"
GRACE = "grace.hopper@acme-robotics.example"
ALAN = "alan.turing@acme-robotics.example"
HEDY = "hedy.lamarr@acme-robotics.example"


async def settle(pilot: Any, rounds: int = 4) -> None:
    """Until the console is idle (`pilot_support.wait_idle`; an action waiting on a dialog
    does not count), cursors frozen."""
    await pilot_support.wait_idle(pilot)
    pilot_support.freeze_cursors(pilot.app)


def notes(app: Any) -> list[str]:
    """Every notification shown so far (title and message)."""
    return [f"{n.title}: {n.message}" for n in app._notifications]


def last_note(app: Any) -> str:
    shown = notes(app)
    return shown[-1] if shown else ""


def store(app: Any) -> Any:
    return app.connections[0].sandbox.store


def user(app: Any, email: str) -> Any:
    return next(u for u in app.session.snapshot.users if u.email == email)


def project(app: Any, name: str) -> Any:
    return next(v for v in app.session.snapshot.projects.values() if v.project.name == name)


def org_role_in_store(app: Any, email: str) -> str | None:
    row = store(app).user_by_email(email)
    return None if row is None else row["role"]


def project_role_in_store(app: Any, project_name: str, email: str) -> str | None:
    row = store(app).one(
        "SELECT pu.role FROM project_users pu JOIN users u ON u.id = pu.user_id"
        " JOIN projects p ON p.id = pu.project_id"
        " WHERE p.name = ? AND lower(u.email) = lower(?) AND u.deleted_at IS NULL",
        (project_name, email),
    )
    return None if row is None else row["role"]


def invites_in_store(app: Any) -> dict[str, tuple[str, str, str]]:
    rows = store(app).query(
        "SELECT email, role, status, projects FROM invites WHERE deleted_at IS NULL"
    )
    return {r["email"]: (r["role"], r["status"], r["projects"]) for r in rows}


async def goto_node(pilot: Any, kind: str) -> None:
    """Select an org-level tree node (members, invites, ...) and focus its table."""
    from orgtui.ui.widgets.org_tree import NodeRef

    await settle(pilot)
    pilot.app.screen.tree.select_ref(NodeRef(pilot.app.session.profile.name, kind))
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def goto_project_tab(pilot: Any, name: str, tab: int) -> None:
    await settle(pilot)
    app = pilot.app
    app.main_screen_goto(app.session.profile.name, project(app, name).id)
    await settle(pilot)
    await pilot.press("enter", str(tab))
    await settle(pilot)


async def select_row(pilot: Any, table_id: str, key: str) -> Any:
    table = pilot.app.screen.query_one(f"#{table_id}")
    assert table.select_key(key), f"{key} not in {table_id}"
    table.focus()
    await settle(pilot)
    return table


async def run(pilot: Any, action_id: str, **ctx: Any) -> None:
    """Start an action as a key press would, with an explicit context."""
    pilot.app.start_action(action_id, ActionContext(**ctx))
    await pilot.pause()
    await pilot.pause()


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*text)  # Pilot maps single punctuation characters to their key names


def tree_label(app: Any, kind: str) -> str:
    """The label of an org-level tree node ("Members 24"), as the tree shows it now."""
    tree = app.screen.tree
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.data is not None and node.data.kind == kind:
            return str(node.label)
        stack.extend(node.children)
    raise LookupError(kind)
