"""Secrets, end to end: a long scripted session mints keys every way the console can (a new
key, another key for an account, a rotation, an admin key, and a create whose answer is lost
mid-way), then every file the app wrote and everything it said is searched for each minted
value and for the admin key. A minted value may appear only in the copy-once dialog's own
frame (and in the clipboard sequence its `c` writes); the admin key nowhere.

The minted values are read from the sandbox side: a gate in front of it records every create
response body, which is the only place the sandbox ever sends a value.
"""

from __future__ import annotations

import base64
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from trust_support import Rig, build_rig, project_id, settle, synced, until, wait_for_screen

from orgtui.core import actions as A
from orgtui.sandbox import SANDBOX_ADMIN_KEY
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.features.keys.create import KeyCreateScreen, MintKeyScreen
from orgtui.ui.widgets.confirm import ConfirmScreen
from orgtui.ui.widgets.form import LabelledInput


class Shots:
    """Screenshots of every screen visited, the copy-once dialog kept apart."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.dialog: list[str] = []
        self.other: dict[str, str] = {}

    def take(self, label: str) -> None:
        svg = self.app.export_screenshot()
        if isinstance(self.app.screen, CopyOnceScreen):
            self.dialog.append(svg)
        else:
            self.other[f"{len(self.other):02d} {label}"] = svg


async def _copy_and_store(pilot: Any, shots: Shots, label: str) -> None:
    """On the copy-once dialog: screenshot it, copy (c), confirm stored (y)."""
    dialog = await wait_for_screen(pilot, CopyOnceScreen)
    await pilot.pause()
    shots.take(label)
    await pilot.press("c")
    await pilot.press("y")
    assert await until(pilot, lambda: pilot.app.screen is not dialog)
    await pilot.pause()
    shots.take(f"after {label}")


async def _submit_name(pilot: Any, form: Any, name: str) -> None:
    field = form.query_one("#name", LabelledInput).input
    field.value = name
    await pilot.pause()
    await field.action_submit()


async def _visit(pilot: Any, shots: Shots, label: str, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)
    shots.take(label)


def _variants(value: str) -> list[str]:
    """The value as text, base64 (OSC 52) and the halves of it (a split or wrapped copy)."""
    raw = value.encode()
    half = len(value) // 2
    return [value, base64.b64encode(raw).decode(), value[:half], value[half:]]


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path


async def _script(pilot: Any, rig: Rig, shots: Shots) -> None:
    app = pilot.app
    await synced(pilot)
    shots.take("start")
    pid = project_id(app, "search-prod")
    app.main_screen_goto("demo", pid)
    await settle(pilot)
    await _visit(pilot, shots, "project keys", "enter")

    # 1. a new key (a service account with its key)
    await pilot.press("n")
    await _submit_name(pilot, await wait_for_screen(pilot, KeyCreateScreen), "trust-secret-new")
    await _copy_and_store(pilot, shots, "new key")

    # 2. another key for an existing account
    view = app.session.snapshot.project(pid)
    account = next(a for a in view.get("service_accounts") or () if a.name == "search-api")
    ctx = ActionContext(scope=A.SERVICE_ACCOUNT, project_id=pid, item=account)
    app.start_action("service_account.mint", ctx)
    await _submit_name(pilot, await wait_for_screen(pilot, MintKeyScreen), "trust-secret-more")
    await _copy_and_store(pilot, shots, "minted for account")

    # 3. rotate a service-account key: the replacement is shown once, the rotation stays open
    from orgtui.ui.features.keys.rotate import RotationWizard

    key = next(k for k in view.get("api_keys") or () if k.name == "search-reranker")
    app.start_action("key.rotate", ActionContext(scope=A.KEY, project_id=pid, item=key))
    wizard = await wait_for_screen(pilot, RotationWizard)
    assert await until(pilot, lambda: wizard.other_keys is not None and not wizard.working)
    shots.take("rotation plan")
    # search-api holds other keys (one minted above): all are rotated together, each shown once.
    others = len(wizard.other_keys)
    assert others >= 1
    await pilot.press("a")
    for index in range(others + 1):
        await _copy_and_store(pilot, shots, f"rotation replacement {index + 1}")
    assert await until(pilot, lambda: not wizard.working)
    shots.take("rotation overlap")
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, RotationWizard))

    # 4. an admin key
    from orgtui.ui.features.keys.admin_keys import AdminKeyCreateScreen

    app.start_action("admin_key.create", ActionContext(scope=A.ADMIN_KEY))
    form = await wait_for_screen(pilot, AdminKeyCreateScreen)
    shots.take("admin key form")
    await _submit_name(pilot, form, "trust-secret-admin")
    await _copy_and_store(pilot, shots, "admin key")

    # 5. a create that crashes mid-way: applied, but its answer (with the value) is lost
    rig.gate.lose_create = "/service_accounts"
    await pilot.press("n")
    await _submit_name(pilot, await wait_for_screen(pilot, KeyCreateScreen), "trust-secret-lost")
    confirm = await wait_for_screen(pilot, ConfirmScreen)
    shots.take("lost answer")
    # "Delete the account" (its key was never received: deleting revokes it), then the form
    # comes back filled in and the account is created again, its key shown once.
    confirm.query_one("#confirm-button").press()
    again = await wait_for_screen(pilot, KeyCreateScreen)
    await _submit_name(pilot, again, "trust-secret-lost")
    await _copy_and_store(pilot, shots, "after the lost answer")

    # 6. the other screens, with everything that was created
    await settle(pilot)
    await _visit(pilot, shots, "accounts tab", "2")
    await _visit(pilot, shots, "admin keys", "escape")
    app.screen.tree.select_ref(app.screen.tree.current)  # back on the tree
    await _visit(pilot, shots, "spend", "s")
    await _visit(pilot, shots, "audit", "escape", "a")
    await _visit(pilot, shots, "health", "escape", "h")
    await _visit(pilot, shots, "help", "escape", "question_mark")
    await _visit(pilot, shots, "back", "escape")


async def test_minted_values_live_only_in_the_dialog(
    quiet_clipboard: list[str],
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("OPENAI_ADMIN_KEY", SANDBOX_ADMIN_KEY)
    rig = build_rig()
    app = rig.app
    shots = Shots(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await _script(pilot, rig, shots)
        clipboard_left = app.clipboard
    minted = rig.gate.minted
    # new key, account key, rotation (search-api's three keys together), admin key, the lost
    # one, and its replacement
    assert len(minted) == 8 and len(set(minted)) == 8, minted
    assert rig.gate.lost == 1
    # 7 dialogs, and 2 "after" shots that caught the next rotation dialog already up.
    assert len(shots.dialog) == 9 and len(shots.other) >= 12

    from orgtui.cli import main

    assert main(["locate"]) == 0
    located = capsys.readouterr().out
    logs = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''} {r.args!r}" for r in caplog.records
    )
    said = "\n".join(rig.notes)
    root = Path(os.environ["ORGTUI_CACHE_DIR"]).parent
    written = {str(p.relative_to(root)): p.read_bytes() for p in _files(root)}
    assert any(name.startswith("cache") for name in written), written.keys()

    secrets = {f"minted #{i}": v for i, v in enumerate(minted)}
    secrets["admin key"] = SANDBOX_ADMIN_KEY
    for what, value in secrets.items():
        for needle in _variants(value):
            for name, data in written.items():
                assert needle.encode() not in data, f"{what} in the file {name}"
            assert needle not in located, f"{what} in `orgtui locate`"
            assert needle not in logs, f"{what} in the log records"
            assert needle not in said, f"{what} in a notification"
            for label, svg in shots.other.items():
                assert needle not in svg, f"{what} in the screenshot {label!r}"
    # Shown where it belongs: each value that reached the console is in exactly one dialog.
    shown = [v for v in minted if any(v in svg for svg in shots.dialog)]
    assert len(shown) == 7 and minted[6] not in shown  # the lost value never arrived
    assert not any(SANDBOX_ADMIN_KEY in svg for svg in shots.dialog)
    # The copy went to the terminal wrapped in OSC 52 and was wiped when the dialog closed.
    assert len(quiet_clipboard) == 14 and quiet_clipboard[1::2] == ["\x1b]52;c;\x07"] * 7
    assert clipboard_left == ""
