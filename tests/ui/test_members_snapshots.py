"""SVG snapshots of the member scenes at 120x40 (frozen clock, seed 1, no cursor blink).

Update with `pytest tests/ui/test_members_snapshots.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from typing import Any

from test_members_support import GRACE, goto_node, goto_project_tab, settle, type_text, user

SIZE = (120, 40)


async def _org_members(pilot: Any) -> None:
    await goto_node(pilot, "members")
    pilot.app.screen.query_one("#members-table").select_key(user(pilot.app, GRACE).id)
    await settle(pilot)


async def _invite_form(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    await type_text(pilot, "nora.kim@acme-robotics.example, new.hire@example.com")
    await pilot.press("enter")  # shows the "already has a pending invite" check
    form = pilot.app.screen
    form.query_one("#invite-scope").focus()
    await pilot.press("down", "down", "enter")
    await settle(pilot)
    await pilot.press("down", "space", "down", "o")
    await settle(pilot)


async def _project_members(pilot: Any) -> None:
    await goto_project_tab(pilot, "search-prod", 3)


async def _add_member(pilot: Any) -> None:
    await goto_project_tab(pilot, "search-prod", 3)
    await pilot.press("plus")
    await settle(pilot)
    await type_text(pilot, "ha")
    await settle(pilot)


async def _matrix(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("M")
    await settle(pilot)
    await pilot.press("right", "down", "down", "down", "down")
    await settle(pilot)


def test_snapshot_org_members(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), run_before=_org_members, terminal_size=SIZE)


def test_snapshot_invite_form(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), run_before=_invite_form, terminal_size=SIZE)


def test_snapshot_project_members(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), run_before=_project_members, terminal_size=SIZE)


def test_snapshot_add_member(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), run_before=_add_member, terminal_size=SIZE)


def test_snapshot_access_matrix(snap_compare: Any, make_app: Any) -> None:
    assert snap_compare(make_app(), run_before=_matrix, terminal_size=SIZE)
