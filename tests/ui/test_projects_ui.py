"""Project actions through the UI, checked against what the sandbox then holds."""

from __future__ import annotations

from typing import Any

from conftest import notes, settle
from snapshot_scenes import project_id_by_name
from textual.widgets import Button, Input, Select

from orgtui.ui.features.projects.actions import CreateProjectForm, RenameProjectForm
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.org_tree import NodeRef
from tests import pilot_support


async def wait_for(pilot: Any, screen_type: type) -> Any:
    return await pilot_support.wait_for_screen(pilot, screen_type)


async def type_text(pilot: Any, text: str) -> None:
    for ch in text:
        await pilot.press({" ": "space", "-": "minus", ".": "full_stop"}.get(ch, ch))


async def select_project(pilot: Any, app: Any, name: str) -> str:
    pid = project_id_by_name(app, name)
    app.main_screen_goto("demo", pid)
    await settle(pilot, app)
    return pid


async def test_create_project_with_residency(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("N")
        form = await wait_for(pilot, CreateProjectForm)
        await type_text(pilot, "billing-eu")
        form.query_one("#residency", Select).value = "EU_STORAGE_PROCESSING"
        await pilot.pause()
        assert "European Union" in str(form.query_one("#residency-explained").content)
        form.query_one("#name Input", Input).focus()
        await pilot.press("enter")
        await settle(pilot, app)
        row = sandbox.store.one("SELECT * FROM projects WHERE name = 'billing-eu'")
        assert row is not None and row["residency"] == "EU_STORAGE_PROCESSING"
        assert app.screen.id == "main"
        assert app.screen.tree.current == NodeRef("demo", "project", row["id"])
        assert any("Created project" in n for n in notes(app))


async def test_create_project_validates_the_name(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        before = sandbox.store.scalar("SELECT count(*) FROM projects")
        await pilot.press("N")
        form = await wait_for(pilot, CreateProjectForm)
        await pilot.press("enter")  # empty name
        await pilot.pause()
        assert app.screen is form
        assert form.query_one("#name").has_class("-invalid")
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen.id == "main"
        assert sandbox.store.scalar("SELECT count(*) FROM projects") == before


async def test_a_second_project_with_an_existing_name_is_warned_about_once(
    make_app: Any, sandbox: Any
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("N")
        form = await wait_for(pilot, CreateProjectForm)
        await type_text(pilot, "Search-Prod")  # another case of an existing name
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form  # not created yet: it says why
        error = str(form.query_one("#form-error").content)
        assert "A project named search-prod already exists" in error
        assert "press Create again" in error
        assert sandbox.store.scalar("SELECT count(*) FROM projects WHERE name = 'Search-Prod'") == 0
        await pilot.press("enter")  # again: the user means it
        await settle(pilot, app)
        assert app.screen.id == "main"
        assert sandbox.store.scalar("SELECT count(*) FROM projects WHERE name = 'Search-Prod'") == 1


async def test_rename_project(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        pid = await select_project(pilot, app, "search-dev")
        await pilot.press("e")
        form = await wait_for(pilot, RenameProjectForm)
        field = form.query_one("#name Input", Input)
        assert field.value == "search-dev"
        field.value = ""
        await type_text(pilot, "search-staging")
        await pilot.press("enter")
        await settle(pilot, app)
        assert sandbox.store.get_project(pid)["name"] == "search-staging"
        node = app.screen.tree._ref_nodes[NodeRef("demo", "project", pid)]
        assert node.label.plain == "search-staging"


async def test_default_project_cannot_be_renamed_and_says_why(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        pid = await select_project(pilot, app, "Default project")
        await pilot.press("e")
        form = await wait_for(pilot, RenameProjectForm)
        form.query_one("#name Input", Input).value = "Renamed default"
        await pilot.press("enter")
        await settle(pilot, app)
        assert sandbox.store.get_project(pid)["name"] == "Default project"
        assert any("default project cannot be renamed" in n.lower() for n in notes(app))


async def test_archive_needs_the_typed_name(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        pid = await select_project(pilot, app, "search-dev")
        await pilot.press("X")
        dialog = await wait_for(pilot, ConfirmScreen)
        # A typed-name confirmation starts in its input.
        assert dialog.focused is dialog.query_one("#confirm-typed", Input)
        confirm = dialog.query_one("#confirm-button", Button)
        assert confirm.disabled
        await type_text(pilot, "search-de")
        assert confirm.disabled
        await pilot.press("v")
        assert not confirm.disabled
        await pilot.press("enter")
        await settle(pilot, app)
        assert sandbox.store.get_project(pid)["archived_at"] is not None
        assert app.session.snapshot.project(pid).archived
        # Archived projects are hidden again (the toggle is off).
        assert NodeRef("demo", "project", pid) not in app.screen.tree._ref_nodes


async def test_archive_cancel_changes_nothing(make_app: Any, sandbox: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        pid = await select_project(pilot, app, "search-dev")
        await pilot.press("X")
        dialog = await wait_for(pilot, ConfirmScreen)
        await pilot.press("enter")  # the key that started it cannot confirm: nothing typed
        await settle(pilot, app)
        assert app.screen is dialog
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen.id == "main"
        assert sandbox.store.get_project(pid)["archived_at"] is None


async def test_archived_project_offers_no_mutations(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("A")
        await select_project(pilot, app, "experiment-2025")
        tree = app.screen.tree
        assert not tree.applies("project.rename")
        assert not tree.applies("project.archive")
        footer_keys = {b.binding.id for b in app.screen.active_bindings.values()}
        assert "project.archive" not in footer_keys
