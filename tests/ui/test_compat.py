"""orgtui.ui.compat against the installed Textual: every private thing it uses still behaves
as it did when the module was written, inside the version range pyproject.toml declares.

A Textual upgrade that moves one of them fails here, by name, instead of in front of a user.
"""

from __future__ import annotations

import asyncio
import re
import tomllib
from importlib.metadata import version
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import RadioButton, RadioSet, Static, Tree

from orgtui.ui import compat
from orgtui.ui.widgets.footer import OrgFooter

ROOT = Path(__file__).resolve().parents[2]


def _textual_requirement() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in project["project"]["dependencies"]:
        match = re.fullmatch(r"textual\s*([<>=!~].*)", requirement.strip())
        if match:
            return match.group(1).replace(" ", "")
    raise AssertionError("pyproject.toml does not require textual")


def test_compat_was_checked_against_the_textual_range_pyproject_declares() -> None:
    # Widening the range in pyproject.toml means checking this module again, then TEXTUAL_RANGE.
    assert _textual_requirement() == compat.TEXTUAL_RANGE
    assert version("textual") in SpecifierSet(compat.TEXTUAL_RANGE)


# The private names compat.py touches: nothing else in orgtui may.
PRIVATE = (
    "._display",
    "app._clipboard",
    "._driver",
    '"_driver"',
    "._thread_id",
    "._selected =",
    "._bindings_ready",
    "._tree_lines",
    "._refresh_truecolor_filter",
    "super()._invalidate",
    "textual.widgets._",
)


def test_only_compat_reaches_into_textual_private_names() -> None:
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in sorted((ROOT / "orgtui").rglob("*.py"))
        if path.name != "compat.py"
        for name in PRIVATE
        if name in path.read_text(encoding="utf-8")
    ]
    assert found == []


class _Plain(App[None]):
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("x", "bell", "Extra", id="extra"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("hello")
        yield RadioSet(
            RadioButton("owner", value=True), RadioButton("reader"), RadioButton("guest")
        )
        yield Tree("root", id="tree")
        yield OrgFooter()

    def action_help(self) -> None:
        pass


async def test_frame_output_sees_every_frame_sent_to_the_terminal() -> None:
    app = _Plain()
    async with app.run_test(size=(60, 12)) as pilot:
        frames: list[Any] = []
        display = compat.frame_output(app)

        def record(screen: Any, renderable: Any) -> None:
            frames.append(screen)
            display(screen, renderable)

        compat.set_frame_output(app, record)
        app.query_one(Static).update("changed")
        await pilot.pause()
        assert app.screen in frames
        compat.set_frame_output(app, display)


async def test_forget_copied_text_empties_the_apps_clipboard() -> None:
    app = _Plain()
    async with app.run_test():
        app.copy_to_clipboard("sk-sandbox-not-a-real-key")
        assert app.clipboard == "sk-sandbox-not-a-real-key"
        compat.forget_copied_text(app)
        assert app.clipboard == ""


async def test_terminal_writer_exists_only_while_the_app_runs() -> None:
    app = _Plain()
    assert compat.terminal_writer(app) is None
    async with app.run_test():
        writer = compat.terminal_writer(app)
        assert callable(writer)
        writer("")


async def test_on_app_thread_tells_the_app_thread_from_others() -> None:
    app = _Plain()
    async with app.run_test():
        assert compat.on_app_thread(app)
        assert not await asyncio.to_thread(compat.on_app_thread, app)


async def test_highlight_radio_moves_what_enter_presses() -> None:
    app = _Plain()
    async with app.run_test() as pilot:
        radios = app.query_one(RadioSet)
        compat.highlight_radio(radios, 2)
        radios.focus()
        await pilot.press("enter")
        assert radios.pressed_index == 2
        await pilot.press("up", "enter")  # from the highlighted button, not the first
        assert radios.pressed_index == 1


async def test_footer_builds_its_keys_once_the_bindings_are_known() -> None:
    app = _Plain()
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        footer = app.query_one(OrgFooter)
        assert compat.footer_bindings_ready(footer)
        shown = [str(key.render()) for key in footer.children]
        assert shown and "Help" in shown[0] and "Quit" in shown[1]
        assert any("Extra" in text for text in shown)


async def test_number_tree_lines_lets_the_cursor_reach_nodes_added_just_now() -> None:
    app = _Plain()
    async with app.run_test() as pilot:
        await pilot.pause()
        tree = app.query_one(Tree)
        tree.root.expand()
        await pilot.pause()
        nodes = [tree.root.add_leaf(f"leaf {n}") for n in range(5)]
        assert nodes[0].line == -1  # not numbered until the tree is next drawn
        compat.number_tree_lines(tree)
        assert [node.line for node in nodes] == [1, 2, 3, 4, 5]
        tree.move_cursor(nodes[3])
        assert tree.cursor_node is nodes[3]
