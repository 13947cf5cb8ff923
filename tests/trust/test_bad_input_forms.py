"""Bad input, through the real widgets: hostile text in every form, filter and jump line.

One console per test; the examples come from hypothesis (`draw`, derandomized) plus the known
hostile strings. Each input must end accepted (the action runs, its outcome is said) or refused
with a message beside the field, and the console must never raise: no crash, no "XError: ..."
notification from the dispatcher's last-resort handler, no logged traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from hostile_strategies import (
    amount_like,
    draw,
    email_like,
    hostile_text,
    key_name_like,
    time_like,
)
from hypothesis import strategies as st
from textual.screen import Screen
from textual.widgets import Input
from trust_support import Rig, build_rig, project_id, synced, text_of, until

from orgtui.core import actions as A
from orgtui.sandbox.hostile import HOSTILE_EMAILS, HOSTILE_STRINGS
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput

KNOWN = [
    *(HOSTILE_STRINGS[k] for k in ("osc52", "markup", "ansi", "controls", "long", "wide", "rtl")),
    HOSTILE_EMAILS[1],
    "",
    "x" * 65,
]
UNEXPECTED = re.compile(r"\b[A-Z]\w*(Error|Exception)\b: ")
Fill = Callable[[Screen[Any], Any], Input]


@pytest.fixture
def errors_logged(caplog: pytest.LogCaptureFixture) -> Callable[[], list[str]]:
    caplog.set_level(logging.WARNING)

    def found() -> list[str]:
        return [
            r.getMessage()
            for r in caplog.records
            if r.exc_info
            and r.name.startswith("orgtui")
            and not r.name.startswith("orgtui.sandbox")
        ]

    return found


def _refused(form: Screen[Any]) -> str:
    """The message shown in the form, '' when there is none (or it is still working)."""
    if getattr(form, "busy", False):
        return ""
    texts = [text_of(w) for w in form.query(".form-error")]
    texts += [text_of(w) for w in form.query("#form-error")]
    shown = " ".join(t for t in texts if t.strip())
    return "" if shown.strip() in ("", "Creating…") else shown


async def feed(
    pilot: Any,
    rig: Rig,
    action: str,
    ctx: ActionContext,
    form_type: type[Screen[Any]],
    fill: Fill,
    examples: list[Any],
) -> dict[str, int]:
    """Submit each example through the form; returns how many were accepted / refused."""
    app = pilot.app
    tally = {"accepted": 0, "refused": 0}
    for value in examples:
        before = len(rig.notes)
        worker = app.start_action(action, ctx)
        assert await until(pilot, lambda: isinstance(app.screen, form_type)), (action, value)
        form = app.screen
        field = fill(form, value)
        await pilot.pause()
        await field.action_submit()

        def ended(form: Screen[Any] = form, worker: Any = worker) -> bool:
            return app.screen is not form or bool(_refused(form)) or worker.is_finished

        gone = await until(pilot, ended)
        assert gone and app.is_running, (action, value)
        if app.screen is form:
            assert _refused(form), (action, value)
            tally["refused"] += 1
            await pilot.press("escape")
        else:
            tally["accepted"] += 1
        # Whatever the action opens afterwards (copy-once, a confirmation) is closed politely.
        while not worker.is_finished:
            top = app.screen
            if isinstance(top, CopyOnceScreen):
                await pilot.press("y")
            elif isinstance(top, ConfirmScreen | form_type):
                await pilot.press("escape")
            await pilot.pause(0.02)
        await pilot.pause()
        news = rig.notes[before:]
        assert not [n for n in news if UNEXPECTED.search(n)], (action, value, news)
    return tally


def _set(selector: str) -> Fill:
    def fill(form: Screen[Any], value: Any) -> Input:
        field = form.query_one(selector, LabelledInput).input
        field.value = value
        return field

    return fill


async def _started(pilot: Any) -> str:
    await synced(pilot)
    return project_id(pilot.app, "search-dev")


async def test_key_and_admin_key_names(
    quiet_clipboard: list[str], errors_logged: Callable[[], list[str]]
) -> None:
    from orgtui.ui.features.keys.admin_keys import AdminKeyCreateScreen
    from orgtui.ui.features.keys.create import KeyCreateScreen

    rig = build_rig()
    async with rig.app.run_test(size=(100, 30)) as pilot:
        pid = await _started(pilot)
        names = [*KNOWN, "trust-plain", "  padded-name  "] + draw(
            st.one_of(hostile_text, key_name_like), 3
        )
        ctx = ActionContext(scope=A.PROJECT, project_id=pid)
        tally = await feed(pilot, rig, "key.create", ctx, KeyCreateScreen, _set("#name"), names)
        assert tally["accepted"] and tally["refused"]

        def scopes(form: Screen[Any], value: str) -> Input:
            form.query_one("#name", LabelledInput).input.value = "trust-scoped"
            field = form.query_one("#scopes", LabelledInput).input
            field.value = value
            return field

        await feed(pilot, rig, "key.create", ctx, KeyCreateScreen, scopes, draw(hostile_text, 2))
        admin = ActionContext(scope=A.ADMIN_KEY)
        await feed(
            pilot,
            rig,
            "admin_key.create",
            admin,
            AdminKeyCreateScreen,
            _set("#name"),
            KNOWN[:2] + draw(hostile_text, 2, seed=1),
        )
    assert errors_logged() == []


async def test_project_names(errors_logged: Callable[[], list[str]]) -> None:
    from orgtui.ui.features.projects.actions import CreateProjectForm, RenameProjectForm

    rig = build_rig()
    async with rig.app.run_test(size=(100, 30)) as pilot:
        pid = await _started(pilot)
        names = [*KNOWN[:5], "trust project ok", "漢字 ÅB"] + draw(hostile_text, 2)
        tree = ActionContext(scope=A.TREE)
        tally = await feed(
            pilot, rig, "project.create", tree, CreateProjectForm, _set("#name"), names
        )
        assert tally["accepted"] and tally["refused"]
        rename = ActionContext(scope=A.PROJECT, project_id=pid)
        await feed(
            pilot,
            rig,
            "project.rename",
            rename,
            RenameProjectForm,
            _set("#name"),
            draw(st.one_of(hostile_text, key_name_like), 2, seed=2),
        )
    assert errors_logged() == []


async def test_invite_emails(errors_logged: Callable[[], list[str]]) -> None:
    from orgtui.ui.features.members.invite_form import InviteScreen

    rig = build_rig()
    async with rig.app.run_test(size=(100, 30)) as pilot:
        await _started(pilot)
        lists = st.lists(st.one_of(email_like, hostile_text), min_size=1, max_size=4)
        examples = KNOWN[:2] + draw(lists.map(", ".join), 4)
        tally = await feed(
            pilot,
            rig,
            "invite.create",
            ActionContext(),
            InviteScreen,
            _set("#invite-emails"),
            examples,
        )
        assert tally["accepted"] and tally["refused"]
    assert errors_logged() == []


async def test_amounts_and_alerts(errors_logged: Callable[[], list[str]]) -> None:
    from orgtui.ui.features.spend.limits_edit import AlertForm, LimitForm

    rig = build_rig()
    async with rig.app.run_test(size=(100, 30)) as pilot:
        pid = await _started(pilot)
        ctx = ActionContext(scope=A.LIMITS, project_id=pid)
        amounts = KNOWN[:3] + ["1" * 30, "$1,250.50", "0.001"] + draw(amount_like, 5)
        tally = await feed(pilot, rig, "limit.set", ctx, LimitForm, _set("#amount"), amounts)
        assert tally["accepted"] and tally["refused"]

        def alert(form: Screen[Any], value: tuple[str, str, str]) -> Input:
            amount, recipients, prefix = value
            form.query_one("#amount", LabelledInput).input.value = amount
            form.query_one("#recipients", LabelledInput).input.value = recipients
            field = form.query_one("#prefix", LabelledInput).input
            field.value = prefix
            return field

        alerts = draw(st.tuples(amount_like, email_like | hostile_text, hostile_text), 4)
        await feed(pilot, rig, "alert.create", ctx, AlertForm, alert, alerts)
    assert errors_logged() == []


async def test_jump_and_filter(errors_logged: Callable[[], list[str]]) -> None:
    from orgtui.ui.features.shell.jump_screen import JumpScreen

    rig = build_rig()
    app = rig.app
    async with app.run_test(size=(100, 30)) as pilot:
        await _started(pilot)
        for query in KNOWN[:4] + draw(hostile_text, 2):
            worker = app.start_action("nav.jump", ActionContext())
            assert await until(pilot, lambda: isinstance(app.screen, JumpScreen))
            field = app.screen.query_one("#jump-input", Input)
            field.value = query
            await pilot.pause()
            await field.action_submit()
            await pilot.pause()
            if isinstance(app.screen, JumpScreen):  # nothing matched: it says so and stays
                assert "Nothing matches" in text_of(app.screen.query_one("#jump-empty"))
                await pilot.press("escape")
            assert await until(pilot, lambda w=worker: w.is_finished)
        main = app.screen
        main.tree.focus()
        await pilot.press("slash")  # the real key once; then straight to the widgets
        assert await until(pilot, lambda: main.filter_bar.is_open)
        for text in KNOWN[:6] + draw(hostile_text, 2, seed=3):
            main.filter_bar.open_for(main.tree)
            main.filter_bar.input.value = text
            await pilot.pause()
            assert main.tree.filter_text == text.casefold()
            main.filter_bar.clear()
            await pilot.pause()
            assert app.is_running and main.tree.filter_text == ""
    assert errors_logged() == []


async def test_audit_filters(errors_logged: Callable[[], list[str]]) -> None:
    from orgtui.ui.features.audit.screen import AuditScreen

    rig = build_rig()
    app = rig.app
    async with app.run_test(size=(120, 30)) as pilot:
        await _started(pilot)
        app.start_action("view.audit", ActionContext())
        assert await until(pilot, lambda: isinstance(app.screen, AuditScreen))
        screen = app.screen
        fields = ["event", "actor", "project", "object", "time"]
        examples = [(name, text) for name in fields for text in KNOWN[:2]]
        examples += [("time", t) for t in ["9999-12-31", "0001-01-01", *draw(time_like, 4)]]
        examples += [(name, t) for name in fields for t in draw(hostile_text, 1, seed=len(name))]
        for name, text in examples:
            screen.action_clear_filters()
            field = screen.query_one(f"#f-{name}", Input)
            field.value = text
            await pilot.pause()
            await field.action_submit()
            await pilot.pause()
            assert app.is_running and app.screen is screen, (name, text)
            error = text_of(screen.query_one("#audit-error"))
            invalid = screen.query_one(f"#field-{name}").has_class("-invalid")
            assert error.strip() if invalid else True, (name, text)  # refused: it says why
    assert errors_logged() == []
