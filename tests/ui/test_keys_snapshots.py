"""Pictures at 80x24: the create form, the copy-once dialog, a delete confirmation and the
rotation wizard. The sandbox's key generator is fixed so the dialog's value is stable."""

from __future__ import annotations

from typing import Any

import pytest
from test_keys_support import Terminal, build_app, goto_project, key_by_name

from orgtui.core import actions as A
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.features.keys.create import KeyCreateScreen
from orgtui.ui.features.keys.rotate import RotationWizard
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput
from tests import pilot_support

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def fixed_values(monkeypatch: pytest.MonkeyPatch) -> None:
    import orgtui.sandbox.routes_keys as routes

    def mint(prefix: str) -> str:
        return f"{prefix}SANDBOX-FAKE-" + "0000111122223333444455556666777788889999abc"

    monkeypatch.setattr(routes, "mint", mint)
    Terminal().install(monkeypatch)


async def wait_for(pilot: Any, kind: type) -> Any:
    screen = await pilot_support.wait_for_screen(pilot, kind)
    pilot_support.freeze_cursors(pilot.app)
    return screen


async def to_form(pilot: Any) -> KeyCreateScreen:
    await goto_project(pilot, "search-dev")
    await pilot.press("n")
    return await wait_for(pilot, KeyCreateScreen)


def test_create_form(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await to_form(pilot)

    assert snap_compare(build_app(), terminal_size=SIZE, run_before=run_before)


def test_copy_once_dialog(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        form = await to_form(pilot)
        field = form.query_one("#name", LabelledInput)
        field.input.value = "search-dev-ingest"
        field.input.focus()
        await pilot.press("enter")
        await wait_for(pilot, CopyOnceScreen)
        await pilot.press("c")
        await pilot.pause()

    assert snap_compare(build_app(), terminal_size=SIZE, run_before=run_before)


def test_delete_confirmation(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        pid = await goto_project(pilot, "search-prod")
        key = key_by_name(pilot.app, pid, "legacy-search-v1")
        pilot.app.start_action("key.delete", ActionContext(scope=A.KEY, project_id=pid, item=key))
        await wait_for(pilot, ConfirmScreen)

    assert snap_compare(build_app(), terminal_size=SIZE, run_before=run_before)


def test_rotation_wizard_overlap(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        pid = await goto_project(pilot, "search-prod")
        key = key_by_name(pilot.app, pid, "search-indexer-embeddings")
        pilot.app.start_action("key.rotate", ActionContext(scope=A.KEY, project_id=pid, item=key))
        wizard = await wait_for(pilot, RotationWizard)
        for _ in range(60):  # the account's other keys were read: Mint is offered
            if wizard.other_keys is not None and not wizard.working:
                break
            await pilot.pause(0.05)
        await pilot.press("m")
        await wait_for(pilot, CopyOnceScreen)
        await pilot.press("y")
        wizard = await wait_for(pilot, RotationWizard)
        for _ in range(60):
            if wizard.status is not None and not wizard.working:
                break
            await pilot.pause(0.05)
        pilot.app.clear_notifications()  # the "Key created" toast would cover the buttons
        await pilot.pause()

    assert snap_compare(build_app(), terminal_size=SIZE, run_before=run_before)


def test_rotation_wizard_plan(snap_compare: Any) -> None:
    async def run_before(pilot: Any) -> None:
        pid = await goto_project(pilot, "search-prod")
        key = key_by_name(pilot.app, pid, "search-indexer-embeddings")
        pilot.app.start_action("key.rotate", ActionContext(scope=A.KEY, project_id=pid, item=key))
        wizard = await wait_for(pilot, RotationWizard)
        for _ in range(60):  # the account's other keys were read
            if wizard.other_keys is not None and not wizard.working:
                break
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(build_app(), terminal_size=SIZE, run_before=run_before)
