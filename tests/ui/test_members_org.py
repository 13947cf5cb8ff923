"""Organisation members: change role and remove, with the last-owner guard and read-only mode."""

from __future__ import annotations

from typing import Any

from test_members_support import (
    ADA,
    ALAN,
    GRACE,
    goto_node,
    last_note,
    notes,
    org_role_in_store,
    settle,
    store,
    tree_label,
    type_text,
    user,
)
from textual.widgets import Button, RadioSet

from orgtui.ui.features.members.org_members import RoleScreen
from orgtui.ui.widgets.confirm import ConfirmScreen


async def _select_member(pilot: Any, email: str) -> None:
    await goto_node(pilot, "members")
    table = pilot.app.screen.query_one("#members-table")
    assert table.select_key(user(pilot.app, email).id)
    await settle(pilot)


def _only_owner(app: Any, email: str) -> None:
    """Make `email` the organisation's only owner (in the sandbox, then refresh)."""
    db = store(app)
    db.execute(
        "UPDATE users SET role = 'reader' WHERE role = 'owner' AND lower(email) != ?", (email,)
    )


async def test_change_org_role_demotes_an_owner(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _select_member(pilot, GRACE)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RoleScreen)
        assert dialog.query_one("#apply", Button).disabled  # the current role is picked
        assert app.focused is dialog.query_one(RadioSet)
        await pilot.press("down", "enter")  # pick "reader"; focus moves to Apply
        assert not dialog.query_one("#apply", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert "Grace Hopper is now reader" in last_note(app)
        assert org_role_in_store(app, GRACE) == "reader"
        assert user(app, GRACE).role == "reader"
        row = app.screen.query_one("#members-table").current
        assert row.item.role == "reader" and "reader" in row.search


async def test_role_dialog_cancel_changes_nothing(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _select_member(pilot, ALAN)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert org_role_in_store(app, ALAN) == "reader"
        assert not any("now" in n for n in notes(app))


async def test_promote_reader_to_owner(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _select_member(pilot, ALAN)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("up", "enter", "enter")  # "owner" is listed first
        await settle(pilot)
        assert org_role_in_store(app, ALAN) == "owner"
        assert "Alan Turing is now owner" in last_note(app)


async def test_last_owner_cannot_be_demoted(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        _only_owner(app, ADA)
        app.refresh_all()
        await _select_member(pilot, ADA)
        assert sum(u.role == "owner" for u in app.session.snapshot.users) == 1
        await pilot.press("e")
        await settle(pilot)
        assert not isinstance(app.screen, RoleScreen)  # refused before any dialog
        note = last_note(app)
        assert "Ada Lovelace is the organisation's only owner" in note
        assert "demoting them would leave nobody able to manage" in note
        assert org_role_in_store(app, ADA) == "owner"


async def test_last_owner_cannot_be_removed(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        _only_owner(app, ADA)
        app.refresh_all()
        await _select_member(pilot, ADA)
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "removing them would leave nobody" in last_note(app)
        assert store(app).user_by_email(ADA) is not None


async def test_remove_member_needs_the_typed_email(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _select_member(pilot, ALAN)
        alan_id = user(app, ALAN).id
        in_projects = [
            pid
            for pid, v in app.session.snapshot.projects.items()
            if any(u.id == alan_id for u in v.get("users") or ())
        ]
        assert len(in_projects) >= 2
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        body = str(dialog.query_one("#confirm-body").render())
        assert "lose access to 3 project(s)" in body
        confirm = dialog.query_one("#confirm-button", Button)
        assert confirm.disabled and app.focused is dialog.query_one("#confirm-typed")
        await type_text(pilot, "alan.turing@acme-robotics.exampl")
        assert confirm.disabled  # not the exact email yet
        await type_text(pilot, "e")
        assert not confirm.disabled
        await pilot.press("enter")
        await settle(pilot)
        assert "Removed Alan Turing from the organisation" in last_note(app)
        assert store(app).user_by_email(ALAN) is None
        snap = app.session.snapshot
        assert all(u.id != alan_id for u in snap.users)
        for pid in in_projects:  # project member lists follow at once
            assert all(u.id != alan_id for u in snap.projects[pid].get("users"))
        assert app.screen.query_one("#members-table").select_key(alan_id) is False
        assert tree_label(app, "members") == "Members 23"  # the tree follows at once
        cached = app.session.cache.load()  # and so does the cache
        assert all(u.id != alan_id for u in cached.users)


async def test_api_error_text_is_shown(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _select_member(pilot, ALAN)
        store(app).execute("UPDATE users SET deleted_at = 1 WHERE lower(email) = ?", (ALAN,))
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("up", "enter", "enter")
        await settle(pilot)
        note = last_note(app)
        assert note.startswith("Change role:")
        assert "not found" in note.lower() or "no such" in note.lower(), note


async def test_read_only_refuses_org_member_actions(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await _select_member(pilot, ALAN)
        for key in ("e", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, RoleScreen | ConfirmScreen)
        assert sum("not allowed: read-only" in n for n in notes(app)) == 2
        assert org_role_in_store(app, ALAN) == "reader"
