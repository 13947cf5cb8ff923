"""Tables keep their columns: each value under its own header, "—" where there is none; any
list sorts by a column with `S` (shown in the header) and keeps that order across a refresh;
enter on a spend top key goes to the key."""

from __future__ import annotations

from typing import Any

import pytest
from test_spend_support import limit_row, settle, spend_app, wait_for, wait_for_screen

from orgtui.core.clock import FrozenClock
from orgtui.ui.features.spend.screen import SpendScreen
from orgtui.ui.widgets.table_sort import sort_value


def screen_lines(table: Any) -> list[str]:
    """What the table shows, line by line (header first), as plain text."""
    return [table.render_line(y).text for y in range(len(table.rows) + 1)]


def column_slices(table: Any, line: str) -> dict[str, str]:
    """The text of each shown column of one line, cut at the column's own edges."""
    out: dict[str, str] = {}
    start = 0
    for index, width in table.column_layout(table.scrollable_content_region.width):
        out[table.columns[index].key] = line[start : start + width].strip()
        start += width + 1
    return out


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_spend_table_columns_stay_under_their_headers(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock, size: tuple[int, int]
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=size) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        table = screen.projects_table
        await wait_for(pilot, lambda: len(table.rows) > 1)
        lines = screen_lines(table)
        header = column_slices(table, lines[0])
        assert header["name"] == "Project" and header["mtd"] == "Month"
        assert header["alerts"] == "Alerts"
        without, with_limit = 0, 0
        for row, line in zip(table.rows, lines[1:], strict=True):
            cells = column_slices(table, line)
            assert cells["mtd"].startswith("$")
            if row.key == "__org__":
                continue
            alerts = sandbox.store.scalar(
                "SELECT count(*) FROM spend_alerts WHERE scope = ? AND deleted_at IS NULL",
                (row.key,),
            )
            if limit_row(sandbox, row.key) is None:
                without += 1
                assert cells["limit"] == "⚠ none"
                assert cells["used"] == "—"  # its own column, not left empty
            else:
                with_limit += 1
                assert cells["limit"].startswith("$")
                assert cells["used"].endswith("%")
            # The alerts column holds alerts, never a shifted forecast.
            assert (cells["alerts"] == "—") == (alerts == 0), (row.key, cells)
            if "forecast" in cells:
                assert cells["forecast"].lstrip("▲ ").startswith("$")
        assert without and with_limit  # the mix the test is about


def test_sort_values_compare_figures_by_value() -> None:
    assert sort_value("$1,234.50") > sort_value("$987.00")
    assert sort_value("1.3k") > sort_value("999")
    assert sort_value("91 d") > sort_value("5 h")
    assert sort_value("—")[0] == sort_value("")[0] == 2
    assert sort_value("alpha") < sort_value("beta")
    assert sort_value("! 4 mo ago") > sort_value("3 d ago") > sort_value("38 min ago")
    assert sort_value("2025-11-09") < sort_value("2026-05-18")


async def test_any_list_sorts_by_a_column_and_keeps_it_across_refresh(
    sandbox_app: Any, sandbox: Any, frozen_clock: FrozenClock
) -> None:
    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        table = screen.projects_table
        await wait_for(pilot, lambda: len(table.rows) > 3)
        table.focus()
        given = [row.key for row in table.rows]
        await pilot.press("S")  # first column: the project name, A-Z
        await settle(pilot)
        names = [row.cells[0].plain.strip() for row in table.rows[1:]]
        assert table.rows[0].key == "__org__"  # the total stays on top
        assert names == sorted(names, key=str.casefold)
        assert screen_lines(table)[0].startswith("Project ▲")
        await pilot.press("S")  # month to date, largest first
        await settle(pilot)
        assert table.sort_column == ("mtd", True)
        assert "Month ▼" in screen_lines(table)[0]

        def month() -> list[float]:
            return [sort_value(row.cells[1].plain)[1] for row in table.rows[1:]]

        assert month() == sorted(month(), reverse=True)
        before = [row.key for row in table.rows]
        await pilot.press("r")  # a refresh: new figures, same order rule
        await settle(pilot)
        assert table.sort_column == ("mtd", True)
        assert month() == sorted(month(), reverse=True)
        assert [row.key for row in table.rows] == before
        for _ in range(len(table.columns)):
            if table.sort_column is None:
                break
            await pilot.press("S")
        assert table.sort_column is None  # round the columns and back to the order given
        assert [row.key for row in table.rows] == given


async def test_enter_on_a_top_key_goes_to_the_key(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    from orgtui.ui.features.projects.detail_pane import ProjectDetail
    from orgtui.ui.features.shell.main_screen import MainScreen

    app, _ = spend_app(sandbox_app, frozen_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_for_screen(pilot, SpendScreen)
        await settle(pilot)
        keys = screen.keys_table
        await wait_for(pilot, lambda: bool(keys.rows))
        keys.focus()
        top = keys.spend()
        assert top is not None and not top.deleted
        await pilot.press("enter")
        await wait_for_screen(pilot, MainScreen)
        await wait_for(
            pilot, lambda: app.focused is not None and app.focused.id == "tab-keys-table"
        )
        detail = app.screen.query_one(ProjectDetail)
        assert detail.project_id == top.project_id
        assert app.focused.current.key == top.id
