"""Drawing the usage graph (`usage_graph.UsageGraph`): the chart and its legend.

One kind: its own unit on the left axis (requests for completions, embeddings and moderations,
with tokens on the right; images, characters or seconds with requests on the right; GB-days;
sessions). Grouped: tokens (kinds that have them) or the kind's unit, one line per group.
All kinds: each kind's events stacked, one band per kind, the legend naming every kind with its
own total in its own unit. Cost: dollars per day.

Colour is never the only cue: every series has its own marker, and the legend repeats it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.color import Color

from orgtui.core.money import format_usd
from orgtui.core.usage_kinds import ALL, cumulative, kind_name, spec_of
from orgtui.core.usage_series import (
    GROUP_TITLES,
    RANGE_TITLES,
    GraphData,
    compact,
    time_ticks,
    value_ticks,
)
from orgtui.ui.text import clock_time, safe_text

if TYPE_CHECKING:
    from orgtui.ui.features.usage.graph import UsageGraph

__all__ = ["MARKERS", "colours", "glyph", "paint_legend", "paint_plot"]

# (plotext marker, legend glyph) per series: distinct without colour.
MARKERS: tuple[tuple[str, str], ...] = (
    ("braille", "⣿"),
    ("hd", "▚"),
    ("+", "+"),
    ("x", "x"),
    ("o", "o"),
    ("*", "*"),
    ("#", "#"),
    ("@", "@"),
)
_THEME_COLOURS = ("primary", "accent", "success", "secondary", "warning", "error", "foreground")
PER = {"1m": "min", "1h": "h", "1d": "day", "cost": "day"}


def colours(graph: UsageGraph) -> list[tuple[int, int, int]]:
    theme = graph.app.current_theme
    found = []
    for name in _THEME_COLOURS:
        value = getattr(theme, name, None)
        try:
            found.append(Color.parse(value).rgb if value else (128, 128, 128))
        except Exception:  # an ANSI theme colour name that does not parse as RGB
            found.append((128, 128, 128))
    return found


def glyph(text: Text, i: int, palette: list[Any]) -> None:
    r, g, b = palette[i % len(palette)]
    text.append(MARKERS[i % len(MARKERS)][1], style=f"bold rgb({r},{g},{b})")


def _draw(
    graph: UsageGraph,
    xs: list[int],
    ys: Any,
    i: int,
    palette: list[Any],
    side: str,
    *,
    fill: bool = False,
) -> None:
    marker = MARKERS[i % len(MARKERS)][0]
    graph.plot.plt.plot(
        xs, list(ys), marker=marker, color=palette[i % len(palette)], yside=side, fillx=fill
    )


def _axis(graph: UsageGraph, values: Any, side: str, *, money: bool = False) -> None:
    top, ticks, names = value_ticks(max(values, default=0), money=money)
    # textual-plotext's stub types `yside` as a float; plotext takes "left" or "right".
    graph.plot.plt.ylim(0, top, yside=side)  # type: ignore[arg-type]
    graph.plot.plt.yticks(ticks, names, yside=side)  # type: ignore[arg-type]


def _two_sided(data: GraphData) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
    """(left, right) of one ungrouped kind: its measure, and tokens or requests beside it."""
    spec = spec_of(data.query.usage_kind)
    series = data.series[0]
    if spec.tokens:
        return series.requests, series.tokens
    if spec.events is not None and spec.measure != (spec.events,):
        return series.measure, series.requests
    return series.measure, None


def paint_plot(graph: UsageGraph) -> None:
    plot = graph.plot
    plt = plot.plt
    plt.clear_figure()
    data = graph.data
    if data is None:
        plot.refresh()
        return
    palette = colours(graph)
    xs = list(range(len(data.starts)))
    width = max(plot.size.width, 40)
    positions, labels = time_ticks(data.query, max_ticks=max(2, (width - 12) // 9))
    kind = data.query.usage_kind
    if data.empty:  # axes only: a flat line at zero would read as a bar
        plt.scatter([0, max(len(xs) - 1, 1)], [0, 0], marker=" ")
        plt.ylim(0, 1)
        plt.yticks([0], ["$0" if data.is_cost else "0"])
    elif not data.is_cost and kind == ALL:
        stacked = [s for s in data.series if spec_of(s.key).events is not None]
        tops = cumulative([s.requests for s in stacked])
        for i in range(len(tops) - 1, -1, -1):  # the tallest band first, the others over it
            _draw(graph, xs, tops[i], i, palette, "left", fill=True)
        _axis(graph, tops[-1] if tops else (), "left")
    elif not data.is_cost and data.query.group_field is None:
        left, right = _two_sided(data)
        for i, (side, values) in enumerate((("left", left), ("right", right))):
            if values is None:
                continue
            _draw(graph, xs, values, i, palette, side)
            _axis(graph, values, side)
    else:  # one metric for every series: tokens or the kind's unit, or dollars for costs
        tokens = data.is_cost or spec_of(kind).tokens
        columns = [
            s.cost if data.is_cost else (s.tokens if tokens else s.measure) for s in data.series
        ]
        for i, values in enumerate(columns):
            _draw(graph, xs, values, i, palette, "left")
        _axis(graph, [max(c, default=0) for c in columns], "left", money=data.is_cost)
    plt.xticks(positions, labels)
    plt.xlim(0, max(len(xs) - 1, 1))
    plt.xaxes(True, False)  # no top frame line: one more row of data
    plot.refresh()


def _count(value: float) -> str:
    """Whole counts as whole numbers (6, not 6.0), large ones compact (1.2k)."""
    if value < 10 and value == int(value):
        return str(int(value))
    return compact(value)


def _amount(value: float, unit: str) -> str:
    if unit == "GB-days":
        return f"{value:,.2f} GB-days" if value < 100 else f"{compact(value)} GB-days"
    return f"{_count(value)} {unit}"


def paint_legend(graph: UsageGraph) -> Text:
    data = graph.data
    assert data is not None
    palette = colours(graph)
    text = Text(no_wrap=False, end="")
    if data.empty:
        text.append("No usage in this window. ", style="italic")
    per = PER[data.query.range_id]
    kind = data.query.usage_kind
    if not data.is_cost and kind == ALL:
        text.append(f"stacked requests/{per}: ", style="dim")
        i = 0
        for series in data.series:
            spec = spec_of(series.key)
            if spec.events is None:
                continue
            glyph(text, i, palette)
            unit = " sessions" if spec.events == "num_sessions" else ""
            text.append(f" {series.label} {_count(series.total_requests)}{unit}  ")
            i += 1
        for series in data.series:  # a stored size: named, not stacked
            spec = spec_of(series.key)
            if spec.events is None:
                text.append(f"· {series.label} {_amount(series.total_measure, spec.unit)}  ")
        if graph.kind_errors:
            text.append(f"⚠ not readable: {', '.join(graph.kind_errors)}", style="bold")
    elif not data.is_cost and data.query.group_field is None:
        spec = spec_of(kind)
        series = data.series[0]
        name = kind_name(kind)
        if spec.tokens:
            pairs = [("requests", series.total_requests), ("tokens", series.total_tokens)]
        elif spec.events is not None and spec.measure != (spec.events,):
            pairs = [(spec.unit, series.total_measure), ("requests", series.total_requests)]
        else:
            pairs = [(spec.unit, series.total_measure)]
        # Completions is the graph's first view and reads as it always has: "Usage" in the
        # caption and no kind name here. Every other kind is named.
        first = kind == "completions"
        if not first:
            text.append(f"{name}: ", style="bold")
        for i, ((unit, total), side) in enumerate(zip(pairs, ("left", "right"), strict=False)):
            glyph(text, i, palette)
            where = f"{side}, " if len(pairs) > 1 else ""
            amount = compact(total) if first else _amount(total, unit)
            gap = "  " if i < len(pairs) - 1 else ""
            text.append(f" {unit}/{per} ({where}{amount} in all){gap}")
    elif data.is_cost and data.query.group_field is None:
        from orgtui.core.spend_fetch import trailing_total

        cost = data.series[0].cost
        last_30 = trailing_total(data.starts, cost, graph.fetched_at or data.query.end - 1)
        today = cost[-1] if cost else 0.0
        glyph(text, 0, palette)
        # Named as Health and Spend name it: the same 30 full days, today apart.
        text.append(f" cost per day: last 30 days {format_usd(last_30)}, today {format_usd(today)}")
    else:
        grouped = None if data.is_cost else spec_of(kind)
        if grouped is not None:
            unit = "tokens" if grouped.tokens else grouped.unit
            named = "" if kind == "completions" else f"{kind_name(kind)}, "
            text.append(f"{named}{unit}: ", style="dim")
        for i, series in enumerate(data.series):
            glyph(text, i, palette)
            text.append(" ")
            text.append_text(safe_text(series.label, 24))
            if grouped is None:
                shown = format_usd(series.total_cost)
            elif grouped.tokens:
                shown = compact(series.total_tokens)
            else:
                shown = _amount(series.total_measure, grouped.unit).removesuffix(f" {grouped.unit}")
            text.append(f" {shown}  ")
    return text


def paint_caption(graph: UsageGraph) -> Text:
    """What, which range and grouping, whose; on the right: paused, loading, the error or how
    recent the data is and how often it is polled."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    if graph.range_id == "cost":
        text.append("Cost ", style="bold")
        text.append(f"{RANGE_TITLES[graph.range_id]} · {GROUP_TITLES[graph.group]} · ")
    else:
        query = graph.query_now()
        group = query.group if query is not None else graph.group
        title = "Usage" if graph.kind == "completions" else kind_name(graph.kind).capitalize()
        text.append(f"{title} ", style="bold")
        grouping = "" if graph.kind == ALL else f"{GROUP_TITLES[group]} · "
        text.append(f"{RANGE_TITLES[graph.range_id]} · {grouping}")
    text.append_text(safe_text(graph._scope_name(), 40))
    right = Text(end="")
    if graph.paused:
        right.append(" PAUSED ", style="bold reverse")
    elif graph.fetching:
        right.append("loading…", style="dim")
    if graph.error:
        right.append(f" ⚠ {graph.error}", style="bold")
    elif graph.data is not None:
        newest = graph.data.newest
        if newest and graph.fetched_at is not None:
            newest = min(newest, int(graph.fetched_at))  # today's cost bucket is still open
        right.append(f" data to {clock_time(newest)}" if newest else " no data yet")
        if not graph.paused:
            right.append(f" · every {graph.interval():.0f}s", style="dim")
    width = max(graph.size.width - 2, 20)
    if text.cell_len + right.cell_len + 1 > width:
        text.truncate(max(width - right.cell_len - 1, 10), overflow="ellipsis")
    gap = max(width - text.cell_len - right.cell_len, 1)
    return Text.assemble(text, " " * gap, right)
