"""Project members: the add picker (filter as you type, invite instead), role change, removal,
archived projects (read-only, with the reason) and read-only mode."""

from __future__ import annotations

import json
from typing import Any

from test_members_support import (
    ALAN,
    goto_project_tab,
    last_note,
    notes,
    project,
    project_role_in_store,
    run,
    settle,
    store,
    type_text,
    user,
)
from textual.widgets import Button, Input, OptionList, RadioSet, Static

from orgtui.api.models import ProjectUser
from orgtui.core import actions as A
from orgtui.ui.features.members.invite_form import GrantList, InviteScreen
from orgtui.ui.features.members.org_members import RoleScreen
from orgtui.ui.features.members.project_members import AddMemberScreen
from orgtui.ui.widgets.confirm import ConfirmScreen

CLAUDE = "claude.shannon@acme-robotics.example"


def _members_table(app: Any) -> Any:
    return app.screen.query_one("#tab-members-table")


async def _open_picker(pilot: Any) -> AddMemberScreen:
    await goto_project_tab(pilot, "search-prod", 3)
    await pilot.press("plus")
    await settle(pilot)
    picker = pilot.app.screen
    assert isinstance(picker, AddMemberScreen)
    return picker


def _candidates(picker: AddMemberScreen) -> list[str]:
    options = picker.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_picker_filters_as_you_type_and_adds(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await _open_picker(pilot)
        everyone = _candidates(picker)
        assert len(everyone) == 24 - 5  # members of search-prod are not offered again
        assert not any("Alan Turing" in c for c in everyone)
        await type_text(pilot, "shan")
        shown = _candidates(picker)
        assert len(shown) == 1 and "Claude Shannon" in shown[0] and CLAUDE in shown[0]
        assert "1 of 19 organisation members" in str(picker.query_one("#add-note").render())
        await pilot.press("enter")
        await settle(pilot)
        assert "Added Claude Shannon to search-prod as member" in last_note(app)
        assert project_role_in_store(app, "search-prod", CLAUDE) == "member"
        table = _members_table(app)
        assert any(r.item.email == CLAUDE for r in table.rows)
        assert len(project(app, "search-prod").users) == 6


async def test_add_as_owner_from_the_list(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await _open_picker(pilot)
        await type_text(pilot, "goldberg")
        picker.query_one("#add-role", RadioSet).focus()
        await pilot.press("right", "enter")  # owner
        assert "manages the project's members" in str(picker.query_one("#add-role-help").render())
        await pilot.click("#add")
        await settle(pilot)
        assert (
            project_role_in_store(app, "search-prod", "adele.goldberg@acme-robotics.example")
            == "owner"
        )
        assert "as owner" in last_note(app)


async def test_non_member_email_offers_an_invite(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await _open_picker(pilot)
        await type_text(pilot, "new.hire@partner.example")
        note = str(picker.query_one("#add-note", Static).render())
        assert "new.hire@partner.example is not a member of the organisation" in note
        assert "invite them instead" in note
        assert picker.query_one("#add", Button).disabled
        assert not picker.query_one("#invite", Button).has_class("-hidden")
        await pilot.click("#invite")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, InviteScreen)  # the offer, filled in: email and this project
        assert form.query_one("#invite-emails Input", Input).value == "new.hire@partner.example"
        grants = form.query_one(GrantList)
        assert grants.grants() == [{"id": project(app, "search-prod").id, "role": "member"}]
        await pilot.click("#submit")
        await settle(pilot)
        assert "Invited new.hire@partner.example" in last_note(app)
        row = store(app).one("SELECT * FROM invites WHERE email = ?", ("new.hire@partner.example",))
        assert row["status"] == "pending"
        assert json.loads(row["projects"]) == [
            {"id": project(app, "search-prod").id, "role": "member"}
        ]
        assert project_role_in_store(app, "search-prod", "new.hire@partner.example") is None


async def test_member_already_in_project_is_explained(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await _open_picker(pilot)
        await type_text(pilot, ALAN)
        assert "is already in this project" in str(picker.query_one("#add-note").render())
        assert picker.query_one("#add", Button).disabled


async def test_service_says_not_a_member_then_offers_invite(make_app: Any) -> None:
    """Organisation members not loaded: the typed email is looked up by the service."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_project_tab(pilot, "search-prod", 3)
        session = app.session
        session._snapshot = session.snapshot.with_org(users=None)  # as if never loaded
        await pilot.press("plus")
        await settle(pilot)
        await type_text(pilot, "stranger@partner.example")
        assert "looked up when you press Add" in str(app.screen.query_one("#add-note").render())
        await pilot.press("enter")
        await settle(pilot)
        assert any(
            "stranger@partner.example is not a member of the organisation" in n for n in notes(app)
        )
        assert isinstance(app.screen, InviteScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert project_role_in_store(app, "search-prod", "stranger@partner.example") is None


async def test_change_project_role(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_project_tab(pilot, "search-prod", 3)
        assert _members_table(app).select_key(user(app, ALAN).id)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, RoleScreen)
        await pilot.press("down", "enter", "enter")
        await settle(pilot)
        assert "Alan Turing is now owner in search-prod" in last_note(app)
        assert project_role_in_store(app, "search-prod", ALAN) == "owner"
        assert _members_table(app).current.item.role == "owner"


async def test_remove_project_member_with_confirmation(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_project_tab(pilot, "search-prod", 3)
        alan = user(app, ALAN).id
        assert _members_table(app).select_key(alan)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen)
        assert app.focused is dialog.query_one("#cancel")
        await pilot.press("d")  # the opening key does not confirm
        assert app.screen is dialog
        await pilot.click("#confirm-button")
        await settle(pilot)
        assert "Removed Alan Turing from search-prod" in last_note(app)
        assert project_role_in_store(app, "search-prod", ALAN) is None
        assert store(app).user_by_email(ALAN) is not None  # still in the organisation
        assert not _members_table(app).select_key(alan)


async def test_api_error_text_on_add(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        picker = await _open_picker(pilot)
        store(app).execute("UPDATE users SET deleted_at = 1 WHERE email = ?", (CLAUDE,))
        await type_text(pilot, "shannon")
        await pilot.press("enter")
        await settle(pilot)
        assert picker is not app.screen
        note = last_note(app)
        assert note.startswith("Add member: Bad request: User"), note  # the API's own words
        assert "is not a member of the organization. Invite them" in note
        assert project_role_in_store(app, "search-prod", CLAUDE) is None


async def test_archived_project_is_read_only_with_reason(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        archived = project(app, "experiment-2025")
        ada = user(app, "ada.lovelace@acme-robotics.example")
        member = ProjectUser(
            id=ada.id, name=ada.name, email=ada.email, role="owner", added_at=ada.added_at
        )
        for action, item in (
            ("project_member.add", None),
            ("project_member.role", member),
            ("project_member.remove", member),
        ):
            await run(pilot, action, scope=A.PROJECT_MEMBER, project_id=archived.id, item=item)
            await settle(pilot)
            assert not isinstance(app.screen, AddMemberScreen | RoleScreen | ConfirmScreen)
        shown = [n for n in notes(app) if "experiment-2025 is archived" in n]
        assert len(shown) == 3
        assert "so adding a member is not possible" in shown[0]
        assert "archived projects cannot be used or updated" in shown[1]


async def test_read_only_refuses_project_member_actions(make_app: Any) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await goto_project_tab(pilot, "search-prod", 3)
        assert _members_table(app).select_key(user(app, ALAN).id)
        for key in ("plus", "e", "d"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, AddMemberScreen | RoleScreen | ConfirmScreen)
        assert sum("not allowed: read-only" in n for n in notes(app)) == 3
        assert project_role_in_store(app, "search-prod", ALAN) == "member"
