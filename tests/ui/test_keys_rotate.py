"""Rotation: mint a replacement (copy-once), overlap with usage shown, retire the old key; an
interrupted rotation is offered again at start-up and finishes from the journal."""

from __future__ import annotations

from typing import Any

import pytest
from test_keys_support import (
    HangCreate,
    SharedSandbox,
    Terminal,
    build_app,
    goto_project,
    key_by_name,
    settle,
    wait_for_screen,
)
from textual.widgets import Button, Input

from orgtui.core import actions as A
from orgtui.core.services.rotation_journal import RotationJournal
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.features.keys.rotate import ResumeRotationsScreen, RotationWizard
from orgtui.ui.widgets.confirm import ConfirmScreen
from tests import pilot_support

OLD = "search-indexer-embeddings"


async def until(pilot: Any, check: Any, rounds: int = 60) -> None:
    await pilot_support.wait_until(pilot, check)


def wizard_text(wizard: RotationWizard) -> str:
    return " ".join(str(s.render()) for s in wizard.query("Static"))


async def open_wizard(pilot: Any, project: str = "search-prod", name: str = OLD) -> Any:
    app = pilot.app
    pid = await goto_project(pilot, project)
    key = key_by_name(app, pid, name)
    app.start_action("key.rotate", ActionContext(scope=A.KEY, project_id=pid, item=key))
    return pid, key, await wait_for_screen(pilot, RotationWizard)


async def mint(pilot: Any, wizard: RotationWizard) -> None:
    await pilot.press("m")
    await wait_for_screen(pilot, CopyOnceScreen)
    await pilot.press("y")
    await wait_for_screen(pilot, RotationWizard)
    await until(pilot, lambda: not wizard.working and wizard.status is not None)


async def finish(pilot: Any, wizard: RotationWizard, typed: str) -> None:
    await pilot.press("f")
    confirm = await wait_for_screen(pilot, ConfirmScreen)
    field = confirm.query_one("#confirm-typed", Input)
    field.focus()
    field.value = typed
    await pilot.press("enter")
    await wait_for_screen(pilot, RotationWizard)
    await until(pilot, lambda: wizard.finished is not None)


def live_accounts(app: Any, name: str) -> list[str]:
    rows = app.extra_sandbox.store.query(
        "SELECT id FROM service_accounts WHERE name = ? AND deleted_at IS NULL", (name,)
    )
    return [r["id"] for r in rows]


async def test_rotation_completes(monkeypatch: pytest.MonkeyPatch) -> None:
    Terminal().install(monkeypatch)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        pid, key, wizard = await open_wizard(pilot)
        old_sid = key.owner.service_account.id
        account = key.owner.service_account.name
        text = wizard_text(wizard)
        assert "creates a new service account" in text and "Age" in text
        await mint(pilot, wizard)
        text = wizard_text(wizard)
        assert "Old last used" in text and "Old since mint" in text and "requests" in text
        assert wizard.query_one("#refresh", Button).display
        (rotation,) = RotationJournal("demo").pending()
        assert rotation.step in ("minted", "overlap") and rotation.new_key_id
        await pilot.press("r")
        await until(pilot, lambda: not wizard.working)
        # The replacement has the same name: the name cannot say which account goes, the
        # old account's id must be typed.
        await pilot.press("f")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        shown = " ".join(str(w.render()) for w in confirm.query("Static"))
        assert f"Type {old_sid} to confirm" in shown and "OLD service account" in shown
        assert OLD in shown  # the key it deletes, by name
        await pilot.press(*account, "enter")
        await pilot.pause()
        assert app.screen is confirm and "not the name" in " ".join(
            str(w.render()) for w in confirm.query("Static")
        )
        await pilot.press("escape")
        await wait_for_screen(pilot, RotationWizard)
        await finish(pilot, wizard, old_sid)
        assert "Rotation finished" in wizard_text(wizard)
        await pilot.press("escape")
        await settle(pilot)
        view = app.session.snapshot.project(pid)
        assert old_sid not in {a.id for a in view.get("service_accounts") or ()}
    assert RotationJournal("demo").pending() == []
    (new_sid,) = live_accounts(app, account)
    assert new_sid != old_sid


async def test_interrupted_overlap_resumes_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from orgtui.ui.features.keys.actions import resume_rotations

    Terminal().install(monkeypatch)
    shared = SharedSandbox()
    first = shared.console()
    async with first.run_test(size=(80, 24)) as pilot:
        _, key, wizard = await open_wizard(pilot)
        account = key.owner.service_account.name
        old_sid = key.owner.service_account.id
        await mint(pilot, wizard)
        # The console goes away mid-overlap (closed, crashed, ssh dropped).
    (pending,) = RotationJournal("demo").pending()
    assert len(live_accounts(first, account)) == 2  # old and replacement, both working

    second = shared.console()
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert resume_rotations(second) is not None
        offer = await wait_for_screen(pilot, ResumeRotationsScreen)
        options = offer.query_one("OptionList")
        assert OLD in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")
        wizard = await wait_for_screen(pilot, RotationWizard)
        await until(pilot, lambda: wizard.status is not None and not wizard.working)
        assert wizard.rotation.id == pending.id
        await finish(pilot, wizard, old_sid)
        await pilot.press("escape")
        await settle(pilot)
    assert RotationJournal("demo").pending() == []
    assert len(live_accounts(second, account)) == 1


async def test_interrupted_during_mint_is_reconciled(monkeypatch: pytest.MonkeyPatch) -> None:
    from orgtui.ui.features.keys.actions import resume_rotations

    Terminal().install(monkeypatch)
    shared = SharedSandbox()
    first = shared.console(lambda sb: HangCreate(sb, "/service_accounts", after=True))
    async with first.run_test(size=(80, 24)) as pilot:
        _, key, wizard = await open_wizard(pilot)
        account = key.owner.service_account.name
        old_sid = key.owner.service_account.id
        await pilot.press("m")
        await until(pilot, lambda: len(live_accounts(first, account)) == 2)
        # Killed while waiting for the answer: the journal says "minting".
    (pending,) = RotationJournal("demo").pending()
    assert pending.step == "minting"

    second = shared.console()
    async with second.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        resume_rotations(second)
        await wait_for_screen(pilot, ResumeRotationsScreen)
        await pilot.press("enter")
        wizard = await wait_for_screen(pilot, RotationWizard)
        await until(pilot, lambda: wizard.status is not None and not wizard.working)
        # Read back, not resent: the replacement exists but its key value was lost.
        assert len(live_accounts(second, account)) == 2
        assert "value was lost" in wizard_text(wizard)
        mint_button = wizard.query_one("#mint", Button)
        assert mint_button.display and "replacement" in str(mint_button.label)
        await mint(pilot, wizard)
        assert RotationJournal("demo").get(pending.id).new_key_id is not None
        await finish(pilot, wizard, old_sid)
        await pilot.press("escape")
        await settle(pilot)
    assert RotationJournal("demo").pending() == []
    assert len(live_accounts(second, account)) == 1


async def test_nothing_to_resume() -> None:
    from orgtui.ui.features.keys.actions import resume_rotations

    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert resume_rotations(app) is None


async def test_sibling_key_is_listed_and_rotated_together(monkeypatch: pytest.MonkeyPatch) -> None:
    """search-api holds production-search-service and search-reranker: rotating one cannot
    silently delete the other."""
    Terminal().install(monkeypatch)
    app = build_app()
    async with app.run_test(size=(100, 40)) as pilot:
        pid, key, wizard = await open_wizard(pilot, name="production-search-service")
        old_sid = key.owner.service_account.id
        sibling = key_by_name(app, pid, "search-reranker")
        await until(pilot, lambda: wizard.other_keys is not None and not wizard.working)
        text = wizard_text(wizard)
        assert "holds 1 other key" in text and "search-reranker" in text
        assert sibling.redacted_value in text and "requests in the last hour" in text
        # Minting one replacement alone is not offered: all together, or close.
        assert not wizard.query_one("#mint", Button).display
        together = wizard.query_one("#together", Button)
        assert together.display and str(together.label) == "Rotate all 2 together (a)"
        await pilot.press("m")
        await pilot.pause()
        assert live_accounts(app, "search-api") == [old_sid]

        await pilot.press("a")
        first = await wait_for_screen(pilot, CopyOnceScreen)
        assert "Replacement for production-search-service (1 of 2)" in str(
            first.query_one("#title").render()
        )
        await pilot.press("y")
        await until(
            pilot, lambda: app.screen is not first and isinstance(app.screen, CopyOnceScreen)
        )
        second = app.screen
        assert "Replacement for search-reranker (2 of 2)" in str(
            second.query_one("#title").render()
        )
        await pilot.press("y")
        await wait_for_screen(pilot, RotationWizard)
        await until(pilot, lambda: not wizard.working and wizard.status is not None)
        rotation = wizard.rotation
        assert rotation.replaced_old_key_ids == (sibling.id,)
        new_keys = app.extra_sandbox.store.query(
            "SELECT name FROM api_keys WHERE owner_sa_id = ? AND deleted_at IS NULL",
            (rotation.new_service_account_id,),
        )
        assert sorted(r["name"] for r in new_keys)[-1] == "search-reranker" and len(new_keys) == 2
        assert "search-reranker" in wizard_text(wizard)  # its figures during the overlap

        await pilot.press("f")
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        shown = " ".join(str(w.render()) for w in confirm.query("Static"))
        assert "search-reranker" in shown and "production-search-service" in shown
        assert f"Type {old_sid}" in shown
        await pilot.press("escape")
        await wait_for_screen(pilot, RotationWizard)
        await finish(pilot, wizard, old_sid)
        await pilot.press("escape")
        await settle(pilot)
    # Both old keys went with the old account, knowingly; both have a working replacement.
    assert live_accounts(app, "search-api") == [rotation.new_service_account_id]


@pytest.mark.parametrize("how", ["enter", "space", "click"])
async def test_close_button_closes_the_wizard(how: str) -> None:
    app = build_app()
    async with app.run_test(size=(100, 40)) as pilot:
        _, _, wizard = await open_wizard(pilot)
        await until(pilot, lambda: not wizard.working)
        close = wizard.query_one("#close", Button)
        if how == "click":
            await pilot.click("#close")
        else:
            close.focus()
            await pilot.pause()
            await pilot.press(how)
        await settle(pilot)
        assert not isinstance(app.screen, RotationWizard)
    assert RotationJournal("demo").pending() == []
