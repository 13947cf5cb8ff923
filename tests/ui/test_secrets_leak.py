"""No key value anywhere but the copy-once dialog: files, logs, notifications, other screens."""

from __future__ import annotations

import base64
import logging
import os
from pathlib import Path
from typing import Any

import pytest
from test_keys_support import (
    Terminal,
    build_app,
    dialog_value,
    goto_project,
    key_by_name,
    settle,
    wait_for_screen,
)

from orgtui.core import actions as A
from orgtui.ui.dispatch import ActionContext
from orgtui.ui.features.keys.admin_keys import AdminKeyCreateScreen
from orgtui.ui.features.keys.copy_once import CopyOnceScreen
from orgtui.ui.features.keys.create import KeyCreateScreen
from orgtui.ui.features.keys.rotate import RotationWizard
from orgtui.ui.widgets.form import LabelledInput


class Leaks:
    """Every value shown, and everything the app produced outside the dialog."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.outputs: dict[str, str] = {}

    def add(self, where: str, text: str) -> None:
        self.outputs[f"{where} #{len(self.outputs)}"] = text

    def check(self, text: str, where: str) -> None:
        for value in self.values:
            for form in (value, value[12:-4], base64.b64encode(value.encode()).decode()):
                assert form not in text, f"a key value leaked into {where}"


async def take(pilot: Any, leaks: Leaks, kind: type, submit: Any) -> None:
    screen = await wait_for_screen(pilot, kind)
    leaks.add(f"screenshot of {kind.__name__}", pilot.app.export_screenshot())
    await submit(screen)
    dialog = await wait_for_screen(pilot, CopyOnceScreen)
    leaks.values.append(dialog_value(dialog))
    leaks.add("repr of the dialog", repr(dialog))
    await pilot.press("c", "v", "v", "y")
    if kind is RotationWizard:
        await wait_for_screen(pilot, RotationWizard)  # back to the wizard, which stays open
    else:
        await settle(pilot)
    leaks.add("screenshot after the dialog", pilot.app.export_screenshot())


def walk_files(root: Path) -> list[Path]:
    return [Path(d) / f for d, _, files in os.walk(root) for f in files]


async def test_no_value_outside_the_dialog(
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    isolated_dirs: Path,
) -> None:
    import textual.constants

    caplog.set_level(logging.DEBUG)
    # Textual's own log (worker descriptions, messages) goes to a file the scan below reads.
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(isolated_dirs / "state" / "textual.log"))
    terminal = Terminal(env={"TMUX": "x"}, native=True).install(monkeypatch)
    leaks = Leaks()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # 1. a project key through quick create
        pid = await goto_project(pilot, "search-dev")
        await pilot.press("n")

        async def name_it(form: Any, name: str = "search-dev-ingest") -> None:
            field = form.query_one("#name", LabelledInput)
            field.input.value = name
            field.input.focus()
            await pilot.press("enter")

        await take(pilot, leaks, KeyCreateScreen, name_it)

        # 2. an admin key
        app.start_action("admin_key.create", ActionContext(scope=A.ADMIN_KEY))
        await take(pilot, leaks, AdminKeyCreateScreen, lambda f: name_it(f, "admin-audit"))

        # 3. a rotation's replacement key
        pid = await goto_project(pilot, "search-prod")
        key = key_by_name(app, pid, "search-indexer-embeddings")
        app.start_action("key.rotate", ActionContext(scope=A.KEY, project_id=pid, item=key))

        async def mint(wizard: Any) -> None:
            await pilot.press("m")

        await take(pilot, leaks, RotationWizard, mint)
        wizard = app.screen
        for _ in range(40):
            if not wizard.working:
                break
            await pilot.pause(0.05)
        leaks.add("screenshot of the wizard", app.export_screenshot())
        await pilot.press("escape")
        await settle(pilot)
        leaks.add("main screen", app.export_screenshot())
        for note in app._notifications:
            leaks.add("notification", f"{note.title} {note.message} {note!r}")

    assert len(leaks.values) == 3 and all(v.startswith("sk-") for v in leaks.values)
    # The only place a value went on purpose: OSC 52 to the terminal, when c was pressed (in
    # tmux without a tmux binary: wrapped, and plain too unless y came first), then cleared.
    assert set(terminal.copied()) == {*leaks.values, ""}
    assert terminal.copied().count("") >= 3
    assert sorted(v.decode() for v in terminal.native_inputs) == sorted([*leaks.values, "", "", ""])
    for where, text in leaks.outputs.items():
        leaks.check(text, where)
    for record in caplog.records:
        leaks.check(record.getMessage() + repr(record.args) + str(record.exc_text), "a log record")
    captured = capsys.readouterr()
    leaks.check(captured.out + captured.err, "stdout/stderr")
    files = walk_files(isolated_dirs)
    names = {p.name for p in files}
    assert any(n.endswith(".sqlite3") or "cache" in n for n in names), names  # the cache
    assert any("journal" in n or "rotation" in n for n in names), names  # the rotation journal
    assert "textual.log" in names
    for path in files:
        data = path.read_bytes()
        for value in leaks.values:
            assert value.encode() not in data, f"a key value leaked into {path}"
            assert value[12:-4].encode() not in data, f"part of a key value leaked into {path}"
