"""The graph's kinds: `u` shows each kind of usage in its own unit, then all kinds stacked, then
cost; each view asks only for the kinds it shows (requests counted per endpoint)."""

from __future__ import annotations

from typing import Any

import pytest
from test_spend_support import plain, settle, spend_app, wait_for

from orgtui.core.clock import FrozenClock
from orgtui.ui.features.spend.actions import install_usage_strip
from orgtui.ui.features.usage.graph import UsageGraph
from orgtui.ui.features.usage.strip import UsageStrip

USAGE = (
    "completions",
    "embeddings",
    "moderations",
    "images",
    "audio_speeches",
    "audio_transcriptions",
    "vector_stores",
    "code_interpreter_sessions",
)
# What the legend says of each kind, one hour by minute: its name and its units.
LEGEND = {
    "completions": ("requests/min", "tokens/min"),
    "embeddings": ("embeddings:", "requests/min", "tokens/min"),
    "moderations": ("moderations:", "requests/min", "tokens/min"),
    "images": ("images:", "images/min", "requests/min"),
    "audio_speeches": ("speech:", "characters/min", "requests/min"),
    "audio_transcriptions": ("transcription:", "seconds/min", "requests/min"),
    "vector_stores": ("vector stores:", "GB-days"),
    "code_interpreter_sessions": ("code interpreter:", "sessions/min"),
}


@pytest.fixture(autouse=True)
def graph_in_strip() -> None:
    # What the console does once its features load; not undone, because the features stay
    # loaded in this process (undoing it left later tests' consoles without their graph).
    install_usage_strip()


def counts(transport: Any) -> dict[str, int]:
    out = {kind: transport.count(f"/usage/{kind}") for kind in USAGE}
    out["costs"] = transport.count("/organization/costs")
    return out


def new(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before[k] for k in after if after[k] != before[k]}


async def test_u_cycles_the_kinds_and_fetches_only_the_one_shown(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    app, transport = spend_app(sandbox_app, frozen_clock, start="main")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        graph = app.screen.query_one(UsageStrip).query_one(UsageGraph)
        await wait_for(pilot, lambda: graph.data is not None)
        assert graph.kind == "completions"
        seen = counts(transport)
        assert seen["completions"] >= 1
        assert all(seen[kind] == 0 for kind in USAGE[1:])  # not on screen: never asked
        legend = plain(graph.query_one("#graph-legend"))
        assert all(part in legend for part in LEGEND["completions"]), legend
        graph.focus()
        for kind in USAGE[1:]:
            before = counts(transport)
            await pilot.press("u")
            await wait_for(pilot, lambda k=kind: graph.data is not None and graph.kind == k)
            await settle(pilot)
            assert new(before, counts(transport)) == {kind: 1}
            legend = plain(graph.query_one("#graph-legend"))
            assert all(part in legend for part in LEGEND[kind]), (kind, legend)
            caption = plain(graph.query_one("#graph-caption"))
            assert caption.lower().startswith(LEGEND[kind][0].rstrip(":"))
            assert legend.startswith(LEGEND[kind][0])

        before = counts(transport)  # all kinds, stacked: one request per kind
        await pilot.press("u")
        await wait_for(pilot, lambda: graph.data is not None and graph.kind == "all")
        await settle(pilot)
        assert new(before, counts(transport)) == dict.fromkeys(USAGE, 1)
        legend = plain(graph.query_one("#graph-legend"))
        assert "stacked requests/min" in legend
        for name in ("completions", "embeddings", "moderations", "images", "speech"):
            assert name in legend
        assert "transcription" in legend and "code interpreter" in legend
        assert "vector stores" in legend and "GB-days" in legend
        assert {s.key for s in graph.data.series} == set(USAGE)

        before = counts(transport)  # then cost in dollars: the costs endpoint only
        await pilot.press("u")
        await wait_for(pilot, lambda: graph.data is not None and graph.data.is_cost)
        await settle(pilot)
        assert new(before, counts(transport)) == {"costs": 1}
        assert "cost per day" in plain(graph.query_one("#graph-legend"))

        await pilot.press("u")  # and round again to completions, by the minute
        await wait_for(pilot, lambda: graph.data is not None and not graph.data.is_cost)
        assert graph.kind == "completions" and graph.range_id == "1m"


async def test_a_kind_without_keys_is_grouped_by_project_only(
    sandbox_app: Any, frozen_clock: FrozenClock
) -> None:
    from urllib.parse import parse_qs

    app, transport = spend_app(sandbox_app, frozen_clock, start="main")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        graph = app.screen.query_one(UsageStrip).query_one(UsageGraph)
        await wait_for(pilot, lambda: graph.data is not None)
        graph.group, graph.kind = "key", "vector_stores"
        graph.poll(force=True)
        await wait_for(pilot, lambda: graph.data is not None and not graph.fetching)
        (request,) = transport.matching("/usage/vector_stores")
        assert "group_by" not in parse_qs(request.url.query.decode())  # no such grouping
        caption = plain(graph.query_one("#graph-caption"))
        assert "by key" not in caption and "· all ·" in caption
