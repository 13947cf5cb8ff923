"""Quick create: form -> service account + key in the sandbox -> copy-once dialog -> table."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest
from test_keys_support import (
    Terminal,
    build_app,
    choose,
    dialog_value,
    goto_project,
    settle,
    wait_for_screen,
)
from textual.widgets import Input

from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.features.keys.create import KeyCreateScreen
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput


async def open_create_form(pilot: Any, project: str = "search-dev") -> tuple[str, KeyCreateScreen]:
    pid = await goto_project(pilot, project)
    await pilot.press("n")
    return pid, await wait_for_screen(pilot, KeyCreateScreen)


async def submit_name(pilot: Any, form: KeyCreateScreen, name: str) -> None:
    field = form.query_one("#name", LabelledInput)
    field.input.value = name
    field.input.focus()
    await pilot.press("enter")


async def test_create_copy_acknowledge(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal(env={"TMUX": "/nonexistent/orgtui-tmux,77,0"}).install(monkeypatch)
    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        pid, form = await open_create_form(pilot)
        assert form.query_one("#name", LabelledInput).value == "search-dev-service"
        await submit_name(pilot, form, "search-dev-ingest")
        dialog = await wait_for_screen(pilot, CopyOnceScreen)
        value = dialog_value(dialog)
        assert value.startswith("sk-svcacct-")
        # It is the value the sandbox minted: the sandbox keeps only its hash.
        digest = hashlib.sha256(value.encode()).hexdigest()
        rows = sandbox.store.query(
            "SELECT k.id, k.name, k.redacted_value, s.name AS account FROM api_keys k "
            "JOIN service_accounts s ON s.id = k.owner_sa_id WHERE k.value_hash = ?",
            (digest,),
        )
        assert len(rows) == 1 and rows[0]["account"] == "search-dev-ingest"

        await pilot.press("c")
        for _ in range(80):  # the tmux attempt runs in a thread, then the plain form goes out
            if len(terminal.written) >= 2:
                break
            await pilot.pause(0.05)
        # No tmux binary to hand it to: the tmux passthrough form, then the plain one.
        sequence, plain = terminal.written
        assert sequence.startswith("\x1bPtmux;\x1b\x1b]52;c;")  # tmux passthrough
        assert plain.startswith("\x1b]52;c;")
        assert terminal.copied() == [value, value]
        inner = sequence.split("52;c;")[1].split("\x07")[0]
        assert base64.b64decode(inner).decode() == value

        # escape without the acknowledgement asks once more; Cancel keeps the dialog.
        await pilot.press("escape")
        await wait_for_screen(pilot, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog and dialog.secret_alive
        await pilot.press("y")
        await settle(pilot)
        assert not isinstance(app.screen, CopyOnceScreen)
        assert not dialog.secret_alive
        assert app.clipboard == ""
        # Both clipboard forms cleared.
        assert terminal.written[-1] == "\x1b]52;c;\x07\x1bPtmux;\x1b\x1b]52;c;\x07\x1b\\"

        # The sandbox holds one new account and its key; the table shows the redacted value.
        accounts = sandbox.store.query(
            "SELECT id FROM service_accounts WHERE name = 'search-dev-ingest'"
        )
        assert len(accounts) == 1
        view = app.session.snapshot.project(pid)
        shown = [k for k in view.get("api_keys") or () if k.id == rows[0]["id"]]
        assert shown and shown[0].redacted_value == rows[0]["redacted_value"]
        assert value not in shown[0].redacted_value
        table = app.screen.query_one("KeysTable")
        cells = [str(c) for row in table.rows for c in row.cells]
        assert rows[0]["redacted_value"] in cells


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Name is empty"),
        ("   ", "Name is empty"),
        ("x" * 65, "Name is 65 characters; the limit is 64"),
        ("bad\x1bname", "Name has a control character at position 4"),
    ],
)
async def test_name_validation_messages(typed: str, message: str) -> None:
    app = build_app()
    sandbox = app.extra_sandbox
    before = sandbox.store.query("SELECT count(*) AS n FROM service_accounts")[0]["n"]
    async with app.run_test(size=(80, 24)) as pilot:
        _, form = await open_create_form(pilot)
        await submit_name(pilot, form, typed)
        await pilot.pause()
        assert app.screen is form
        error = form.query_one("#name .form-error")
        assert str(error.render()) == message
        assert form.query_one("#name", LabelledInput).has_class("-invalid")
    after = sandbox.store.query("SELECT count(*) AS n FROM service_accounts")[0]["n"]
    assert after == before


async def test_owner_role_and_scopes(monkeypatch: pytest.MonkeyPatch) -> None:
    Terminal().install(monkeypatch)
    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        _, form = await open_create_form(pilot)
        await choose(pilot, form, "#role", "#role-owner")
        form.query_one("#scopes", LabelledInput).input.value = "api.model.read, api.responses.write"
        await submit_name(pilot, form, "search-dev-reader")
        dialog = await wait_for_screen(pilot, CopyOnceScreen)
        facts = " ".join(str(s.render()) for s in dialog.query(".fact"))
        assert "owner" in facts and "api.model.read api.responses.write" in facts
        await pilot.press("y")
        await settle(pilot)
    (row,) = sandbox.store.query(
        "SELECT s.role, k.scopes FROM service_accounts s JOIN api_keys k ON k.owner_sa_id = s.id "
        "WHERE s.name = 'search-dev-reader'"
    )
    assert row["role"] == "owner" and "api.model.read" in row["scopes"]


async def test_mint_another_key_for_an_account(monkeypatch: pytest.MonkeyPatch) -> None:
    from orgtui.ui.features.keys.create import MintKeyScreen

    Terminal().install(monkeypatch)
    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        pid = await goto_project(pilot, "search-prod")
        view = app.session.snapshot.project(pid)
        account = next(
            a for a in view.get("service_accounts") or () if a.id.startswith("svc_acct_GiB")
        )
        from orgtui.core.actions import SERVICE_ACCOUNT
        from orgtui.ui.dispatch import ActionContext

        ctx = ActionContext(scope=SERVICE_ACCOUNT, project_id=pid, item=account)
        app.start_action("service_account.mint", ctx)
        form = await wait_for_screen(pilot, MintKeyScreen)
        assert form.query_one("#name", LabelledInput).value.endswith("-20261118")
        await submit_name(pilot, form, "search-prod-third")
        dialog = await wait_for_screen(pilot, CopyOnceScreen)
        assert dialog.facts.account == account.name
        await pilot.press("y")
        await settle(pilot)
    rows = sandbox.store.query("SELECT owner_sa_id FROM api_keys WHERE name = 'search-prod-third'")
    assert [r["owner_sa_id"] for r in rows] == [account.id]


async def test_refusal_is_shown_in_the_form() -> None:
    """A refusal (here: the project was archived meanwhile) keeps the form open with the reason."""
    app = build_app()
    sandbox = app.extra_sandbox
    async with app.run_test(size=(80, 24)) as pilot:
        pid, form = await open_create_form(pilot)
        sandbox.store.set_fields("projects", pid, archived_at=1795000000)
        view = app.session.snapshot.project(pid)
        archived = view.project.replace(archived_at=1795000000, status="archived")
        app.session.apply(app.session.snapshot.with_project(pid, project=archived), ["projects"])
        await submit_name(pilot, form, "search-dev-late")
        for _ in range(20):
            await pilot.pause(0.05)
            if "archived" in str(form.query_one("#form-error").render()):
                break
        assert app.screen is form
        assert "archived" in str(form.query_one("#form-error").render())
        assert not form.busy
        assert isinstance(form.query_one("#name", LabelledInput).input, Input)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, KeyCreateScreen)
