"""Admin keys: created with an expiry (90 days by default) through the copy-once dialog; no
expiry only by explicit choice, with a warning; deleted with a typed confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from test_keys_support import Terminal, build_app, choose, dialog_value, settle, wait_for_screen
from textual.widgets import Input, RadioButton, Static

from orgtui.core import actions as A
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.keys.admin_keys import ADMIN_SCOPE_NOTE, AdminKeyCreateScreen
from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput

NOW = 1795012200
DAY = 86400


async def open_form(pilot: Any) -> AdminKeyCreateScreen:
    await settle(pilot)
    pilot.app.start_action("admin_key.create", ActionContext(scope=A.ADMIN_KEY))
    return await wait_for_screen(pilot, AdminKeyCreateScreen)


def admin_row(app: Any, name: str) -> dict[str, Any]:
    (row,) = app.extra_sandbox.store.query(
        "SELECT id, expires_at, value_hash FROM admin_keys WHERE name = ?", (name,)
    )
    return row


def facts(dialog: CopyOnceScreen) -> str:
    return " ".join(str(s.render()) for s in dialog.query(".fact"))


async def test_default_expiry_is_90_days(monkeypatch: pytest.MonkeyPatch) -> None:
    Terminal().install(monkeypatch)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        shown = " ".join(str(s.render()) for s in form.query(Static))
        assert ADMIN_SCOPE_NOTE in shown
        assert "2027-02-16" in str(form.query_one("#expiry-note").render())
        assert form.query_one("#expiry-1", RadioButton).value  # 90 days
        field = form.query_one("#name", LabelledInput)
        field.input.value = "admin-terraform"
        field.input.focus()
        await pilot.press("enter")
        dialog = await wait_for_screen(pilot, CopyOnceScreen)
        assert dialog_value(dialog).startswith("sk-admin-")
        assert "2027-02-16" in facts(dialog) and "admin tooling only" in facts(dialog)
        await pilot.press("y")
        await settle(pilot)
        names = {k.name for k in app.session.snapshot.admin_keys or ()}
        assert "admin-terraform" in names
    assert admin_row(app, "admin-terraform")["expires_at"] == NOW + 90 * DAY


async def test_no_expiry_needs_an_explicit_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    Terminal().install(monkeypatch)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot)
        await choose(pilot, form, "#expiry", "#expiry-3")  # "No expiry"
        note = form.query_one("#expiry-note", Static)
        for _ in range(100):  # button -> radio set -> form: a few messages, on a loaded machine
            await pilot.pause(0.02)
            if "Never expires" in str(note.render()):
                break
        assert "Never expires" in str(note.render()) and note.has_class("-never")
        field = form.query_one("#name", LabelledInput)
        field.input.value = "admin-break-glass"
        field.input.focus()
        await pilot.press("enter")
        dialog = await wait_for_screen(pilot, CopyOnceScreen)
        assert "never" in facts(dialog)
        await pilot.press("y")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("never expires" in m for m in messages)
    assert admin_row(app, "admin-break-glass")["expires_at"] is None


async def test_delete_admin_key_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        key = next(k for k in app.session.snapshot.admin_keys or () if k.name)
        app.start_action("admin_key.delete", ActionContext(scope=A.ADMIN_KEY, item=key))
        confirm = await wait_for_screen(pilot, ConfirmScreen)
        shown = " ".join(str(s.render()) for s in confirm.query(Static))
        assert "Expires" in shown and "Last used" in shown and key.redacted_value in shown
        field = confirm.query_one("#confirm-typed", Input)
        field.focus()
        field.value = key.name
        await pilot.press("enter")
        await settle(pilot)
        assert key.id not in {k.id for k in app.session.snapshot.admin_keys or ()}
    rows = app.extra_sandbox.store.query(
        "SELECT id FROM admin_keys WHERE id = ? AND deleted_at IS NULL", (key.id,)
    )
    assert rows == []
