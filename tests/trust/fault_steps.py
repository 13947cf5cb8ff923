"""Steps the fault tests share: attempt a create through the real form, and judge the outcome.

`attempt_create` drives `n` -> KeyCreateScreen -> Enter and waits for whichever ending comes:
the copy-once dialog (created), a reconciliation dialog (created but key lost / nothing created /
outcome unknown), or the form itself showing an error (failed). It closes what it opened and
returns what the user was told, so the test can check the sandbox holds exactly that.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from trust_support import Rig, flat, settle, text_of, until, wait_for_screen

from orgtui.ui.features.keys.copy_once import CopyOnceScreen, SecretArea
from orgtui.ui.features.keys.create import KeyCreateScreen
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput

ERROR_LABELS = (
    "Authentication failed",
    "Permission denied",
    "Not found",
    "Bad request",
    "Rate limited",
    "Server error",
    "Offline",
    "Request timed out",
    "Malformed response",
)


@dataclass
class Told:
    """What the console told the user about one create."""

    kind: str  # created | exists | not_created | unknown | failed
    text: str
    value: str | None = None  # the value shown in the copy-once dialog


def _form_error(form: KeyCreateScreen) -> str:
    texts = [text_of(form.query_one("#form-error"))]
    texts += [text_of(w) for w in form.query(".form-error")]
    return flat(" ".join(t for t in texts if t))


def _ended(app: Any, form: KeyCreateScreen) -> bool:
    top = app.screen
    if isinstance(top, CopyOnceScreen):
        return bool(top.query(SecretArea))  # composed, not just pushed
    if isinstance(top, ConfirmScreen):
        return bool(top.query("#confirm-body"))
    return top is form and not form.busy and bool(_form_error(form))


async def attempt_create(pilot: Any, rig: Rig, name: str, timeout: float = 30.0) -> Told:
    """Create a key named `name` in the selected project through the form; see module doc."""
    app = pilot.app
    await pilot.press("n")
    form = await wait_for_screen(pilot, KeyCreateScreen)
    field = form.query_one("#name", LabelledInput)
    field.input.value = name
    await pilot.pause()
    await field.input.action_submit()  # Enter in the name field
    assert await until(pilot, lambda: _ended(app, form), timeout), "the create never ended"
    top = app.screen
    if isinstance(top, CopyOnceScreen):
        value = top.query_one(SecretArea).text
        await pilot.press("y")
        await settle(pilot)
        return Told("created", f"copy-once dialog for {name}", value)
    if isinstance(top, ConfirmScreen):
        title = text_of(top.query_one("#confirm-title"))
        body = flat(text_of(top.query_one("#confirm-body")))
        kind = {
            "Created, but the key was not received": "exists",
            "A key was created but never received": "exists",
            "Nothing was created": "not_created",
            "Outcome unknown": "unknown",
        }[title]
        await pilot.press("escape")  # Cancel: decline the offer, send nothing more
        await until(pilot, lambda: not isinstance(app.screen, ConfirmScreen))
        await settle(pilot)
        return Told(kind, f"{title}: {body}")
    text = _form_error(form)
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, KeyCreateScreen))
    await settle(pilot)
    return Told("failed", text)


def check_told(rig: Rig, name: str, told: Told) -> int:
    """The sandbox holds what the user was told; returns how many accounts are named `name`."""
    rows = rig.accounts_named(name)
    count = len(rows)
    assert count <= 1, f"duplicate service accounts named {name}: {rows}"
    if told.kind == "created":
        assert count == 1, told
        digest = hashlib.sha256((told.value or "").encode()).hexdigest()
        keys = rig.store.query(
            "SELECT id FROM api_keys WHERE value_hash = ? AND owner_sa_id = ?",
            (digest, rows[0]["id"]),
        )
        assert len(keys) == 1, "the dialog showed a value the sandbox did not mint"
    elif told.kind == "exists":
        assert count == 1, told
    elif told.kind in ("not_created", "failed"):
        assert count == 0, told
    if told.kind == "failed":
        assert any(label in told.text for label in ERROR_LABELS), told.text
    if told.kind == "unknown":
        assert "Could not tell whether" in told.text, told.text
    return count


def snapshot_accounts_named(app: Any, pid: str, name: str) -> int:
    view = app.session.snapshot.project(pid)
    return sum(1 for a in (view.get("service_accounts") if view else None) or () if a.name == name)
