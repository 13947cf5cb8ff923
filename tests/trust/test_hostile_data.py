"""Hostile data: an organisation whose names, emails and key names hold Rich markup, ANSI and
OSC escape sequences (OSC 52 would overwrite the viewer's clipboard), control characters,
10,000-character strings, wide and right-to-left text (`orgtui.sandbox.hostile`).

Nothing is interpreted, everything renders literally, layouts hold: SVG snapshots at 120x40
and 80x24, every screen's rendered lines checked cell by cell, and the real byte stream of
`orgtui --demo` on a pty searched for the sequences hidden in the data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pty_harness import PtyConsole, console_env
from rich.cells import cell_len
from trust_support import build_rig, goto_project, settle, synced, wait_for_screen

from orgtui.sandbox.hostile import HOSTILE_STRINGS, OSC52_EVIL
from orgtui.ui.widgets.org_tree import ADMIN_KEYS, MEMBERS, NodeRef
from tests.pilot_support import wait_until

# What must never reach the terminal: the sequences hidden in the names.
RAW = [
    "\x1b]52;",
    "\x1b]8;;https://evil",
    "\x1b]0;pwned",
    "\x1b[31mred",
    "\x1b[2J\x1b[H",
    "\x9b31m",
]
# What must be on screen instead: the same text, drawn literally.
LITERAL = ["␛]52;c;ZXZpbA==␇", "[b]bold?[/b]", "[red]not red[/red]", "[link=https://evil"]


def _lines(app: Any) -> list[str]:
    return ["".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()]


def _cell_slice(line: str, start: int) -> str:
    """The text of `line` from cell `start` on (wide characters take two cells)."""
    cells = 0
    for index, ch in enumerate(line):
        if cells >= start:
            return line[index:]
        cells += cell_len(ch)
    return ""


def _assert_screen_holds(app: Any, where: str) -> list[str]:
    width, height = app.size
    lines = _lines(app)
    assert len(lines) == height, where
    for number, line in enumerate(lines):
        assert cell_len(line) == width, f"{where}: line {number} is {cell_len(line)} cells"
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in line), (where, line)
    svg = app.export_screenshot()
    assert not any(code in svg for code in ("\x1b", "\x07", "\x00", "\x9b")), where
    return lines


def _snapshot_app() -> Any:
    return build_rig(hostile=True).app


async def _to_hostile_keys(pilot: Any) -> None:
    await synced(pilot)
    app = pilot.app
    org = app.sandbox_org  # set by the test
    await goto_project(pilot, org.project_id)
    for widget in app.screen.query("Input"):
        widget.cursor_blink = False


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_snapshot_hostile_project_keys(snap_compare: Any, size: tuple[int, int]) -> None:
    """The hostile project selected, its Keys tab focused: names drawn literally, in columns."""
    rig = build_rig(hostile=True)
    rig.app.sandbox_org = rig.hostile
    assert snap_compare(rig.app, terminal_size=size, run_before=_to_hostile_keys)


async def test_every_screen_draws_hostile_names_literally(quiet_clipboard: list[str]) -> None:
    rig = build_rig(hostile=True)
    app = rig.app
    org = rig.hostile
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await synced(pilot)
        seen = "\n".join(_assert_screen_holds(app, "start"))
        await goto_project(pilot, org.project_id)
        keys = _assert_screen_holds(app, "keys tab")
        seen += "\n".join(keys)
        # Columns stay put: under a fixed column's header, every row shows that column's value.
        header = next(line for line in keys if "Name" in line and " Created " in line)
        rows = [line for line in keys if "sk-" in line]
        for title, prefix in ((" Key ", "sk-"), (" Created ", "20")):
            if title in header:
                column = cell_len(header[: header.index(title) + 1])
                assert len(rows) >= 6 and all(
                    _cell_slice(r, column).startswith(prefix) for r in rows
                )
        for tab in ("2", "3", "4", "5"):
            await pilot.press(tab)
            await settle(pilot)
            seen += "\n".join(_assert_screen_holds(app, f"tab {tab}"))
        tree = app.screen.tree
        for kind in (MEMBERS, ADMIN_KEYS):
            tree.select_ref(NodeRef("demo", kind))
            await settle(pilot)
            seen += "\n".join(_assert_screen_holds(app, kind))
        # Forms and dialogs that repeat a hostile name: new key, jump, archive, delete.
        from orgtui.ui.features.keys.create import KeyCreateScreen
        from orgtui.ui.features.shell.jump_screen import JumpScreen
        from orgtui.ui.widgets.confirm import ConfirmScreen

        await goto_project(pilot, org.project_id, focus=False)
        await pilot.press("n")
        await wait_for_screen(pilot, KeyCreateScreen)
        seen += "\n".join(_assert_screen_holds(app, "new key form"))
        await pilot.press("escape")
        await pilot.press("colon")
        await wait_for_screen(pilot, JumpScreen)
        seen += "\n".join(_assert_screen_holds(app, "jump"))
        await pilot.press("escape")
        await pilot.press("X")
        await wait_for_screen(pilot, ConfirmScreen)
        seen += "\n".join(_assert_screen_holds(app, "archive confirmation"))
        await pilot.press("escape")
        for key, name in (("h", "HealthScreen"), ("a", "AuditScreen"), ("s", "SpendScreen")):
            await pilot.press("escape", key)
            await settle(pilot)
            assert type(app.screen).__name__ == name
            seen += "\n".join(_assert_screen_holds(app, name))
        # The notifications that name things are plain text too.
        app.notify(HOSTILE_STRINGS["markup"] + OSC52_EVIL, markup=False)
        await wait_until(pilot, lambda: app.screen.query("Toast"), "the toast")
        seen += "\n".join(_assert_screen_holds(app, "toast"))
    for text in LITERAL:
        assert text in seen, text


def test_the_terminal_never_sees_the_hidden_sequences(tmp_path: Path) -> None:
    """The real byte stream of `orgtui --demo` over a hostile organisation, on a pty."""
    from orgtui import paths
    from orgtui.sandbox.hostile import create_hostile_app

    db = paths.sandbox_data_dir() / "demo.sqlite3"  # the demo reuses an existing database
    create_hostile_app(db).state.sandbox.store.close()
    with PtyConsole(["--demo"], console_env("xterm-256color", 120, 40), 120, 40) as console:
        assert console.expect(b"Acme Robotics", 90), console.text[-2000:]
        console.settle()
        for key in (b"j", b"j", b"j", b"\r", b"2", b"3", b"4"):  # the hostile project's tabs
            console.send(key, pause=0.2)
        console.send(b":")  # the jump list repeats every project name
        console.send(b"\x1b")
        console.send(b"q")
        code = console.wait(60)
    out = bytes(console.output)
    assert code == 0 and b"Traceback" not in out, console.text[-2000:]
    for raw in RAW:
        assert raw.encode() not in out, f"{raw!r} reached the terminal"
    assert "␛]52;c;ZXZpbA==␇".encode() in out  # drawn, literally
