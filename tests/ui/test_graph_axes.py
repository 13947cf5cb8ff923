"""The usage graph's axes sit at the plot's edges (left axis at its left, right axis at its
right), at 80x24 and 120x40, on every screen that shows the graph."""

from __future__ import annotations

from typing import Any

import pytest
from snapshot_scenes import build_app, settle

TICKS = "┤├"


def plot_lines(app: Any, plot: Any) -> list[str]:
    region = plot.region
    screen = [
        "".join(seg.text for seg in strip) for strip in app.screen._compositor.render_strips()
    ]
    return [line[region.x : region.right] for line in screen[region.y : region.bottom]]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("keys", ["", "s"], ids=["main", "spend"])
async def test_both_axes_at_the_plot_edges(size: tuple[int, int], keys: str) -> None:
    from orgtui.ui.features.usage.graph import UsageGraph

    app = build_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        if keys:
            await pilot.press(keys)
            await settle(pilot)
        graph = app.screen.query_one(UsageGraph)
        assert graph.data is not None and not graph.data.empty
        lines = [line.rstrip() for line in plot_lines(app, graph.plot)]
        framed = [line for line in lines if "┤" in line or "│" in line[:4]]
        assert framed, lines
        width = max(len(line) for line in lines)
        for line in framed:
            left = next(i for i, ch in enumerate(line) if ch in "┤│")
            assert left <= 5, line  # the left axis: labels then the frame, at the left edge
            right_marks = [i for i, ch in enumerate(line) if ch == "├"]
            for at in right_marks:
                # the right axis: its tick sits on the frame's right edge, only labels after it
                tail = line[at + 1 :]
                assert len(tail) <= 6 and not any(c in "⣿▀▄▚▞⠁⡀" for c in tail), line
                assert width - at <= 7, (at, width, line)
        right_ticks = [line for line in framed if "├" in line]
        assert right_ticks, "no right axis drawn"
        edges = {line.index("├") for line in right_ticks}
        assert len(edges) == 1  # one straight right axis, not ticks scattered mid-plot
