"""The small things a user trips over: footer, help, palette, themes, stacking, names."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import notes, plain, settle

from orgtui.ui.widgets.footer import OrgFooter
from orgtui.ui.widgets.org_tree import OrgTree
from tests.pilot_support import palette_lists


def footer_items(app: Any) -> list[tuple[str, str, Any]]:
    footer = app.screen.query_one(OrgFooter)
    return [(key.key_display, key.description, key.region) for key in footer.children]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize(
    "keys", ["", "s", "a", "h", "M"], ids=["main", "spend", "audit", "health", "matrix"]
)
async def test_footer_pins_help_and_quit_and_shows_whole_items(
    make_app: Any, size: tuple[int, int], keys: str
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        if keys:
            await pilot.press(keys)
            await settle(pilot, app)
        await pilot.pause()
        items = footer_items(app)
        assert [(k, d) for k, d, _ in items[:2]] == [("?", "Help"), ("q", "Quit")]
        width = app.screen.size.width
        for key, description, region in items:  # every item whole, inside the line
            assert region.right <= width, (key, description, region)
            assert region.width >= len(key) + 1 + len(description)
        assert not any(d == "Commands" for _, d, _ in items)  # no docked "^p Commands" over them
        # What does not fit is in `?`: every binding shown here is listed there.
        shown = {d for _, d, _ in items}
        await pilot.press("question_mark")
        await settle(pilot, app)
        body = plain(app.screen.query_one("#help-body"))
        for description in shown:
            assert description in body


async def test_help_scrolls_with_j_and_k_and_shows_action_ids(make_app: Any) -> None:
    from textual.containers import VerticalScroll

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await settle(pilot, app)
        scroll = app.screen.query_one(VerticalScroll)
        body = plain(app.screen.query_one("#help-body"), width=90)
        for action_id in ("key.rotate", "view.spend", "graph.pause", "invite.create"):
            assert action_id in body
        assert scroll.scroll_y == 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroll.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_y == 2
        await pilot.press("G")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y > 10


async def test_palette_finds_commands_of_other_contexts(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.focused, OrgTree)
        await pilot.press("ctrl+p")
        for ch in "rotate":
            await pilot.press(ch)
        texts = await palette_lists(pilot, "Rotate key")
        assert any("Rotate key" in t for t in texts), texts
        await pilot.press("enter")  # from the tree there is no key: it says where it works
        await settle(pilot, app)
        assert any("Rotate key works in: API keys list (press o there)" in n for n in notes(app))
        assert app.screen.id == "main"


async def test_ansi_theme_draws_tree_guides_in_the_terminal_colour(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.theme = "ansi-dark"
        await settle(pilot, app)
        tree = app.screen.query_one(OrgTree)
        for component in ("tree--guides", "tree--guides-hover"):
            colour = tree.get_component_rich_style(component).color
            assert colour is not None and colour.name == "default", (component, colour)
        tree.blur()
        await pilot.pause()
        colour = tree.get_component_rich_style("tree--guides").color
        assert colour is not None and colour.name == "default"


async def test_screens_stack_so_escape_returns_where_you_came_from(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)

        def names() -> list[str]:
            return [type(s).__name__ for s in app.screen_stack[1:]]

        await pilot.press("s")
        await settle(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        assert names() == ["MainScreen", "SpendScreen", "AuditScreen", "SpendScreen"]
        await pilot.press("enter")  # the spend screen's own limits screen...
        await settle(pilot, app)
        assert names()[-1] == "LimitsScreen"
        await pilot.press("s")  # ...`s` from there goes back down to its spend screen
        await settle(pilot, app)
        assert names() == ["MainScreen", "SpendScreen", "AuditScreen", "SpendScreen"]
        for expected in ("AuditScreen", "SpendScreen", "MainScreen"):
            await pilot.press("escape")
            await settle(pilot, app)
            assert names()[-1] == expected


async def test_help_lists_the_sort_key_of_a_focused_list(make_app: Any) -> None:
    """Keys that are in no footer (like `S` on a list) are still in `?`."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        app.screen.projects_table.focus()
        await pilot.press("question_mark")
        await settle(pilot, app)
        here = plain(app.screen.query_one("#help-body"), width=90).split("Everywhere")[0]
        assert "Sort" in here and "Graph this" in here
