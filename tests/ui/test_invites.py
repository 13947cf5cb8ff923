"""Invites: the form (several emails, role, explicit project choice), its checks, the per-email
outcomes, deleting pending invites (not accepted ones) and read-only mode."""

from __future__ import annotations

import json
from typing import Any

import pytest
from test_members_support import (
    ADA,
    goto_node,
    invites_in_store,
    last_note,
    notes,
    project,
    settle,
    store,
    tree_label,
    type_text,
)
from textual.widgets import RadioSet, Static

from orgtui.core.services.errors import ArchivedProjectError
from orgtui.ui.features.members.invite_form import GrantList, InviteScreen
from orgtui.ui.widgets.confirm import ConfirmScreen

NORA = "nora.kim@acme-robotics.example"
LESLIE = "leslie.lamport@acme-robotics.example"


async def _open_form(pilot: Any) -> InviteScreen:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, InviteScreen)
    return form


async def _scope(pilot: Any, form: InviteScreen, index: int) -> None:
    radios = form.query_one("#invite-scope", RadioSet)
    radios.focus()
    await pilot.press(*(["down"] * index), "enter")
    await settle(pilot)


def _email_error(form: InviteScreen) -> str:
    return str(form.query_one("#invite-emails .form-error", Static).render())


async def test_invite_several_default_project(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot)
        assert form.query_one("#invite-scope", RadioSet).pressed_index == 0
        await type_text(pilot, "a.one@example.com, b.two@example.com  c.three@example.com")
        await pilot.press("enter")
        await settle(pilot)
        assert "Invites: 3 of 3 sent" in last_note(app)
        held = invites_in_store(app)
        default = project(app, "Default project").id
        for email in ("a.one@example.com", "b.two@example.com", "c.three@example.com"):
            role, status, grants = held[email]
            assert (role, status) == ("reader", "pending")
            assert json.loads(grants) == [{"id": default, "role": "member"}]  # API default
        assert {i.email for i in app.session.snapshot.invites} >= set(held)
        assert tree_label(app, "invites") == "Invites 5 pending of 8"
        cached = {i.email for i in app.session.cache.load().invites}
        assert "b.two@example.com" in cached


async def test_invite_owner_with_no_project(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot)
        await type_text(pilot, "boss@example.com")
        role = form.query_one("#invite-role", RadioSet)
        role.focus()
        await pilot.press("right", "enter")
        assert "billing, members" in str(form.query_one("#invite-role-help").render())
        await _scope(pilot, form, 1)
        await pilot.click("#submit")
        await settle(pilot)
        assert invites_in_store(app)["boss@example.com"] == ("owner", "pending", "[]")
        assert "Invited boss@example.com" in last_note(app)


async def test_invite_with_chosen_projects_and_roles(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot)
        await type_text(pilot, "dev@example.com")
        await _scope(pilot, form, 2)
        grants = form.query_one(GrantList)
        assert app.focused is grants and grants.display
        names = list(grants.names.values())
        assert "experiment-2025" not in names  # archived projects are not offered
        assert names[:3] == ["Default project", "search-prod", "search-dev"]
        await pilot.press("down", "space", "down", "o")  # search-prod member, search-dev owner
        await pilot.click("#submit")
        await settle(pilot)
        _, _, stored = invites_in_store(app)["dev@example.com"]
        assert json.loads(stored) == [
            {"id": project(app, "search-prod").id, "role": "member"},
            {"id": project(app, "search-dev").id, "role": "owner"},
        ]


async def test_choose_projects_needs_one(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot)
        await type_text(pilot, "dev@example.com")
        await _scope(pilot, form, 2)
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is form
        assert 'Choose at least one project, or pick "No project"' in str(
            form.query_one("#form-error").render()
        )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("bad@@example.com", "Email needs exactly one @: 'bad@@example.com'"),
        ("ok@example.com nodomain@", "Email domain has no dot: 'nodomain@'"),
        (ADA, f"{ADA} is already a member"),
        (NORA, f"{NORA} already has a pending invite"),
    ],
)
async def test_bad_emails_are_refused_in_the_form(make_app: Any, typed: str, message: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot)
        before = invites_in_store(app)
        await type_text(pilot, typed)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form
        assert message in _email_error(form)
        assert invites_in_store(app) == before


async def test_service_outcomes_per_email(make_app: Any) -> None:
    """What the form cannot know (data changed meanwhile) comes back per email."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        report = await app.registry.invoke(
            "invite.create", app.session, emails=f"fresh@example.com {ADA} {NORA}", role="reader"
        )
        from orgtui.ui.features.members.actions import report_invites

        report_invites(app, report)
        await pilot.pause()
        note = last_note(app)
        assert note.startswith("Invites: 1 of 3 sent")
        assert f"{ADA} is already a member" in note
        assert f"{NORA} already has a pending invite" in note
        assert "fresh@example.com" in invites_in_store(app)


async def test_grant_to_project_archived_meanwhile(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot)
        await type_text(pilot, "late@example.com")
        await _scope(pilot, form, 2)
        await pilot.press("down", "down", "space")  # search-dev
        dev = project(app, "search-dev").id
        await app.registry.invoke("project.archive", app.session, project_id=dev)
        await pilot.click("#submit")
        await settle(pilot)
        assert app.screen is form
        assert (
            "Project search-dev is archived: archived projects cannot be granted in an invite"
        ) in str(form.query_one("#form-error").render())
        assert "late@example.com" not in invites_in_store(app)
        # The service refuses it too, with its own reason, before any request.
        with pytest.raises(ArchivedProjectError, match="search-dev is archived"):
            await app.registry.invoke(
                "invite.create",
                app.session,
                emails="late@example.com",
                role="reader",
                projects=[{"id": dev, "role": "member"}],
            )


async def test_invites_table_and_delete_pending(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_node(pilot, "invites")
        table = app.screen.query_one("#invites-table")
        statuses = {r.item.email: r.item.status for r in table.rows}
        assert statuses[NORA] == "pending" and statuses[LESLIE] == "accepted"
        assert statuses["old-hire@acme-robotics.example"] == "expired"
        nora = next(r.item for r in table.rows if r.item.email == NORA)
        assert table.select_key(nora.id)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert "Pending; it expires in" in str(dialog.query_one("#confirm-body").render())
        await pilot.click("#confirm-button")
        await settle(pilot)
        assert f"Deleted the invite to {NORA}" in last_note(app)
        assert NORA not in invites_in_store(app)
        assert not table.select_key(nora.id)


async def test_accepted_invite_cannot_be_deleted(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_node(pilot, "invites")
        table = app.screen.query_one("#invites-table")
        leslie = next(r.item for r in table.rows if r.item.email == LESLIE)
        assert table.select_key(leslie.id)
        await pilot.press("d")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen)
        assert "an accepted invite cannot be deleted" in last_note(app)
        assert LESLIE in invites_in_store(app)


async def test_read_only_refuses_invites(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_node(pilot, "invites")
        table = app.screen.query_one("#invites-table")
        assert table.select_key(next(r.key for r in table.rows if r.item.email == NORA))
        for key in ("i", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, InviteScreen | ConfirmScreen)
        assert sum("not allowed: read-only" in n for n in notes(app)) == 2
        assert NORA in invites_in_store(app)
        assert store(app).scalar("SELECT count(*) FROM invites WHERE deleted_at IS NULL") == 5


async def test_e_on_an_invite_invites_again_with_another_role(make_app: Any) -> None:
    """The README's `e` on an invite: the API cannot edit one, so it is deleted and sent
    again with the new role and the same project grants."""
    from textual.widgets import Button

    from orgtui.ui.features.members.org_members import RoleScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_node(pilot, "invites")
        table = app.screen.query_one("#invites-table")
        nora = next(r.item for r in table.rows if r.item.email == NORA)
        role, _, projects = invites_in_store(app)[NORA]
        assert role == "reader"
        assert table.select_key(nora.id)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, RoleScreen)
        assert "deletes it and sends a new one" in str(dialog.query_one("#role-note").render())
        await pilot.press("down", "enter")  # owner
        assert not dialog.query_one("#apply", Button).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert f"Invited {NORA} again, as owner" in last_note(app)
        new_role, status, new_projects = invites_in_store(app)[NORA]
        assert (new_role, status) == ("owner", "pending")
        assert json.loads(new_projects or "[]") == json.loads(projects or "[]")
        rows = [r.item for r in table.rows if r.item.email == NORA]
        assert [(r.role, r.status) for r in rows] == [("owner", "pending")]
        assert rows[0].id != nora.id
